namespace ContentAgent.Leasing;

/// <summary>
/// Holds leases for long-running work (a batch run, a workflow run, a job): takes the lease (taking over at once from a
/// process on this machine that is provably dead), renews it every third of its duration, signals its loss, and gives it
/// back when disposed.
/// </summary>
public interface ILeaseKeeper
{
    /// <summary>Takes a lease and keeps it renewed until the returned handle is disposed.</summary>
    /// <param name="key">What the lease is on.</param>
    /// <param name="duration">How long the lease lasts unless renewed; it is renewed every third of that.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The held lease.</returns>
    /// <exception cref="LeaseException">Someone else holds the lease (<see cref="LeaseException.Lost"/> is <see langword="false"/>).</exception>
    Task<IHeldLease> AcquireAsync(LeaseKey key, TimeSpan duration, CancellationToken cancellationToken = default);
}

/// <summary>A lease being held and renewed. Disposing it stops the renewal and gives the lease back.</summary>
public interface IHeldLease : IAsyncDisposable
{
    /// <summary>Gets the lease as last taken or renewed.</summary>
    Lease Lease { get; }

    /// <summary>Gets a token cancelled when the lease is lost: taken over by another owner, or a renewal failed.</summary>
    CancellationToken Lost { get; }

    /// <summary>Gets why the lease was lost, for people; <see langword="null"/> while it is held.</summary>
    LeaseException? Loss { get; }

    /// <summary>Gets, when the lease was taken over from a process on this machine that is no longer running, who that was ("process 1234 on host"); otherwise <see langword="null"/>.</summary>
    string? TakenOverFrom { get; }
}
