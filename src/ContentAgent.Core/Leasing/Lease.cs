namespace ContentAgent.Leasing;

/// <summary>What a lease is on: a tenant's piece of work of one kind (<see cref="LeaseScopes"/>), by its id.</summary>
/// <param name="TenantId">The tenant that owns the work.</param>
/// <param name="Scope">The kind of work, for example <see cref="LeaseScopes.Batch"/>.</param>
/// <param name="Id">The work's id within its tenant and scope, for example a plan id.</param>
public readonly record struct LeaseKey(string TenantId, string Scope, string Id)
{
    /// <inheritdoc />
    public override string ToString() => $"{TenantId}/{Scope}/{Id}";
}

/// <summary>The kinds of work ContentAgent leases.</summary>
public static class LeaseScopes
{
    /// <summary>A batch run: one runner per batch.</summary>
    public const string Batch = "batch";
}

/// <summary>Who may do a piece of work, and until when.</summary>
/// <param name="Key">What the lease is on.</param>
/// <param name="Owner">The holder's token: its <see cref="LeaseOwner"/> name and one run's instance.</param>
/// <param name="ExpiresAt">When the lease ends unless renewed.</param>
public sealed record Lease(LeaseKey Key, string Owner, DateTimeOffset ExpiresAt)
{
    /// <summary>Gets whether <paramref name="owner"/> holds the lease.</summary>
    /// <param name="owner">The owner token to check.</param>
    /// <returns><see langword="true"/> when the lease is <paramref name="owner"/>'s.</returns>
    public bool IsHeldBy(string owner) => string.Equals(Owner, owner, StringComparison.Ordinal);
}
