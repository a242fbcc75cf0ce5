using System.Globalization;
using ContentAgent.Batches;
using ContentAgent.Planning;
using ContentAgent.Quality;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace ContentAgent.Tests;

/// <summary>Builds service providers, plans and scores for tests.</summary>
internal static class TestSupport
{
    public static ServiceProvider Services(Action<ContentAgentOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var collection = new ServiceCollection();
        collection.AddContentAgent(options =>
        {
            options.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
            options.RetryFailedPostsAtEnd = false; // tests of the end-of-run round turn it on
            configure?.Invoke(options);
        });
        services?.Invoke(collection);
        return collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static BatchPlan Plan(int posts, string planId = "plan-1", Platform platform = Platform.LinkedIn, string tenantId = "default") =>
        new(planId, tenantId, $"Create {posts} posts", [.. Enumerable.Range(1, posts).Select(i => new PostSpec(i, platform, $"topic {(i % 3) + 1}", $"angle {i}"))], DateTimeOffset.UnixEpoch);

    /// <summary>Reads the post index back from a prompt built by ContentAgent.</summary>
    public static int IndexOf(IEnumerable<ChatMessage> messages)
    {
        var text = messages.Last().Text;
        var start = text.IndexOf("Index: ", StringComparison.Ordinal) + "Index: ".Length;
        var end = text.IndexOf('\n', start);
        return int.Parse(text.AsSpan(start, end - start), CultureInfo.InvariantCulture);
    }

    /// <summary>Counts the requests that asked for a post (not for a compaction or a judgement).</summary>
    public static int PostCalls(TestChatClient client)
    {
        lock (client.Requests)
        {
            return client.Requests.Count(r => r.Messages[^1].Text.StartsWith("## Post\n", StringComparison.Ordinal));
        }
    }

    public static ChatResponse Reply(string text) => new(new ChatMessage(ChatRole.Assistant, text))
    {
        Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 50, TotalTokenCount = 150 },
    };

    public static QualityScore Score(double perCriterion) =>
        new(perCriterion * 10, [.. Enum.GetValues<QualityCriterion>().Select(c => new CriterionScore(c, perCriterion, "test"))], "test");

    public static async Task<List<BatchEvent>> CollectAsync(IAsyncEnumerable<BatchEvent> events)
    {
        var list = new List<BatchEvent>();
        await foreach (var batchEvent in events)
        {
            list.Add(batchEvent);
        }

        return list;
    }
}

/// <summary>A scorer that returns what a callback says.</summary>
internal sealed class CallbackScorer(Func<PostSpec, string, QualityScore> score) : IQualityScorer
{
    public ValueTask<QualityScore> ScoreAsync(PostSpec spec, string text, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(score(spec, text));
}

/// <summary>A gate that records what it saw and answers from a callback.</summary>
internal sealed class RecordingGate(Func<CheckpointStats, CheckpointDecision>? decide = null) : ICheckpointGate
{
    public List<CheckpointStats> Seen { get; } = [];

    public ValueTask<CheckpointDecision> DecideAsync(CheckpointStats stats, CancellationToken cancellationToken = default)
    {
        Seen.Add(stats);
        return ValueTask.FromResult(decide?.Invoke(stats) ?? CheckpointDecision.Continue);
    }
}
