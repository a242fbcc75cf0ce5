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

/// <summary>
/// The one <see cref="System.Diagnostics.ActivitySource"/> of every ContentAgent package, and the one way to get the one
/// <see cref="Meter"/>. Activities are named <c>contentagent.&lt;area&gt;[.&lt;step&gt;]</c>, instruments
/// <c>contentagent.&lt;thing&gt;.&lt;measure&gt;</c> with a unit; tags are <c>contentagent.*</c>.
/// </summary>
/// <remarks>
/// Log event ids are unique across the solution, with an explicit <c>EventName</c> each, in one range per area:
/// 1–99 batches and chat (Core), 100–139 packaging and execution, 140–149 the HTTP gateways, 150–159 the SMTP gateway,
/// 200–299 live chat providers. A test reads every <c>[LoggerMessage]</c> of the ContentAgent assemblies and fails on a repeat.
/// </remarks>
internal static class Telemetry
{
    /// <summary>The version the source and the meter report: Core's, so that every package reports the same.</summary>
    public static readonly string? Version = typeof(Telemetry).Assembly.GetName().Version?.ToString(3);

    /// <summary>The activity source of every ContentAgent package.</summary>
    public static readonly ActivitySource ActivitySource = new(ContentAgentTelemetry.Name, Version);

    /// <summary>Gets the <c>ContentAgent</c> meter from the host's factory (which hands every caller the same instance).</summary>
    public static Meter Meter(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        return meterFactory.Create(ContentAgentTelemetry.Name, Version);
    }
}

/// <summary>The batch instruments, on the <c>ContentAgent</c> meter from the host's <see cref="IMeterFactory"/>.</summary>
internal sealed class BatchInstruments
{
    public BatchInstruments(IMeterFactory meterFactory)
    {
        var meter = Telemetry.Meter(meterFactory);
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
