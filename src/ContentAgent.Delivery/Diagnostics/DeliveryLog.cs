using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace ContentAgent.Delivery.Diagnostics;

/// <summary>Delivery's log messages (event ids 100 to 139; activities go to Core's one source, <c>Telemetry.ActivitySource</c>).</summary>
internal static partial class DeliveryLog
{
    [LoggerMessage(EventId = 100, EventName = "Packaged", Level = LogLevel.Information, Message = "Package of batch {PlanId}: {Files} file(s) in {Directory}, {Errors} error(s), in {DurationMs} ms.")]
    public static partial void Packaged(ILogger logger, string planId, int files, string directory, int errors, long durationMs);

    [LoggerMessage(EventId = 101, EventName = "PackageError", Level = LogLevel.Warning, Message = "Package of batch {PlanId}: {Source} failed: {Reason}")]
    public static partial void PackageError(ILogger logger, string planId, string source, string reason);

    [LoggerMessage(EventId = 110, EventName = "ExecutionStarted", Level = LogLevel.Information, Message = "execution.started: batch {PlanId}, {Items} item(s) on {Channels}; enabled {Enabled}, dry run {DryRun}.")]
    public static partial void ExecutionStarted(ILogger logger, string planId, int items, string channels, bool enabled, bool dryRun);

    [LoggerMessage(EventId = 111, EventName = "ItemSent", Level = LogLevel.Information, Message = "execution.item_sent: {Key} of post {PostIndex} via {Channel} ({Kind}), message id {MessageId}.")]
    public static partial void ItemSent(ILogger logger, string key, int postIndex, string channel, string kind, string? messageId);

    [LoggerMessage(EventId = 112, EventName = "ItemFailed", Level = LogLevel.Warning, Message = "execution.item_failed: {Key} of post {PostIndex} via {Channel}: {Reason}")]
    public static partial void ItemFailed(ILogger logger, string key, int postIndex, string channel, string reason);

    [LoggerMessage(EventId = 113, EventName = "ItemSkipped", Level = LogLevel.Debug, Message = "execution.item_skipped: {Key} of post {PostIndex} via {Channel}: {Outcome}.")]
    public static partial void ItemSkipped(ILogger logger, string key, int postIndex, string channel, string outcome);

    [LoggerMessage(EventId = 114, EventName = "ChannelFailed", Level = LogLevel.Error, Message = "execution.channel_failed: {Channel}: {Reason}")]
    public static partial void ChannelFailed(ILogger logger, string channel, string reason);

    [LoggerMessage(EventId = 115, EventName = "ExecutionCompleted", Level = LogLevel.Information, Message = "execution.completed: batch {PlanId}: {Sent} sent, {Failed} failed, {Skipped} skipped, in {DurationMs} ms.")]
    public static partial void ExecutionCompleted(ILogger logger, string planId, int sent, int failed, int skipped, long durationMs);

    [LoggerMessage(EventId = 116, EventName = "ItemBody", Level = LogLevel.Trace, Message = "execution.item_body: {Key}: {Text}")]
    public static partial void ItemBody(ILogger logger, string key, string text);
}

/// <summary>Delivery's instruments, on the <c>ContentAgent</c> meter from the host's <see cref="IMeterFactory"/>.</summary>
internal sealed class DeliveryInstruments
{
    public DeliveryInstruments(IMeterFactory meterFactory)
    {
        var meter = ContentAgent.Diagnostics.Telemetry.Meter(meterFactory);
        ExecutionItems = meter.CreateCounter<long>("contentagent.execution.items", "{item}", "Execution items by channel and outcome (sent, failed, skipped, ...).");
        PackageDuration = meter.CreateHistogram<double>("contentagent.package.duration", "s", "Time to build a client package.");
    }

    public Counter<long> ExecutionItems { get; }

    public Histogram<double> PackageDuration { get; }
}
