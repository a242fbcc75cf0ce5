namespace ContentAgent.Delivery.Execution;

/// <summary>What one execution run sets for itself instead of taking it from <see cref="ExecutionOptions"/>.</summary>
public sealed record ExecutionRequest
{
    /// <summary>Gets whether this run is a dry run; <see langword="null"/> keeps <see cref="ExecutionOptions.DryRun"/>.</summary>
    public bool? DryRun { get; init; }

    /// <summary>
    /// Gets the email recipients of this run's plan, in place of <c>ContentAgent:Execution:Email:To</c>;
    /// <see langword="null"/> keeps the configured ones. Each address gets its own items and idempotency keys, so a
    /// recipient added later receives every post once and the earlier ones are not sent anything again.
    /// </summary>
    public IReadOnlyList<string>? EmailRecipients { get; init; }
}
