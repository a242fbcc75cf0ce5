using ContentAgent.Batches;

namespace ContentAgent.Delivery.Execution;

/// <summary>Executes a finished batch through the enabled channels, never sending an item twice.</summary>
public interface IPlanExecutor
{
    /// <summary>Builds the execution plan of a batch: one item per done post, channel and target, with deterministic keys.</summary>
    /// <param name="batch">The batch.</param>
    /// <param name="request">What the run sets for itself (recipients); <see langword="null"/> takes everything from the options.</param>
    /// <returns>The items, in post order then channel order.</returns>
    /// <exception cref="ArgumentException">The request names a recipient that is not an email address.</exception>
    IReadOnlyList<ExecutionItem> Plan(BatchResult batch, ExecutionRequest? request = null);

    /// <summary>
    /// Runs the plan: disabled sends nothing; dry-run says what it would send; otherwise each item not yet sent is recorded
    /// pending, sent through its channel's gateway and pipeline, and recorded sent or failed. A channel that fails entirely
    /// does not stop the others. Cancellation stops between items; what was sent stays recorded.
    /// </summary>
    /// <param name="batch">The batch (its plan must be in the store).</param>
    /// <param name="request">What the run sets for itself (dry run, recipients); <see langword="null"/> takes everything from the options.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentException">The request names a recipient that is not an email address (nothing was sent).</exception>
    Task<ExecutionReport> ExecuteAsync(BatchResult batch, ExecutionRequest? request = null, CancellationToken cancellationToken = default);
}

/// <summary>How an item's run ended.</summary>
public enum ExecutionOutcome
{
    /// <summary>Delivered in this run.</summary>
    Sent,

    /// <summary>Refused or undeliverable; see the error.</summary>
    Failed,

    /// <summary>Not sent: the ledger says an earlier run sent it.</summary>
    SkippedAlreadySent,

    /// <summary>Not sent: a dry run.</summary>
    SkippedDryRun,

    /// <summary>Not sent: execution is disabled.</summary>
    SkippedDisabled,

    /// <summary>
    /// Handed to the provider, but its answer was lost (for example the connection dropped after the message's end, or an
    /// earlier run was killed between the hand-over and the answer) and the provider honours no idempotency key: recorded
    /// as sent, never sent again, so it went out at most once. Every later run reports it again, so it can be checked.
    /// </summary>
    Unconfirmed,

    /// <summary>Not sent: its channel failed before any send (not configured, or unreachable for every item).</summary>
    SkippedChannelFailed,
}

/// <summary>An item and how its run ended.</summary>
/// <param name="Item">The item.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="ProviderMessageId">The provider's id, when sent (now or before).</param>
/// <param name="Error">Why it failed or was skipped, when it did.</param>
/// <param name="Attempts">The send attempts this run made.</param>
public sealed record ExecutionItemResult(ExecutionItem Item, ExecutionOutcome Outcome, string? ProviderMessageId, string? Error, int Attempts);

/// <summary>What an execution run did.</summary>
/// <param name="PlanId">The batch's plan id.</param>
/// <param name="Enabled">Whether execution was enabled.</param>
/// <param name="DryRun">Whether it was a dry run.</param>
/// <param name="Channels">The channels used.</param>
/// <param name="Items">Every item and how it ended.</param>
/// <param name="ChannelErrors">Errors per channel (a channel that could not be used at all, and failed items).</param>
/// <param name="StartedAt">When the run started.</param>
/// <param name="Duration">How long it took.</param>
public sealed record ExecutionReport(
    string PlanId,
    bool Enabled,
    bool DryRun,
    IReadOnlyList<string> Channels,
    IReadOnlyList<ExecutionItemResult> Items,
    IReadOnlyDictionary<string, IReadOnlyList<string>> ChannelErrors,
    DateTimeOffset StartedAt,
    TimeSpan Duration)
{
    /// <summary>Gets the items processed.</summary>
    public int Processed => Items.Count;

    /// <summary>Gets the items sent in this run.</summary>
    public int Sent => Items.Count(static i => i.Outcome == ExecutionOutcome.Sent);

    /// <summary>Gets the items that failed.</summary>
    public int Failed => Items.Count(static i => i.Outcome == ExecutionOutcome.Failed);

    /// <summary>Gets the items skipped, for any reason.</summary>
    public int Skipped => Items.Count(static i => i.Outcome is not (ExecutionOutcome.Sent or ExecutionOutcome.Failed or ExecutionOutcome.Unconfirmed));
}
