using ContentAgent.Planning;

namespace ContentAgent.Batches;

/// <summary>Something that happened in a batch run. A run is an <see cref="IAsyncEnumerable{T}"/> of these; each names its tenant and batch.</summary>
/// <param name="TenantId">The tenant that owns the batch.</param>
/// <param name="PlanId">The batch's plan id.</param>
/// <param name="Timestamp">When it happened.</param>
public abstract record BatchEvent(string TenantId, string PlanId, DateTimeOffset Timestamp);

/// <summary>The run started.</summary>
/// <param name="TenantId">The tenant that owns the batch.</param>
/// <param name="PlanId">The batch's plan id.</param>
/// <param name="Timestamp">When it happened.</param>
/// <param name="Total">The posts in the plan.</param>
/// <param name="AlreadyFinished">The posts finished by an earlier run, which will not be written again.</param>
/// <param name="TakenOverFrom">
/// When the batch's lease was held by a run on this machine whose process is gone (killed, crashed) and was taken over at
/// once instead of after it expired, who that was ("process 1234 on host"); otherwise <see langword="null"/>.
/// </param>
public sealed record BatchStarted(string TenantId, string PlanId, DateTimeOffset Timestamp, int Total, int AlreadyFinished, string? TakenOverFrom = null) : BatchEvent(TenantId, PlanId, Timestamp);

/// <summary>A post started.</summary>
/// <param name="TenantId">The tenant that owns the batch.</param>
/// <param name="PlanId">The batch's plan id.</param>
/// <param name="Timestamp">When it happened.</param>
/// <param name="Post">The post.</param>
/// <param name="ContextTokens">The tokens of learning context its prompt carries.</param>
public sealed record PostStarted(string TenantId, string PlanId, DateTimeOffset Timestamp, PostSpec Post, int ContextTokens) : BatchEvent(TenantId, PlanId, Timestamp);

/// <summary>A post is done.</summary>
/// <param name="TenantId">The tenant that owns the batch.</param>
/// <param name="PlanId">The batch's plan id.</param>
/// <param name="Timestamp">When it happened.</param>
/// <param name="Post">The post.</param>
/// <param name="Processed">The posts finished or failed so far, this one included.</param>
/// <param name="Total">The posts in the plan.</param>
public sealed record PostCompleted(string TenantId, string PlanId, DateTimeOffset Timestamp, PostResult Post, int Processed, int Total) : BatchEvent(TenantId, PlanId, Timestamp);

/// <summary>A post failed; the batch goes on.</summary>
/// <param name="TenantId">The tenant that owns the batch.</param>
/// <param name="PlanId">The batch's plan id.</param>
/// <param name="Timestamp">When it happened.</param>
/// <param name="Post">The post, with its <see cref="PostResult.Error"/>.</param>
/// <param name="Processed">The posts finished or failed so far, this one included.</param>
/// <param name="Total">The posts in the plan.</param>
public sealed record PostFailed(string TenantId, string PlanId, DateTimeOffset Timestamp, PostResult Post, int Processed, int Total) : BatchEvent(TenantId, PlanId, Timestamp);

/// <summary>The learning context was compacted.</summary>
/// <param name="TenantId">The tenant that owns the batch.</param>
/// <param name="PlanId">The batch's plan id.</param>
/// <param name="Timestamp">When it happened.</param>
/// <param name="TokensBefore">Its tokens before.</param>
/// <param name="TokensAfter">Its tokens after.</param>
/// <param name="LearningsBefore">Its learnings before.</param>
/// <param name="LearningsAfter">Its learnings after.</param>
/// <param name="Method">"llm" or "offline".</param>
public sealed record ContextCompacted(
    string TenantId,
    string PlanId,
    DateTimeOffset Timestamp,
    int TokensBefore,
    int TokensAfter,
    int LearningsBefore,
    int LearningsAfter,
    string Method) : BatchEvent(TenantId, PlanId, Timestamp);

/// <summary>A checkpoint was reached and answered.</summary>
/// <param name="TenantId">The tenant that owns the batch.</param>
/// <param name="PlanId">The batch's plan id.</param>
/// <param name="Timestamp">When it happened.</param>
/// <param name="Stats">The stats the gate saw.</param>
/// <param name="Decision">The gate's answer.</param>
public sealed record CheckpointReached(string TenantId, string PlanId, DateTimeOffset Timestamp, CheckpointStats Stats, CheckpointDecision Decision) : BatchEvent(TenantId, PlanId, Timestamp);

/// <summary>The run ended (completed, paused or stopped).</summary>
/// <param name="TenantId">The tenant that owns the batch.</param>
/// <param name="PlanId">The batch's plan id.</param>
/// <param name="Timestamp">When it happened.</param>
/// <param name="Result">The run's outcome.</param>
public sealed record BatchCompleted(string TenantId, string PlanId, DateTimeOffset Timestamp, BatchResult Result) : BatchEvent(TenantId, PlanId, Timestamp);
