namespace ContentAgent.Planning;

/// <summary>A planned batch: the brief it came from and one <see cref="PostSpec"/> per post.</summary>
/// <param name="PlanId">The plan's id: globally unique, sortable by creation time, safe to use as a folder or file name and in a URL.</param>
/// <param name="TenantId">The tenant that owns the plan; every stored record of the batch is keyed by it.</param>
/// <param name="Brief">The brief as the user wrote it.</param>
/// <param name="Posts">The posts, ordered by <see cref="PostSpec.Index"/> starting at 1.</param>
/// <param name="CreatedAt">When the plan was made.</param>
public sealed record BatchPlan(
    string PlanId,
    string TenantId,
    string Brief,
    IReadOnlyList<PostSpec> Posts,
    DateTimeOffset CreatedAt);
