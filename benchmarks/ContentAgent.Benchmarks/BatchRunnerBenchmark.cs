using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using ContentAgent.Batches;
using ContentAgent.Generation;
using ContentAgent.Learning;
using ContentAgent.Planning;
using ContentAgent.Quality;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace ContentAgent.Benchmarks;

/// <summary>
/// The orchestration overhead per post: a whole batch (plan → write → score → learn → compact every 10 → checkpoint every 10)
/// through <see cref="IBatchRunner"/> with the offline writer and the in-memory store, against the same work done as a
/// plain loop with no orchestration. Each benchmark reports the cost of one post (OperationsPerInvoke = batch size).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 10)]
public class BatchRunnerBenchmark
{
    private ServiceProvider _services = null!;
    private IBatchRunner _runner = null!;
    private BatchPlan _plan50 = null!;
    private BatchPlan _plan5000 = null!;
    private int _run;

    [GlobalSetup]
    public void Setup()
    {
        _plan50 = Plan(50);
        _plan5000 = Plan(5000);
        NewServices();

        // Warm the tokenizer and the offline writer once, outside the measurements.
        _runner.RunToCompletionAsync(Plan(12) with { PlanId = "warmup" }).GetAwaiter().GetResult();
    }

    [IterationSetup]
    public void NewServices()
    {
        // A fresh in-memory store per iteration, so memory does not build up across iterations.
        _services?.Dispose();
        var services = new ServiceCollection();
        services.AddContentAgent(o => o.MaxPostsPerBatch = 10_000);
        _services = services.BuildServiceProvider();
        _runner = _services.GetRequiredService<IBatchRunner>();
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(OperationsPerInvoke = 50, Description = "ContentAgent, 50 posts (per post)")]
    public Task<BatchResult> Orchestrated50() => _runner.RunToCompletionAsync(_plan50 with { PlanId = $"b50-{_run++}" });

    [Benchmark(OperationsPerInvoke = 5000, Description = "ContentAgent, 5,000 posts (per post)")]
    public Task<BatchResult> Orchestrated5000() => _runner.RunToCompletionAsync(_plan5000 with { PlanId = $"b5000-{_run++}" });

    [Benchmark(OperationsPerInvoke = 50, Baseline = true, Description = "Plain loop, 50 posts (per post)")]
    public Task<int> PlainLoop50() => PlainLoopAsync(_plan50);

    [Benchmark(OperationsPerInvoke = 5000, Description = "Plain loop, 5,000 posts (per post)")]
    public Task<int> PlainLoop5000() => PlainLoopAsync(_plan5000);

    /// <summary>The same work with no orchestration: no events, store, resilience pipeline, telemetry or checkpoints.</summary>
    private static async Task<int> PlainLoopAsync(BatchPlan plan)
    {
        var tokenizer = DefaultTokenizer.Instance;
        using var client = new OfflineChatClient(tokenizer);
        var scorer = new RubricQualityScorer();
        var compactor = new OfflineContextCompactor(tokenizer);
        var learnings = new List<Learning.Learning>();
        var context = string.Empty;
        var written = 0;
        foreach (var spec in plan.Posts)
        {
            var response = await client.GetResponseAsync(PostPrompt.Build(spec, null, context));
            var score = await scorer.ScoreAsync(spec, response.Text);
            learnings.AddRange(LearningExtractor.Extract(spec, score));
            if (spec.Index % 10 == 0)
            {
                var compacted = compactor.Compact(learnings, 160);
                learnings.Clear();
                learnings.AddRange(compacted);
            }

            context = PostPrompt.RenderLearnings(learnings);
            written += response.Text.Length;
        }

        return written;
    }

    private static BatchPlan Plan(int posts)
    {
        string[] topics = ["AI", "productivity", "remote work"];
        Platform[] platforms = [Platform.LinkedIn, Platform.X];
        return new BatchPlan(
            "bench",
            "default",
            $"Create {posts} posts",
            [.. Enumerable.Range(1, posts).Select(i => new PostSpec(i, platforms[i % 2], topics[i % 3], $"angle {i % 12}"))],
            DateTimeOffset.UnixEpoch);
    }
}
