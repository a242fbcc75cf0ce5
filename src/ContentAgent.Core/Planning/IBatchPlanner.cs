namespace ContentAgent.Planning;

/// <summary>Turns a brief such as "Create 15 LinkedIn posts: 5 about AI, 5 about productivity, 5 about remote work" into a <see cref="BatchPlan"/>.</summary>
public interface IBatchPlanner
{
    /// <summary>Plans a batch from a brief, for a tenant. The plan gets a new, globally unique and sortable id.</summary>
    /// <param name="tenantId">The tenant that will own the batch (see <see cref="ContentAgent.Tenancy.TenantIds"/>).</param>
    /// <param name="brief">The user's brief.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A validated plan.</returns>
    /// <exception cref="InvalidBriefException">The brief cannot be planned; the message names the problem and shows a good brief.</exception>
    /// <exception cref="ArgumentException"><paramref name="tenantId"/> is not a valid tenant id.</exception>
    Task<BatchPlan> PlanAsync(string tenantId, string brief, CancellationToken cancellationToken = default);
}
