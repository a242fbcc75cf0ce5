namespace ContentAgent.Storage;

/// <summary>The key of a batch's state in a store: the tenant and the plan id.</summary>
/// <param name="TenantId">The tenant that owns the batch.</param>
/// <param name="PlanId">The batch's plan id.</param>
public readonly record struct BatchKey(string TenantId, string PlanId)
{
    /// <inheritdoc />
    public override string ToString() => $"{TenantId}/{PlanId}";
}
