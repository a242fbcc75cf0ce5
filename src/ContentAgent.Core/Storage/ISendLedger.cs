namespace ContentAgent.Storage;

/// <summary>
/// The durable record of what was sent where, kept in the same store as the batches: each item of an execution plan is
/// <see cref="SendStatus.Pending"/> while it is being sent, then <see cref="SendStatus.Sent"/> (with the provider's message
/// id) or <see cref="SendStatus.Failed"/>; an item handed to a provider without idempotency keys is
/// <see cref="SendStatus.HandedOver"/> until its answer is recorded. The executor consults it before every send, so a re-run
/// never sends an item that was recorded sent or handed over. Keyed by tenant, plan and the item's idempotency key; deleted with its batch.
/// </summary>
public interface ISendLedger
{
    /// <summary>
    /// Marks an item as being sent, unless it was sent: returns the record as it stood before the call (or
    /// <see langword="null"/> for a new item). When that record is <see cref="SendStatus.Sent"/> or
    /// <see cref="SendStatus.HandedOver"/>, nothing changes and the item must not be sent; otherwise the item is now <see cref="SendStatus.Pending"/> with one more attempt.
    /// </summary>
    /// <param name="batch">The batch the item belongs to (its plan must be stored).</param>
    /// <param name="item">The item's key, channel and target.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The record before the call, or <see langword="null"/>.</returns>
    ValueTask<SendRecord?> BeginAsync(BatchKey batch, SendItem item, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records, at the moment a provider without idempotency keys may commit the item, that it counts as sent
    /// (<see cref="SendStatus.HandedOver"/>, until <see cref="CompleteAsync"/> records the answer). This write
    /// must be as quick as the store allows, because a crash between it and the hand-over loses the item: a store may
    /// skip waiting for the disk here (it survives a killed process at once; the following
    /// <see cref="CompleteAsync"/> makes it durable against a power cut).
    /// </summary>
    /// <param name="batch">The batch the item belongs to.</param>
    /// <param name="itemKey">The item's idempotency key (begun with <see cref="BeginAsync"/>).</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the item counts as sent.</returns>
    ValueTask HandOverAsync(BatchKey batch, string itemKey, CancellationToken cancellationToken = default);

    /// <summary>Records how a send ended. Recording the same outcome twice changes nothing.</summary>
    /// <param name="batch">The batch the item belongs to.</param>
    /// <param name="itemKey">The item's idempotency key.</param>
    /// <param name="status"><see cref="SendStatus.Sent"/>, <see cref="SendStatus.Failed"/>, or <see cref="SendStatus.HandedOver"/> when the answer was lost.</param>
    /// <param name="providerMessageId">The provider's id for what was sent, if it gave one.</param>
    /// <param name="failure">Why it failed, in one line, when it failed.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the outcome is stored.</returns>
    ValueTask CompleteAsync(BatchKey batch, string itemKey, SendStatus status, string? providerMessageId, string? failure, CancellationToken cancellationToken = default);

    /// <summary>Gets every record of a batch, ordered by item key.</summary>
    /// <param name="batch">The batch.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The records.</returns>
    ValueTask<IReadOnlyList<SendRecord>> GetSendsAsync(BatchKey batch, CancellationToken cancellationToken = default);
}

/// <summary>Where a send stands.</summary>
public enum SendStatus
{
    /// <summary>Being sent, or a run stopped while sending it.</summary>
    Pending,

    /// <summary>The provider accepted it.</summary>
    Sent,

    /// <summary>The provider refused it, or it could not be delivered.</summary>
    Failed,

    /// <summary>
    /// Handed to a provider without idempotency keys at the moment it may commit, and the run stopped before the answer
    /// was recorded: it counts as sent and is never sent again, but whether the provider has it is unknown (at most once).
    /// </summary>
    HandedOver,
}

/// <summary>An item as the ledger keys it.</summary>
/// <param name="Key">The item's deterministic idempotency key.</param>
/// <param name="Channel">Its channel, for example <c>email</c>.</param>
/// <param name="Target">Where it goes, for example an address or an endpoint.</param>
public sealed record SendItem(string Key, string Channel, string Target);

/// <summary>A ledger entry.</summary>
/// <param name="Key">The item's idempotency key.</param>
/// <param name="Channel">Its channel.</param>
/// <param name="Target">Where it goes.</param>
/// <param name="Status">Where the send stands.</param>
/// <param name="Attempts">How many times a send was begun.</param>
/// <param name="ProviderMessageId">The provider's id, once sent.</param>
/// <param name="Error">Why the last attempt failed.</param>
/// <param name="UpdatedAt">When the entry last changed.</param>
public sealed record SendRecord(string Key, string Channel, string Target, SendStatus Status, int Attempts, string? ProviderMessageId, string? Error, DateTimeOffset UpdatedAt);
