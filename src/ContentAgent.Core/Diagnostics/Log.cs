using Microsoft.Extensions.Logging;

namespace ContentAgent.Diagnostics;

/// <summary>ContentAgent's batch log messages, with fixed event ids. Post content is never logged above Trace.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Batch {PlanId} started for tenant {TenantId}: {Total} posts, {AlreadyFinished} already finished, {Parallel} at a time.")]
    public static partial void BatchStarted(ILogger logger, string planId, string tenantId, int total, int alreadyFinished, int parallel);

    [LoggerMessage(2, LogLevel.Information, "Batch {PlanId} ended {Status}: {Succeeded} done, {Failed} failed, average score {AverageScore:F1}, in {DurationMs} ms.")]
    public static partial void BatchEnded(ILogger logger, string planId, string status, int succeeded, int failed, double averageScore, long durationMs);

    [LoggerMessage(3, LogLevel.Debug, "Post {Index} of batch {PlanId} done: score {Score:F1}, {Attempts} attempt(s), {DurationMs} ms.")]
    public static partial void PostDone(ILogger logger, string planId, int index, double score, int attempts, long durationMs);

    [LoggerMessage(4, LogLevel.Warning, "Post {Index} of batch {PlanId} failed after {Attempts} attempt(s): {Reason}")]
    public static partial void PostFailed(ILogger logger, string planId, int index, int attempts, string reason);

    [LoggerMessage(5, LogLevel.Debug, "Post {Index} of batch {PlanId}: attempt {Attempt} failed and will be retried: {Reason}")]
    public static partial void PostRetry(ILogger logger, string planId, int index, int attempt, string reason);

    [LoggerMessage(6, LogLevel.Information, "Batch {PlanId}: learning context compacted ({Method}) from {TokensBefore} to {TokensAfter} tokens.")]
    public static partial void Compacted(ILogger logger, string planId, string method, int tokensBefore, int tokensAfter);

    [LoggerMessage(7, LogLevel.Warning, "LLM compaction failed, used the offline compactor instead: {Reason}")]
    public static partial void CompactionFellBack(ILogger logger, string reason);

    [LoggerMessage(8, LogLevel.Information, "Batch {PlanId}: checkpoint {Number} after {Processed} posts answered {Decision}.")]
    public static partial void Checkpoint(ILogger logger, string planId, int number, int processed, string decision);

    [LoggerMessage(9, LogLevel.Information, "Batch {PlanId} cancelled after {Processed} posts; finished posts are kept.")]
    public static partial void BatchCancelled(ILogger logger, string planId, int processed);

    [LoggerMessage(10, LogLevel.Trace, "Post {Index} of batch {PlanId} text: {Text}")]
    public static partial void PostText(ILogger logger, string planId, int index, string text);

    [LoggerMessage(11, LogLevel.Warning, "Batch {PlanId} suspended after {Processed} posts: {Reason}")]
    public static partial void BatchSuspended(ILogger logger, string planId, int processed, string reason);

    [LoggerMessage(12, LogLevel.Information, "Chat model: {Description}.")]
    public static partial void ChatModel(ILogger logger, string description);

    [LoggerMessage(13, LogLevel.Warning, "The circuit to the chat provider opened for {BreakDuration}: calls fail at once until a trial call succeeds.")]
    public static partial void CircuitOpened(ILogger logger, TimeSpan breakDuration);

    [LoggerMessage(14, LogLevel.Information, "The circuit to the chat provider closed: calls go through again.")]
    public static partial void CircuitClosed(ILogger logger);
}
