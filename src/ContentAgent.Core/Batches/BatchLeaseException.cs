namespace ContentAgent.Batches;

/// <summary>A batch is being run by someone else (another process, or an earlier run whose lease has not expired).</summary>
public sealed class BatchLeaseException : InvalidOperationException
{
    /// <summary>Initializes a new instance of the <see cref="BatchLeaseException"/> class.</summary>
    public BatchLeaseException()
        : base("The batch is being run by someone else.")
    {
        Owner = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="BatchLeaseException"/> class.</summary>
    /// <param name="message">The message.</param>
    public BatchLeaseException(string message)
        : base(message)
    {
        Owner = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="BatchLeaseException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public BatchLeaseException(string message, Exception innerException)
        : base(message, innerException)
    {
        Owner = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="BatchLeaseException"/> class.</summary>
    /// <param name="planId">The batch.</param>
    /// <param name="owner">Who holds its lease.</param>
    /// <param name="expiresAt">Until when.</param>
    public BatchLeaseException(string planId, string owner, DateTimeOffset expiresAt)
        : base($"Batch {planId} is being run by {owner} until {expiresAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC (unless it renews its lease); try again after that.")
    {
        Owner = owner;
        ExpiresAt = expiresAt;
    }

    /// <summary>Gets who holds the lease.</summary>
    public string Owner { get; }

    /// <summary>Gets when the lease ends unless renewed.</summary>
    public DateTimeOffset ExpiresAt { get; }
}
