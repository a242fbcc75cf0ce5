namespace ContentAgent.Delivery.Execution;

/// <summary>One thing to send: a post, to one target, on one channel, at a time, with a deterministic idempotency key.</summary>
/// <param name="Key">The idempotency key: the same plan, post, channel and target always give the same key.</param>
/// <param name="PlanId">The batch's plan id.</param>
/// <param name="TenantId">The tenant that owns the batch.</param>
/// <param name="PostIndex">The post's index in its plan.</param>
/// <param name="Channel">The channel: <c>email</c>, <c>social</c> or <c>crm</c>.</param>
/// <param name="Target">Where it goes: an email address, or the channel's endpoint.</param>
/// <param name="Platform">The platform the post was written for, for example <c>LinkedIn</c>.</param>
/// <param name="Subject">A one-line subject (email subject, CRM note title).</param>
/// <param name="Text">The post's text.</param>
/// <param name="ScheduledAt">When it should go out.</param>
public sealed record ExecutionItem(
    string Key,
    string PlanId,
    string TenantId,
    int PostIndex,
    string Channel,
    string Target,
    string Platform,
    string Subject,
    string Text,
    DateTimeOffset ScheduledAt);

/// <summary>What a gateway reports for an item it delivered.</summary>
/// <param name="ProviderMessageId">The provider's id for it (an email's Message-ID, a status id, a note id).</param>
public sealed record GatewayReceipt(string? ProviderMessageId);
