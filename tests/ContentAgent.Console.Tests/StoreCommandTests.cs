using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace ContentAgent.Tests.Console;

public sealed class StoreCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("contentagent-store-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string PlanIdFrom(string output) =>
        output.Split('\n').First(l => l.StartsWith("Planned ", StringComparison.Ordinal)).Split("· plan ")[1].Trim();

    [Fact]
    public async Task Resume_AfterAnInterrupt_FinishesEveryPostExactlyOnce()
    {
        var environment = new Dictionary<string, string> { ["ContentAgent__MaxPostsPerBatch"] = "3000" };
        var interrupted = 0;
        void Interrupt(System.Diagnostics.Process process, string line)
        {
            if (line.Contains("✓ post   5/3000", StringComparison.Ordinal) && Interlocked.Exchange(ref interrupted, 1) == 0)
            {
                ConsoleHost.Interrupt(process);
            }
        }

        var first = await ConsoleHost.RunAsync(_directory, environment, Interrupt, "batch", "Create 3000 posts about AI and hiring", "--db", "store/batches.db");
        Assert.Equal(1, first.ExitCode);
        var planId = PlanIdFrom(first.Output);

        var second = await ConsoleHost.RunAsync(_directory, environment, "resume", planId, "--db", "store/batches.db");

        Assert.True(second.ExitCode == 0, $"exit {second.ExitCode}\n{second.Error}");
        using var posts = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(_directory, "out", planId, "posts.json")));
        var list = posts.RootElement.EnumerateArray().ToList();
        Assert.Equal(3000, list.Count(p => p.GetProperty("status").GetString() == "Done"));
        var finishedBefore = first.Output.Split('\n').Count(l => l.Contains("✓ post", StringComparison.Ordinal));
        var writtenAfter = second.Output.Split('\n').Count(l => l.Contains("✓ post", StringComparison.Ordinal));
        Assert.InRange(finishedBefore + writtenAfter, 3000, 3001); // at most the one post in flight is written again
    }

    [Fact]
    public async Task Resume_WhileAnotherProcessRunsTheBatch_SaysWhoHoldsItAndExitsWith1()
    {
        var environment = new Dictionary<string, string> { ["ContentAgent__MaxPostsPerBatch"] = "3000" };
        var running = new TaskCompletionSource<(System.Diagnostics.Process Process, string PlanId)>(TaskCreationOptions.RunContinuationsAsynchronously);
        string? planId = null;
        void Watch(System.Diagnostics.Process process, string line)
        {
            if (line.StartsWith("Planned ", StringComparison.Ordinal))
            {
                planId = PlanIdFrom(line);
            }

            if (line.Contains("✓ post   5/3000", StringComparison.Ordinal))
            {
                running.TrySetResult((process, planId!));
            }
        }

        var first = ConsoleHost.RunAsync(_directory, environment, Watch, "batch", "Create 3000 posts about AI and hiring", "--db", "shared.db");
        var (process, id) = await running.Task.WaitAsync(TimeSpan.FromMinutes(1));
        var pid = process.Id;

        var second = await ConsoleHost.RunAsync(_directory, environment, "resume", id, "--db", "shared.db");

        ConsoleHost.Interrupt(process);

        var firstResult = await first;
        Assert.True(second.ExitCode == 1, $"exit {second.ExitCode}\n{second.Output}\n{second.Error}");
        Assert.Contains($"The batch '{id}' of tenant 'default' is being run by process {pid} on {Environment.MachineName} until", second.Error, StringComparison.Ordinal);
        Assert.Contains(" UTC", second.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("✓ post", second.Output, StringComparison.Ordinal);
        Assert.True(firstResult.ExitCode is 0 or 1, $"first run exit {firstResult.ExitCode}");
    }

    [Fact]
    public async Task ListShowAndPrune_WorkOnTheStore()
    {
        var batch = await ConsoleHost.RunAsync(_directory, null, "batch", "Create 12 LinkedIn posts about AI and hiring", "--db", "my.db");
        Assert.Equal(0, batch.ExitCode);
        var planId = PlanIdFrom(batch.Output);

        var list = await ConsoleHost.RunAsync(_directory, null, "list", "--db", "my.db");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains(list.Output.Split('\n'), l => l.StartsWith(planId, StringComparison.Ordinal) && l.Contains("Completed", StringComparison.Ordinal) && l.Contains("12", StringComparison.Ordinal));

        var show = await ConsoleHost.RunAsync(_directory, null, "show", planId, "--db", "my.db");
        Assert.Equal(0, show.ExitCode);
        Assert.Contains($"{planId} · Completed", show.Output, StringComparison.Ordinal);
        Assert.Equal(12, show.Output.Split('\n').Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\s+\d+\. .* score ")));

        var keep = await ConsoleHost.RunAsync(_directory, null, "prune", "--older-than", "30d", "--db", "my.db");
        Assert.Equal(0, keep.ExitCode);
        Assert.Contains("Deleted 0 batch(es)", keep.Output, StringComparison.Ordinal);

        var bad = await ConsoleHost.RunAsync(_directory, null, "prune", "--older-than", "soon", "--db", "my.db");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--older-than", bad.Error, StringComparison.Ordinal);

        var empty = await ConsoleHost.RunAsync(_directory, null, "list", "--db", "fresh.db");
        Assert.Contains("No batches yet.", empty.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetryFailed_WritesOnlyTheFailedPostsAgainAndKeepsTheirErrors()
    {
        var batch = await ConsoleHost.RunAsync(_directory, null, "batch", "Create 8 LinkedIn posts about AI and hiring", "--db", "retry.db");
        Assert.Equal(0, batch.ExitCode);
        var planId = PlanIdFrom(batch.Output);

        // Posts 3 and 7 failed in that run (as a provider outage leaves them): status, error and attempts in the stored rows.
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "retry.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText =
                """
                UPDATE posts SET status = 'Failed',
                    data = json_set(data, '$.status', 'Failed', '$.text', NULL, '$.score', NULL, '$.error', 'provider down ' || post_index, '$.attempts', 3)
                WHERE post_index IN (3, 7);
                UPDATE run_states SET status = 'CompletedWithFailures', data = json_set(data, '$.status', 'CompletedWithFailures');
                """;
            await command.ExecuteNonQueryAsync();
        }

        var resume = await ConsoleHost.RunAsync(_directory, null, "resume", planId, "--db", "retry.db");
        Assert.Equal(3, resume.ExitCode); // a plain resume leaves failed posts failed
        Assert.DoesNotContain("✓ post", resume.Output, StringComparison.Ordinal);

        var retry = await ConsoleHost.RunAsync(_directory, null, "retry-failed", planId, "--db", "retry.db");

        Assert.True(retry.ExitCode == 0, $"exit {retry.ExitCode}\n{retry.Output}\n{retry.Error}");
        var written = retry.Output.Split('\n').Where(l => l.Contains("✓ post", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, written.Count);
        Assert.Contains(written, l => l.Contains("post   3/8", StringComparison.Ordinal));
        Assert.Contains(written, l => l.Contains("post   7/8", StringComparison.Ordinal));
        using var posts = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(_directory, "out", planId, "posts.json")));
        var list = posts.RootElement.EnumerateArray().ToList();
        Assert.All(list, p => Assert.Equal("Done", p.GetProperty("status").GetString()));
        var post3 = list.Single(p => p.GetProperty("index").GetInt32() == 3);
        Assert.Equal(4, post3.GetProperty("attempts").GetInt32());
        Assert.Equal("provider down 3", Assert.Single(post3.GetProperty("priorErrors").EnumerateArray().ToList()).GetString());
        Assert.Equal(1, list.Single(p => p.GetProperty("index").GetInt32() == 1).GetProperty("attempts").GetInt32());
    }

    [Theory]
    [InlineData("resume")]
    [InlineData("show")]
    public async Task UnknownPlanId_ExitsWith2(string command)
    {
        var result = await ConsoleHost.RunAsync(_directory, null, command, "20990101-000000-dead", "--db", "my.db");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("There is no batch '20990101-000000-dead'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreThatIsNotADatabase_ExitsWith2AndIsLeftAlone()
    {
        var path = Path.Combine(_directory, "notes.db");
        await File.WriteAllTextAsync(path, "not a database".PadRight(2048, '.'));

        var result = await ConsoleHost.RunAsync(_directory, null, "batch", "Create 3 posts about AI", "--db", "notes.db");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is not a ContentAgent database", result.Error, StringComparison.Ordinal);
        Assert.StartsWith("not a database", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreFromANewerVersion_ExitsWith2AndKeepsItsBatches()
    {
        Assert.Equal(0, (await ConsoleHost.RunAsync(_directory, null, "batch", "Create 3 posts about AI", "--db", "newer.db")).ExitCode);
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "newer.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE meta SET value = '9' WHERE key = 'schema_version'";
            await command.ExecuteNonQueryAsync();
        }

        var result = await ConsoleHost.RunAsync(_directory, null, "list", "--db", "newer.db");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("newer ContentAgent (schema 9)", result.Error, StringComparison.Ordinal);
        await using var check = new SqliteConnection($"Data Source={Path.Combine(_directory, "newer.db")};Pooling=False");
        await check.OpenAsync();
        await using var count = check.CreateCommand();
        count.CommandText = "SELECT count(*) FROM posts";
        Assert.Equal(3L, await count.ExecuteScalarAsync());
    }
}
