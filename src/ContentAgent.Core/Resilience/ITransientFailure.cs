namespace ContentAgent.Resilience;

/// <summary>
/// A failure that says whether trying again may help and how long the other side asked to wait. Every ContentAgent
/// exception that can carry a <c>Retry-After</c> implements it (<c>ChatProviderException</c>, <c>GatewayException</c>), and
/// <see cref="TransientFailures"/> reads it; a host's own exceptions can implement it to take part in the same retries.
/// </summary>
public interface ITransientFailure
{
    /// <summary>Gets a value indicating whether trying again may help.</summary>
    bool IsTransient { get; }

    /// <summary>Gets how long the other side asked to wait before the next try (<c>Retry-After</c>), if it did.</summary>
    TimeSpan? RetryAfter { get; }
}
