using System.Text.Json;

namespace ContentAgent.Tests.Console;

public sealed class BatchCommandTests : IDisposable
{
    private const string FiftyPostBrief = "Create 50 posts for X and LinkedIn: 20 about AI, 15 about productivity, 15 about remote work";
    private readonly string _directory = Directory.CreateTempSubdirectory("contentagent-console-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Batch_FiftyPosts_WritesTheFilesAndBeatsTheTokenTarget()
    {
        var (exitCode, output, error) = await ConsoleHost.RunAsync(_directory, null, "batch", FiftyPostBrief, "--out", "results");

        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}\n{error}");
        var planDirectory = Assert.Single(Directory.GetDirectories(Path.Combine(_directory, "results")));
        var planId = Path.GetFileName(planDirectory);

        using var posts = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(planDirectory, "posts.json")));
        var list = posts.RootElement.EnumerateArray().ToList();
        Assert.Equal(50, list.Count);
        Assert.Equal(Enumerable.Range(1, 50), list.Select(p => p.GetProperty("index").GetInt32()));
        Assert.All(list, p =>
        {
            Assert.Equal("Done", p.GetProperty("status").GetString());
            Assert.False(string.IsNullOrWhiteSpace(p.GetProperty("text").GetString()));
            Assert.InRange(p.GetProperty("score").GetDouble(), 0, 100);
            Assert.Equal(6, p.GetProperty("breakdown").EnumerateObject().Count());
        });
        Assert.Equal(50, list.Select(p => p.GetProperty("text").GetString()).Distinct().Count());
        Assert.Equal(["LinkedIn", "X"], list.Select(p => p.GetProperty("platform").GetString()).Distinct().Order());
        Assert.All(list.Where(p => p.GetProperty("platform").GetString() == "X"), p => Assert.True(p.GetProperty("text").GetString()!.Length <= 280));

        using var summary = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(planDirectory, "summary.json")));
        var root = summary.RootElement;
        Assert.Equal(planId, root.GetProperty("planId").GetString());
        Assert.Equal(50, root.GetProperty("succeeded").GetInt32());
        Assert.Equal(0, root.GetProperty("failed").GetInt32());
        var tokens = root.GetProperty("learningContextTokens");
        var total = tokens.GetProperty("total").GetInt64();
        var uncompacted = tokens.GetProperty("withoutCompaction").GetProperty("total").GetInt64();
        Assert.InRange(total, 1, 24_999); // the seed's target: ~25k tokens for 50 posts
        Assert.True(uncompacted > 4 * total, $"compacted {total}, uncompacted {uncompacted}");
        Assert.True(tokens.GetProperty("largestPerPost").GetInt32() < tokens.GetProperty("withoutCompaction").GetProperty("largestPerPost").GetInt64());
        Assert.True(root.GetProperty("compactions").GetInt32() >= 4);

        var markdown = await File.ReadAllTextAsync(Path.Combine(planDirectory, "posts.md"));
        Assert.Contains("## 50.", markdown, StringComparison.Ordinal);

        // Not a terminal: checkpoints continue on their own, and say so.
        Assert.Equal(4, output.Split('\n').Count(l => l.Contains("checkpoint", StringComparison.Ordinal) && l.Contains("→ continue", StringComparison.Ordinal)));
        Assert.Contains($"plan {planId}", output, StringComparison.Ordinal);
        Assert.Empty(error);
    }

    [Fact]
    public async Task Batch_Interrupted_ExitsWith1AndWritesTheFinishedPosts()
    {
        var interrupted = 0;
        void Interrupt(System.Diagnostics.Process process, string line)
        {
            if (line.Contains("✓ post   3/3000", StringComparison.Ordinal) && Interlocked.Exchange(ref interrupted, 1) == 0)
            {
                ConsoleHost.Interrupt(process);
            }
        }

        // Large enough that the interrupt lands while posts are still being written.
        var (exitCode, output, error) = await ConsoleHost.RunAsync(
            _directory, new Dictionary<string, string> { ["ContentAgent__MaxPostsPerBatch"] = "3000" }, Interrupt, "batch", "Create 3000 LinkedIn posts about AI, hiring and culture");

        Assert.Equal(1, interrupted);
        Assert.True(exitCode == 1, $"exit {exitCode}\n{output}\n{error}");
        Assert.Contains("Cancelled.", error, StringComparison.Ordinal);
        var planDirectory = Assert.Single(Directory.GetDirectories(Path.Combine(_directory, "out")));
        using var summary = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(planDirectory, "summary.json")));
        Assert.Equal("Cancelled", summary.RootElement.GetProperty("status").GetString());
        var done = summary.RootElement.GetProperty("succeeded").GetInt32();
        Assert.InRange(done, 3, 2999);
        using var posts = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(planDirectory, "posts.json")));
        Assert.Equal(done, posts.RootElement.EnumerateArray().Count(p => p.GetProperty("status").GetString() == "Done" && p.GetProperty("text").GetString()!.Length > 0));
    }

    [Fact]
    public async Task Batch_Parallel_FinishesEveryPost()
    {
        var (exitCode, output, error) = await ConsoleHost.RunAsync(_directory, null, "batch", "Create 12 LinkedIn posts about AI and hiring", "--parallel", "4", "--yes");

        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}\n{error}");
        var planDirectory = Assert.Single(Directory.GetDirectories(Path.Combine(_directory, "out")));
        using var summary = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(planDirectory, "summary.json")));
        Assert.Equal(12, summary.RootElement.GetProperty("succeeded").GetInt32());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Create LinkedIn posts about AI")]
    [InlineData("Create 0 LinkedIn posts about AI")]
    [InlineData("Create 101 LinkedIn posts about AI")]
    [InlineData("Create 5 MySpace posts about AI")]
    [InlineData("asdf qwer !!! ???")]
    public async Task Batch_BadBrief_ExitsWith2AndOneClearLine(string brief)
    {
        var (exitCode, output, error) = await ConsoleHost.RunAsync(_directory, null, "batch", brief);

        Assert.True(exitCode == 2, $"exit {exitCode}\n{output}\n{error}");
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains("Example of a good brief", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_directory, "out")));
    }

    [Theory]
    [InlineData("--parallel", "0")]
    [InlineData("--parallel", "many")]
    [InlineData("--unknown", "x")]
    public async Task Batch_BadOption_ExitsWith2(string option, string value)
    {
        var (exitCode, _, error) = await ConsoleHost.RunAsync(_directory, null, "batch", "Create 3 LinkedIn posts about AI", option, value);

        Assert.Equal(2, exitCode);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_InvalidConfiguration_ExitsWith2NamingTheSetting()
    {
        var (exitCode, _, error) = await ConsoleHost.RunAsync(_directory, new Dictionary<string, string> { ["ContentAgent__MaxAttempts"] = "0" }, "batch", "Create 3 LinkedIn posts about AI");

        Assert.Equal(2, exitCode);
        Assert.Contains("MaxAttempts", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_MaxPostsFromConfiguration_BoundsTheBrief()
    {
        var (exitCode, _, error) = await ConsoleHost.RunAsync(_directory, new Dictionary<string, string> { ["ContentAgent__MaxPostsPerBatch"] = "10" }, "batch", "Create 12 LinkedIn posts about AI");

        Assert.Equal(2, exitCode);
        Assert.Contains("10", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_OutputFolderIsAFile_ExitsWith1WithAClearMessage()
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, "taken"), "a file");

        var (exitCode, _, error) = await ConsoleHost.RunAsync(_directory, null, "batch", "Create 3 LinkedIn posts about AI", "--out", "taken");

        Assert.Equal(1, exitCode);
        Assert.Contains("cannot write the results to 'taken'", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }
}
