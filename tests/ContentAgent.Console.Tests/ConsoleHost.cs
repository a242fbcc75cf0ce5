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

    /// <summary>
    /// Sends SIGINT, as Ctrl+C does, straight through libc: spawning <c>kill</c> took long enough on a busy machine for a
    /// fast batch to finish before the signal arrived.
    /// </summary>
    public static void Interrupt(Process process)
    {
        const int SigInt = 2;
        if (SendSignal(process.Id, SigInt) != 0)
        {
            throw new InvalidOperationException($"kill({process.Id}, SIGINT) failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}.");
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

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
