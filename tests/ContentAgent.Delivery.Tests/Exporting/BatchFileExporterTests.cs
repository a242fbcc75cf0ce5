using System.Text.Json;
using ContentAgent.Batches;
using ContentAgent.Delivery.Exporting;
using ContentAgent.Learning;
using ContentAgent.Planning;
using ContentAgent.Quality;
using Microsoft.Extensions.DependencyInjection;

namespace ContentAgent.Tests.Delivery.Exporting;

public sealed class BatchFileExporterTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("contentagent-export-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static IBatchExporter Exporter()
    {
        var services = new ServiceCollection();
        services.AddContentAgent().AddDelivery();
        return services.BuildServiceProvider().GetRequiredService<IBatchExporter>();
    }

    private static BatchResult Result(string planId = "20261123-070000-ab12")
    {
        var plan = new BatchPlan(planId, "default", "Create 3 LinkedIn posts about AI", [new PostSpec(1, Platform.LinkedIn, "AI", "a contrarian take"), new PostSpec(2, Platform.X, "AI <script>", "a checklist"), new PostSpec(3, Platform.LinkedIn, "AI", "a myth debunked")], DateTimeOffset.UnixEpoch);
        var score = new QualityScore(82.5, [.. Enum.GetValues<QualityCriterion>().Select(c => new CriterionScore(c, 8.25, $"{c} reason"))], "rubric");
        Learning.Learning[] learnings = [new(LearningKind.Keep, "Hook: open with a number (9/10 on post 1, LinkedIn)", QualityCriterion.Hook, 1)];
        PostResult[] posts =
        [
            new(plan.Posts[0], PostStatus.Done, "5 things AI changed this year. Which surprised you?", score, 1, null, learnings, 0, 0, 120, 40, TimeSpan.FromMilliseconds(12), DateTimeOffset.UnixEpoch),
            new(plan.Posts[1], PostStatus.Failed, null, null, 3, "Timed out after 00:03:00 (ContentAgent:PostTimeout).", [], 30, 60, 0, 0, TimeSpan.FromMinutes(3), DateTimeOffset.UnixEpoch),
            new(plan.Posts[2], PostStatus.Planned, null, null, 0, null, [], 0, 0, 0, 0, TimeSpan.Zero, null),
        ];
        return new BatchResult(plan, BatchStatus.Paused, posts, new ContextTokenStats(30, 30, 60, 60), 1, learnings, TimeSpan.FromSeconds(4.5));
    }

    [Fact]
    public async Task ExportAsync_WritesThreeFilesInThePlanFolder()
    {
        var export = await Exporter().ExportAsync(Result(), _directory);

        Assert.Equal(Path.Combine(_directory, "20261123-070000-ab12"), export.Directory);
        Assert.Equal(["posts.json", "posts.md", "summary.json"], export.Files.Select(Path.GetFileName));
        Assert.All(export.Files, f => Assert.True(new FileInfo(f).Length > 0));
        Assert.Equal(3, Directory.GetFiles(export.Directory).Length); // no temporary files left behind
    }

    [Fact]
    public async Task ExportAsync_PostsJson_CarriesEveryPostWithScoreBreakdownAndStatus()
    {
        var export = await Exporter().ExportAsync(Result(), _directory);

        using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(export.Files[0]));
        var posts = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(3, posts.Count);
        var first = posts[0];
        Assert.Equal(1, first.GetProperty("index").GetInt32());
        Assert.Equal("LinkedIn", first.GetProperty("platform").GetString());
        Assert.Equal("AI", first.GetProperty("topic").GetString());
        Assert.Equal("Done", first.GetProperty("status").GetString());
        Assert.Equal(82.5, first.GetProperty("score").GetDouble());
        Assert.Equal(8.3, first.GetProperty("breakdown").GetProperty("callToAction").GetDouble());
        Assert.StartsWith("5 things", first.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("Failed", posts[1].GetProperty("status").GetString());
        Assert.Contains("Timed out", posts[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, posts[2].GetProperty("score").ValueKind);
    }

    [Fact]
    public async Task ExportAsync_SummaryJson_CarriesCountsTrendAndBothTokenFigures()
    {
        var export = await Exporter().ExportAsync(Result(), _directory);

        using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(export.Files[2]));
        var summary = json.RootElement;
        Assert.Equal("20261123-070000-ab12", summary.GetProperty("planId").GetString());
        Assert.Equal(3, summary.GetProperty("posts").GetInt32());
        Assert.Equal(1, summary.GetProperty("succeeded").GetInt32());
        Assert.Equal(1, summary.GetProperty("failed").GetInt32());
        Assert.Equal(82.5, summary.GetProperty("averageScore").GetDouble());
        Assert.Equal("Stable", summary.GetProperty("trend").GetString());
        Assert.Equal("Paused", summary.GetProperty("status").GetString());
        var tokens = summary.GetProperty("learningContextTokens");
        Assert.Equal(30, tokens.GetProperty("total").GetInt64());
        Assert.Equal(30, tokens.GetProperty("largestPerPost").GetInt32());
        Assert.Equal(60, tokens.GetProperty("withoutCompaction").GetProperty("total").GetInt64());
        Assert.Equal(60, tokens.GetProperty("withoutCompaction").GetProperty("largestPerPost").GetInt64());
        Assert.Equal(0.5, tokens.GetProperty("savings").GetDouble());
        Assert.Equal(4.5, summary.GetProperty("durationSeconds").GetDouble());
    }

    [Fact]
    public async Task ExportAsync_Markdown_IsReadable()
    {
        var export = await Exporter().ExportAsync(Result(), _directory);

        var markdown = await File.ReadAllTextAsync(export.Files[1]);
        Assert.StartsWith("# Create 3 LinkedIn posts about AI", markdown, StringComparison.Ordinal);
        Assert.Contains("## 1. AI · LinkedIn · a contrarian take", markdown, StringComparison.Ordinal);
        Assert.Contains("**Score 82.5/100**", markdown, StringComparison.Ordinal);
        Assert.Contains("**Failed**: Timed out", markdown, StringComparison.Ordinal);
        Assert.Contains("*Not written (planned).*", markdown, StringComparison.Ordinal);
        Assert.Contains("- Keep: Hook: open with a number", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportAsync_NonLatinText_IsWrittenReadablyAndRoundTrips()
    {
        var result = Result();
        const string Text = "AI は仕事を変える 🚀 — مرحبا <b>\"quoted\"</b>";
        result = result with { Posts = [result.Posts[0] with { Text = Text }, .. result.Posts.Skip(1)] };

        var export = await Exporter().ExportAsync(result, _directory);

        var raw = await File.ReadAllTextAsync(export.Files[0]);
        Assert.Contains("AI は仕事を変える", raw, StringComparison.Ordinal); // emoji stay \u-escaped: System.Text.Json escapes every surrogate pair
        Assert.Contains("— مرحبا", raw, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(raw);
        Assert.Equal(Text, json.RootElement[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task ExportAsync_RunTwice_ReplacesTheFiles()
    {
        var exporter = Exporter();
        await exporter.ExportAsync(Result(), _directory);

        var export = await exporter.ExportAsync(Result(), _directory);

        Assert.Equal(3, Directory.GetFiles(export.Directory).Length);
    }

    [Fact]
    public async Task ExportAsync_PlanIdThatCannotNameAFolder_Throws()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Exporter().ExportAsync(Result(planId: "a/../../b\0"), _directory));

        Assert.Contains("cannot name a folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportAsync_OutputIsAFile_ThrowsIOExceptionAndWritesNothing()
    {
        var file = Path.Combine(_directory, "occupied");
        await File.WriteAllTextAsync(file, "not a folder");

        await Assert.ThrowsAnyAsync<IOException>(() => Exporter().ExportAsync(Result(), file));

        Assert.Equal("not a folder", await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task ExportAsync_Cancelled_Throws()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Exporter().ExportAsync(Result(), _directory, cancelled.Token));
    }

    [Fact]
    public void AddDelivery_CalledTwice_RegistersOneExporter()
    {
        var services = new ServiceCollection();
        services.AddContentAgent().AddDelivery().AddDelivery();

        Assert.Single(services, d => d.ServiceType == typeof(IBatchExporter));
    }
}
