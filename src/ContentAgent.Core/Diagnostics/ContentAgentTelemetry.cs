using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ContentAgent.Diagnostics;

/// <summary>
/// ContentAgent's OpenTelemetry instruments: one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named
/// <see cref="Name"/>. Add them to OpenTelemetry with <c>AddSource("ContentAgent")</c> and <c>AddMeter("ContentAgent")</c>.
/// </summary>
public static class ContentAgentTelemetry
{
    /// <summary>The name of ContentAgent's activity source and meter.</summary>
    public const string Name = "ContentAgent";
}

/// <summary>The instruments, created from the host's <see cref="IMeterFactory"/>.</summary>
internal sealed class BatchInstruments
{
    internal static readonly ActivitySource ActivitySource = new(ContentAgentTelemetry.Name, typeof(BatchInstruments).Assembly.GetName().Version?.ToString(3));

    public BatchInstruments(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(ContentAgentTelemetry.Name, typeof(BatchInstruments).Assembly.GetName().Version?.ToString(3));
        PostsGenerated = meter.CreateCounter<long>("contentagent.posts.generated", "{post}", "Posts written, scored and recorded.");
        PostsFailed = meter.CreateCounter<long>("contentagent.posts.failed", "{post}", "Posts that failed after their attempts or timeout.");
        PostDuration = meter.CreateHistogram<double>("contentagent.post.duration", "s", "Time to write and score one post, attempts included.");
        PostScore = meter.CreateHistogram<double>("contentagent.post.score", "{score}", "Overall quality score of a done post (0-100).");
        ContextTokens = meter.CreateHistogram<int>("contentagent.context.tokens", "{token}", "Learning-context tokens carried by a post's prompt.");
        Compactions = meter.CreateCounter<long>("contentagent.context.compactions", "{compaction}", "Learning-context compactions.");
        BatchDuration = meter.CreateHistogram<double>("contentagent.batch.duration", "s", "Time of one batch run.");
    }

    public Counter<long> PostsGenerated { get; }

    public Counter<long> PostsFailed { get; }

    public Histogram<double> PostDuration { get; }

    public Histogram<double> PostScore { get; }

    public Histogram<int> ContextTokens { get; }

    public Counter<long> Compactions { get; }

    public Histogram<double> BatchDuration { get; }
}
