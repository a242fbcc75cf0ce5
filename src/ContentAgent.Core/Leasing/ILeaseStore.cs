namespace ContentAgent.Leasing;

/// <summary>
/// Where leases live, keyed by (tenant, scope, id). Every call is one atomic step, so two processes (or silos) on one store
/// never both hold a lease. The SQLite store and the in-memory store implement it; <c>tests/…/Leasing/LeaseStoreConformanceTests</c>
/// is what any other store must pass.
/// </summary>
public interface ILeaseStore
{
    /// <summary>
    /// Takes or renews a lease: it succeeds when nobody holds it, when it expired, or when <paramref name="owner"/> already
    /// holds it (then it is renewed for <paramref name="duration"/> from now).
    /// </summary>
    /// <param name="key">What the lease is on.</param>
    /// <param name="owner">Who asks (unique per run).</param>
    /// <param name="duration">How long the lease lasts from now unless renewed.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The lease as it stands after the call: <paramref name="owner"/>'s when it succeeded, another's otherwise.</returns>
    ValueTask<Lease> AcquireAsync(LeaseKey key, string owner, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes a lease from a holder known to be gone, whether or not it expired: succeeds only while <paramref name="expectedOwner"/>
    /// still holds it (a compare-and-swap), so a holder that renewed, or another that took it first, keeps it.
    /// </summary>
    /// <param name="key">What the lease is on.</param>
    /// <param name="expectedOwner">The holder to take it from.</param>
    /// <param name="owner">The new holder.</param>
    /// <param name="duration">How long the lease lasts from now unless renewed.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The new lease, or <see langword="null"/> when <paramref name="expectedOwner"/> no longer held it.</returns>
    ValueTask<Lease?> TakeOverAsync(LeaseKey key, string expectedOwner, string owner, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Gives a lease back, if <paramref name="owner"/> holds it; otherwise changes nothing.</summary>
    /// <param name="key">What the lease is on.</param>
    /// <param name="owner">Who gives it back.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the lease is released.</returns>
    ValueTask ReleaseAsync(LeaseKey key, string owner, CancellationToken cancellationToken = default);

    /// <summary>Gets a lease as it stands, expired or not.</summary>
    /// <param name="key">What the lease is on.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The lease, or <see langword="null"/> when nobody holds or held it.</returns>
    ValueTask<Lease?> GetAsync(LeaseKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists the leases of a scope that expired by <paramref name="asOf"/>, across every tenant, oldest expiry first: the work a
    /// dead process or silo left behind, for a sweeper to pick up (it takes each with <see cref="AcquireAsync"/>).
    /// </summary>
    /// <param name="scope">The kind of work, for example <see cref="LeaseScopes.Batch"/>.</param>
    /// <param name="asOf">The time expiry is judged at.</param>
    /// <param name="limit">The most leases to return.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The expired leases.</returns>
    ValueTask<IReadOnlyList<Lease>> GetExpiredAsync(string scope, DateTimeOffset asOf, int limit = 100, CancellationToken cancellationToken = default);
}
