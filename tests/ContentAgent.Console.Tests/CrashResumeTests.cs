using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace ContentAgent.Tests.Console;

/// <summary>
/// Kills the console host with SIGKILL at many points of a 50-post batch (before any post, after some, at a checkpoint,
/// right after a compaction, after every post), resumes each time, and checks that no finished post is lost or written
/// again and that at most the posts in flight (≤ MaxParallelPosts) are redone.
/// </summary>
public sealed class CrashResumeTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("contentagent-crash-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Batch_KilledTenTimes_EveryPostEndsDoneExactlyOnce(int parallel)
    {
        var environment = new Dictionary<string, string>
        {
            ["ContentAgent__OfflineLatency"] = "00:00:00.200",
            // An hour: a resume that had to wait for the killed run's lease would time out. It never waits: the killed
            // process is gone, so its lease is taken over at once.
            ["ContentAgent__LeaseDuration"] = "01:00:00",
            ["ContentAgent__MaxParallelPosts"] = parallel.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var random = new Random(20261123 + parallel);

        // Where each run is killed: a predicate on the line just printed (and the count of post lines so far in that run).
        var killPoints = new List<(string Name, Func<string, int, bool> Kill)>
        {
            ("before any post", (line, _) => line.StartsWith("Batch ", StringComparison.Ordinal)),
            ("after one post", (line, posts) => posts >= 1),
            ("at a checkpoint", (line, _) => line.Contains("■ checkpoint", StringComparison.Ordinal)),
            ("after a compaction", (line, _) => line.Contains("↻ learning context compacted", StringComparison.Ordinal)),
        };
        // Ten kills must land before the 50 posts are done. A kill lands after the wave whose post it saw (up to
        // MaxParallelPosts posts), so with 4 at a time the random points stay small: 4 + 10 + 10 + 5 × 4 = 44 posts at most.
        for (var i = 0; i < 5; i++)
        {
            var after = parallel == 1 ? random.Next(1, 7) : random.Next(1, 4);
            killPoints.Add(($"after {after} posts", (line, posts) => posts >= after));
        }

        killPoints.Add(("after every post", (line, _) => line.StartsWith("Completed:", StringComparison.Ordinal)));

        string? planId = null;
        var finished = new Dictionary<int, (string Text, string CompletedAt)>();
        var kills = 0;
        var missed = new List<string>();
        var leaseHeldByTheKilledRun = false;
        foreach (var (name, kill) in killPoints)
        {
            var posts = 0;
            var killed = false;
            void Watch(Process process, string line)
            {
                if (line.StartsWith("Planned ", StringComparison.Ordinal))
                {
                    planId ??= line.Split("· plan ")[1].Trim();
                }

                if (line.Contains("✓ post", StringComparison.Ordinal))
                {
                    posts++;
                }

                if (!killed && kill(line, posts))
                {
                    killed = true;
                    process.Kill(); // SIGKILL: no cleanup, no flush
                }
            }

            var run = await ConsoleHost.RunAsync(_directory, environment, Watch, planId is null ? ["batch", "Create 50 posts for X and LinkedIn about AI, productivity and remote work", "--db", "crash.db"] : ["resume", planId, "--db", "crash.db"]);
            Assert.DoesNotContain("is being run by", run.Error, StringComparison.Ordinal);
            Assert.Equal(leaseHeldByTheKilledRun, run.Output.Contains($"Took over batch {planId} from process ", StringComparison.Ordinal));
            leaseHeldByTheKilledRun = killed && !run.Output.Contains("Completed:", StringComparison.Ordinal);
            if (!killed)
            {
                // The batch finished before this kill point was reached; nothing left to interrupt.
                Assert.True(run.ExitCode == 0, $"{name}: exit {run.ExitCode}\n{run.Error}");
                missed.Add($"{name} (exit {run.ExitCode}, {posts} posts: {run.Output.Split('\n').LastOrDefault(l => l.Length > 0)})");
                continue;
            }

            kills++;
            var state = await ReadPostsAsync(planId!);
            Assert.True(state.Count(p => p.Value.Status == "Writing") <= parallel, $"{name}: more posts in flight than MaxParallelPosts");
            foreach (var (index, before) in finished)
            {
                Assert.True(state.TryGetValue(index, out var now) && now.Status == "Done" && now.Text == before.Text && now.CompletedAt == before.CompletedAt, $"{name}: post {index} was lost or written again");
            }

            foreach (var (index, post) in state.Where(p => p.Value.Status == "Done"))
            {
                finished.TryAdd(index, (post.Text!, post.CompletedAt!));
            }
        }

        Assert.True(kills == killPoints.Count, $"only {kills} of {killPoints.Count} kills landed; missed: {string.Join("; ", missed)}");
        var last = await ConsoleHost.RunAsync(_directory, environment, null, ["resume", planId!, "--db", "crash.db"]);
        Assert.True(last.ExitCode == 0, $"final resume: exit {last.ExitCode}\n{last.Error}");

        var final = await ReadPostsAsync(planId!);
        Assert.Equal(Enumerable.Range(1, 50), final.Keys.Order());
        Assert.All(final.Values, p => Assert.Equal("Done", p.Status));
        foreach (var (index, before) in finished)
        {
            Assert.Equal(before.Text, final[index].Text);
            Assert.Equal(before.CompletedAt, final[index].CompletedAt);
        }

        using var exported = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(_directory, "out", planId!, "posts.json")));
        Assert.Equal(50, exported.RootElement.EnumerateArray().Count(p => p.GetProperty("status").GetString() == "Done"));
    }

    private async Task<Dictionary<int, (string Status, string? Text, string? CompletedAt)>> ReadPostsAsync(string planId)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "crash.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT post_index, status, data FROM posts WHERE plan_id = $plan";
        command.Parameters.AddWithValue("$plan", planId);
        var posts = new Dictionary<int, (string, string?, string?)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            using var data = JsonDocument.Parse(reader.GetString(2));
            posts[reader.GetInt32(0)] = (
                reader.GetString(1),
                data.RootElement.GetProperty("text").GetString(),
                data.RootElement.GetProperty("completedAt").ValueKind == JsonValueKind.Null ? null : data.RootElement.GetProperty("completedAt").GetString());
        }

        return posts;
    }
}
