using BenchmarkDotNet.Attributes;
using ContentAgent.Batches;
using ContentAgent.Generation;
using ContentAgent.Learning;
using ContentAgent.Planning;
using ContentAgent.Quality;
using ContentAgent.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace ContentAgent.Benchmarks;

/// <summary>
/// The orchestration overhead per post: a whole batch (write → score → learn → compact every 10 → checkpoint every 10)
/// through <see cref="IBatchRunner"/> with the in-memory store, against the same work done as a plain loop with no
/// orchestration. <see cref="Writer"/> "offline" is ContentAgent's offline writer (templates plus token counts for its
/// usage report); "instant" is a chat client that returns a fixed post at once, like the instant fake LLM the LangGraph
/// figures were measured with. Every figure is per post (OperationsPerInvoke = batch size). Each invocation is a new
/// batch whose topics carry the run number, so the offline writer's line cache and the tokenizer's cache see new text as
/// they would in a host's next batch, not the same 50 prompts again; each batch is deleted from the store after it runs,
/// so memory does not build up across invocations.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class BatchRunnerBenchmark
{
    private ServiceProvider _services = null!;
    private IBatchRunner _runner = null!;
    private IBatchStore _store = null!;
    private IChatClient _client = null!;
    private int _run;

    [Params("offline", "instant")]
    public string Writer { get; set; } = "offline";

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddContentAgent(o => o.MaxPostsPerBatch = 10_000);

        // The deterministic compactor for both writers, as in the plain loop (the instant client cannot summarise).
        services.AddSingleton<IContextCompactor>(new OfflineContextCompactor(DefaultTokenizer.Instance));
        if (Writer == "instant")
        {
            services.AddSingleton<IChatClient>(new InstantChatClient());
        }

        _services = services.BuildServiceProvider();
        _runner = _services.GetRequiredService<IBatchRunner>();
        _store = _services.GetRequiredService<IBatchStore>();
        _client = _services.GetRequiredService<IChatClient>();
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(OperationsPerInvoke = 50, Description = "ContentAgent, 50 posts")]
    public Task<BatchResult> Orchestrated50() => RunAsync(Plan(50, _run++));

    [Benchmark(OperationsPerInvoke = 5000, Description = "ContentAgent, 5,000 posts")]
    public Task<BatchResult> Orchestrated5000() => RunAsync(Plan(5000, _run++));

    [Benchmark(OperationsPerInvoke = 50, Baseline = true, Description = "Plain loop, 50 posts")]
    public Task<int> PlainLoop50() => PlainLoopAsync(_client, Plan(50, _run++));

    [Benchmark(OperationsPerInvoke = 5000, Description = "Plain loop, 5,000 posts")]
    public Task<int> PlainLoop5000() => PlainLoopAsync(_client, Plan(5000, _run++));

    private async Task<BatchResult> RunAsync(BatchPlan plan)
    {
        var result = await _runner.RunToCompletionAsync(plan);
        await _store.DeleteAsync(new BatchKey(plan.TenantId, plan.PlanId));
        return result;
    }

    /// <summary>The same work with no orchestration: no events, store, resilience pipeline, telemetry, token accounting or checkpoints.</summary>
    private static async Task<int> PlainLoopAsync(IChatClient client, BatchPlan plan)
    {
        var scorer = new RubricQualityScorer();
        var compactor = new OfflineContextCompactor(DefaultTokenizer.Instance);
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

    private static BatchPlan Plan(int posts, int run)
    {
        string[] topics = [$"AI {run}", $"productivity {run}", $"remote work {run}"];
        Platform[] platforms = [Platform.LinkedIn, Platform.X];
        return new BatchPlan(
            $"run-{run}",
            "default",
            $"Create {posts} posts",
            [.. Enumerable.Range(1, posts).Select(i => new PostSpec(i, platforms[i % 2], topics[i % 3], BatchPlannerAngles[i % BatchPlannerAngles.Length]))],
            DateTimeOffset.UnixEpoch);
    }

    private static readonly string[] BatchPlannerAngles = BatchPlanner.Angles;
}
