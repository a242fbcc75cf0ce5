using Microsoft.Extensions.Logging;

namespace ContentAgent.Diagnostics;

/// <summary>ContentAgent's batch log messages, with fixed event ids. Post content is never logged above Trace.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, EventName = "BatchStarted", Level = LogLevel.Information, Message = "Batch {PlanId} started for tenant {TenantId}: {Total} posts, {AlreadyFinished} already finished, {Parallel} at a time.")]
    public static partial void BatchStarted(ILogger logger, string planId, string tenantId, int total, int alreadyFinished, int parallel);

    [LoggerMessage(EventId = 2, EventName = "BatchEnded", Level = LogLevel.Information, Message = "Batch {PlanId} ended {Status}: {Succeeded} done, {Failed} failed, average score {AverageScore:F1}, in {DurationMs} ms.")]
    public static partial void BatchEnded(ILogger logger, string planId, ContentAgent.Batches.BatchStatus status, int succeeded, int failed, double averageScore, long durationMs);

    [LoggerMessage(EventId = 3, EventName = "PostDone", Level = LogLevel.Debug, Message = "Post {Index} of batch {PlanId} done: score {Score:F1}, {Attempts} attempt(s), {DurationMs} ms.")]
    public static partial void PostDone(ILogger logger, string planId, int index, double score, int attempts, long durationMs);

    [LoggerMessage(EventId = 4, EventName = "PostFailed", Level = LogLevel.Warning, Message = "Post {Index} of batch {PlanId} failed after {Attempts} attempt(s): {Reason}")]
    public static partial void PostFailed(ILogger logger, string planId, int index, int attempts, string reason);

    [LoggerMessage(EventId = 5, EventName = "PostRetry", Level = LogLevel.Debug, Message = "Post {Index} of batch {PlanId}: attempt {Attempt} failed and will be retried: {Reason}")]
    public static partial void PostRetry(ILogger logger, string planId, int index, int attempt, string reason);

    [LoggerMessage(EventId = 6, EventName = "Compacted", Level = LogLevel.Information, Message = "Batch {PlanId}: learning context compacted ({Method}) from {TokensBefore} to {TokensAfter} tokens.")]
    public static partial void Compacted(ILogger logger, string planId, string method, int tokensBefore, int tokensAfter);

    [LoggerMessage(EventId = 7, EventName = "CompactionFellBack", Level = LogLevel.Warning, Message = "LLM compaction failed, used the offline compactor instead: {Reason}")]
    public static partial void CompactionFellBack(ILogger logger, string reason);

    [LoggerMessage(EventId = 8, EventName = "Checkpoint", Level = LogLevel.Information, Message = "Batch {PlanId}: checkpoint {Number} after {Processed} posts answered {Decision}.")]
    public static partial void Checkpoint(ILogger logger, string planId, int number, int processed, ContentAgent.Batches.CheckpointDecision decision);

    [LoggerMessage(EventId = 9, EventName = "BatchCancelled", Level = LogLevel.Information, Message = "Batch {PlanId} cancelled after {Processed} posts; finished posts are kept.")]
    public static partial void BatchCancelled(ILogger logger, string planId, int processed);

    [LoggerMessage(EventId = 10, EventName = "PostText", Level = LogLevel.Trace, Message = "Post {Index} of batch {PlanId} text: {Text}")]
    public static partial void PostText(ILogger logger, string planId, int index, string text);

    [LoggerMessage(EventId = 11, EventName = "BatchSuspended", Level = LogLevel.Warning, Message = "Batch {PlanId} suspended after {Processed} posts: {Reason}")]
    public static partial void BatchSuspended(ILogger logger, string planId, int processed, string reason);

    [LoggerMessage(EventId = 12, EventName = "ChatModel", Level = LogLevel.Information, Message = "Chat model: {Description}.")]
    public static partial void ChatModel(ILogger logger, string description);

    [LoggerMessage(EventId = 13, EventName = "CircuitOpened", Level = LogLevel.Warning, Message = "The circuit to the chat provider opened for {BreakDuration}: calls fail at once until a trial call succeeds.")]
    public static partial void CircuitOpened(ILogger logger, TimeSpan breakDuration);

    [LoggerMessage(EventId = 14, EventName = "CircuitClosed", Level = LogLevel.Information, Message = "The circuit to the chat provider closed: calls go through again.")]
    public static partial void CircuitClosed(ILogger logger);

    [LoggerMessage(EventId = 20, EventName = "LeaseTakenOver", Level = LogLevel.Warning, Message = "Took over the lease on {Key} from {DeadOwner}, which is no longer running (until {ExpiresAt:u}, renewed while the work runs).")]
    public static partial void LeaseTakenOver(ILogger logger, string key, string deadOwner, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 21, EventName = "LeaseLost", Level = LogLevel.Warning, Message = "Lost the lease on {Key}: {Reason}")]
    public static partial void LeaseLost(ILogger logger, string key, string reason);

    [LoggerMessage(EventId = 22, EventName = "LeaseReleaseFailed", Level = LogLevel.Warning, Message = "Could not give back the lease on {Key} ({Reason}); it expires by itself.")]
    public static partial void LeaseReleaseFailed(ILogger logger, string key, string reason);
}
