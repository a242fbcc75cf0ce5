namespace ContentAgent.Leasing;

/// <summary>A piece of work is leased by someone else (another process, or a run whose lease has not expired), or a run lost its lease.</summary>
public sealed class LeaseException : InvalidOperationException
{
    /// <summary>Initializes a new instance of the <see cref="LeaseException"/> class.</summary>
    public LeaseException()
        : base("The work is leased by someone else.")
    {
        Owner = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="LeaseException"/> class.</summary>
    /// <param name="message">The message.</param>
    public LeaseException(string message)
        : base(message)
    {
        Owner = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="LeaseException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public LeaseException(string message, Exception innerException)
        : base(message, innerException)
    {
        Owner = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="LeaseException"/> class.</summary>
    /// <param name="message">The message, naming the work and the holder.</param>
    /// <param name="key">What the lease is on.</param>
    /// <param name="owner">Who holds it now (a token; see <see cref="LeaseOwner.Describe(string)"/>).</param>
    /// <param name="expiresAt">Until when.</param>
    /// <param name="lost">Whether a run lost the lease it held (rather than never getting it).</param>
    /// <param name="innerException">The cause, if any.</param>
    public LeaseException(string message, LeaseKey key, string owner, DateTimeOffset expiresAt, bool lost, Exception? innerException)
        : base(message, innerException)
    {
        Key = key;
        Owner = owner;
        ExpiresAt = expiresAt;
        Lost = lost;
    }

    /// <summary>Gets what the lease is on.</summary>
    public LeaseKey Key { get; }

    /// <summary>Gets who holds the lease.</summary>
    public string Owner { get; }

    /// <summary>Gets when the lease ends unless renewed.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>Gets a value indicating whether a run lost a lease it held (taken over, or its renewal failed).</summary>
    public bool Lost { get; }
}
