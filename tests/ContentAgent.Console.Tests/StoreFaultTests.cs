using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace ContentAgent.Tests.Console;

/// <summary>
/// A full disk and a read-only disk under the store, made real with a small tmpfs mount (the tests run as root, as CI
/// does): the console says what is wrong, exits 1, and what was already stored stays readable.
/// </summary>
public sealed class StoreFaultTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("contentagent-fault-").FullName;
    private readonly string _mount;

    public StoreFaultTests()
    {
        _mount = Path.Combine(_directory, "disk");
        Directory.CreateDirectory(_mount);
        Run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", _mount);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Run("umount", _mount);
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task FullDisk_ExitsWith1AndKeepsWhatWasStored()
    {
        var result = await ConsoleHost.RunAsync(_directory, new Dictionary<string, string> { ["ContentAgent__MaxPostsPerBatch"] = "500" }, "batch", "Create 500 posts about AI and hiring", "--db", "disk/full.db");

        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}\n{result.Output}\n{result.Error}");
        Assert.Contains("cannot be used", result.Error, StringComparison.Ordinal);
        Assert.Contains("The disk is full", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);

        var done = await CountDoneAsync(Path.Combine(_mount, "full.db"));
        Assert.InRange(done, 1, 499);
        Assert.Equal(done, result.Output.Split('\n').Count(l => l.Contains("✓ post", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ReadOnlyDisk_ExitsWith1AndKeepsWhatWasStored()
    {
        var first = await ConsoleHost.RunAsync(_directory, null, "batch", "Create 3 posts about AI", "--db", "disk/ro.db");
        Assert.Equal(0, first.ExitCode);
        Run("mount", "-o", "remount,ro", _mount);
        try
        {
            var result = await ConsoleHost.RunAsync(_directory, null, "batch", "Create 3 posts about hiring", "--db", "disk/ro.db");

            Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}\n{result.Output}\n{result.Error}");
            Assert.Contains("cannot be used", result.Error, StringComparison.Ordinal);
            Assert.Contains("cannot be written (read-only", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            Run("mount", "-o", "remount,rw", _mount);
        }

        // A WAL database cannot be opened at all on a read-only disk, so the check reads it once the disk is writable again.
        Assert.Equal(3, await CountDoneAsync(Path.Combine(_mount, "ro.db")));
    }

    private static async Task<long> CountDoneAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadWrite;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM posts WHERE status = 'Done'";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static void Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, UseShellExecute = false })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {error} — these tests need root, as CI has.");
    }
}
