using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace ContentAgent.Delivery.Diagnostics;

/// <summary>Delivery's log messages (event ids from 100) and its activity source, named <c>ContentAgent</c> like the core's.</summary>
internal static partial class DeliveryLog
{
    public static readonly ActivitySource ActivitySource = new("ContentAgent", typeof(DeliveryLog).Assembly.GetName().Version?.ToString(3));

    [LoggerMessage(100, LogLevel.Information, "Package of batch {PlanId}: {Files} file(s) in {Directory}, {Errors} error(s), in {DurationMs} ms.")]
    public static partial void Packaged(ILogger logger, string planId, int files, string directory, int errors, long durationMs);

    [LoggerMessage(101, LogLevel.Warning, "Package of batch {PlanId}: {Source} failed: {Reason}")]
    public static partial void PackageError(ILogger logger, string planId, string source, string reason);

    [LoggerMessage(110, LogLevel.Information, "execution.started: batch {PlanId}, {Items} item(s) on {Channels}; enabled {Enabled}, dry run {DryRun}.")]
    public static partial void ExecutionStarted(ILogger logger, string planId, int items, string channels, bool enabled, bool dryRun);

    [LoggerMessage(111, LogLevel.Information, "execution.item_sent: {Key} of post {PostIndex} via {Channel} ({Kind}), message id {MessageId}.")]
    public static partial void ItemSent(ILogger logger, string key, int postIndex, string channel, string kind, string? messageId);

    [LoggerMessage(112, LogLevel.Warning, "execution.item_failed: {Key} of post {PostIndex} via {Channel}: {Reason}")]
    public static partial void ItemFailed(ILogger logger, string key, int postIndex, string channel, string reason);

    [LoggerMessage(113, LogLevel.Debug, "execution.item_skipped: {Key} of post {PostIndex} via {Channel}: {Outcome}.")]
    public static partial void ItemSkipped(ILogger logger, string key, int postIndex, string channel, string outcome);

    [LoggerMessage(114, LogLevel.Error, "execution.channel_failed: {Channel}: {Reason}")]
    public static partial void ChannelFailed(ILogger logger, string channel, string reason);

    [LoggerMessage(115, LogLevel.Information, "execution.completed: batch {PlanId}: {Sent} sent, {Failed} failed, {Skipped} skipped, in {DurationMs} ms.")]
    public static partial void ExecutionCompleted(ILogger logger, string planId, int sent, int failed, int skipped, long durationMs);

    [LoggerMessage(116, LogLevel.Trace, "execution.item_body: {Key}: {Text}")]
    public static partial void ItemBody(ILogger logger, string key, string text);
}

/// <summary>Delivery's instruments, on the <c>ContentAgent</c> meter from the host's <see cref="IMeterFactory"/>.</summary>
internal sealed class DeliveryInstruments
{
    public DeliveryInstruments(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create("ContentAgent", typeof(DeliveryInstruments).Assembly.GetName().Version?.ToString(3));
        ExecutionItems = meter.CreateCounter<long>("contentagent.execution.items", "{item}", "Execution items by channel and outcome (sent, failed, skipped, ...).");
        PackageDuration = meter.CreateHistogram<double>("contentagent.package.duration", "s", "Time to build a client package.");
    }

    public Counter<long> ExecutionItems { get; }

    public Histogram<double> PackageDuration { get; }
}
