using System.Diagnostics;
using System.Reflection;

namespace ContentAgent.Tests.Console;

/// <summary>Runs the console host as a real process and captures what it prints.</summary>
internal static class ConsoleHost
{
    private static readonly string HostPath = Path.GetFullPath(
        typeof(ConsoleHost).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ConsoleHostPath").Value!);

    public static Task<(int ExitCode, string Output, string Error)> RunAsync(string workingDirectory, IDictionary<string, string>? environment, params string[] args) =>
        RunAsync(workingDirectory, environment, onOutputLine: null, args);

    /// <summary>Runs the host; <paramref name="onOutputLine"/> sees each line of standard output as it comes, with the process.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string workingDirectory, IDictionary<string, string>? environment, Action<Process, string>? onOutputLine, params string[] args)
    {
        Assert.True(File.Exists(HostPath), $"The console host is not built at {HostPath}.");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(HostPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = ReadLinesAsync(process, onOutputLine);
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>Sends SIGINT, as Ctrl+C does.</summary>
    public static void Interrupt(Process process)
    {
        using var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private static async Task<string> ReadLinesAsync(Process process, Action<Process, string>? onOutputLine)
    {
        var text = new System.Text.StringBuilder();
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            text.Append(line).Append('\n');
            onOutputLine?.Invoke(process, line);
        }

        return text.ToString();
    }
}
