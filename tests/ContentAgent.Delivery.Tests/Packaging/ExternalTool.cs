using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace ContentAgent.Tests.Delivery.Packaging;

/// <summary>Runs a real client (qpdf, poppler, LibreOffice) as a process with a timeout; a missing tool fails the test with how to install it.</summary>
internal static class ExternalTool
{
    private const string InstallHint = "The packaging tests drive the real clients: run `bash eng/test.sh` (it installs them) or `apt-get install poppler-utils qpdf libreoffice-impress libreoffice-calc`.";

    /// <summary>Runs the tool and returns its exit code, standard output and standard error.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string tool, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        }
        catch (Win32Exception ex)
        {
            Assert.Fail($"{tool} is not installed ({ex.Message}). {InstallHint}");
            throw;
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var cancellation = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{tool} {string.Join(' ', arguments)} did not finish within {timeout.TotalSeconds} s.");
            }

            return (process.ExitCode, await output, await error);
        }
    }

    /// <summary>Runs the tool, asserts it exited with 0, and returns its standard output.</summary>
    public static async Task<string> RunCheckedAsync(string tool, TimeSpan timeout, params string[] arguments)
    {
        var (exitCode, output, error) = await RunAsync(tool, timeout, arguments);
        Assert.True(exitCode == 0, $"{tool} {string.Join(' ', arguments)} exited with {exitCode}:\n{output}\n{error}");
        return output;
    }
}
