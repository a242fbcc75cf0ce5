using ContentAgent.Resilience;

namespace ContentAgent.Delivery.Execution;

/// <summary>
/// Delivers items of one channel (email over SMTP, social or CRM over HTTP, a CSV file). The executor wraps every call in
/// the channel's named Polly pipeline and records each item in the send ledger before and after it.
/// </summary>
public interface IExecutionGateway
{
    /// <summary>Gets the channel it serves: <c>email</c>, <c>social</c> or <c>crm</c>.</summary>
    string Channel { get; }

    /// <summary>Gets the API shape, for reports (for example <c>smtp</c>, <c>webhook</c>, <c>mastodon</c>, <c>hubspot</c>, <c>csv</c>).</summary>
    string Kind { get; }

    /// <summary>
    /// Gets a value indicating whether the provider honours the idempotency key. The executor records an item sent at the
    /// commit hook, so an item a run left pending never reached the provider and is sent again safely either way; this
    /// says what happens when a send fails after the hook (the request may have arrived): with a key the provider honours,
    /// it is retried; without, it is recorded as unconfirmed and never sent again.
    /// </summary>
    bool HonoursIdempotencyKey { get; }

    /// <summary>Sends one item.</summary>
    /// <param name="item">The item.</param>
    /// <param name="committing">
    /// Called at the last moment before the provider commits the item (for SMTP, before the message's final dot); the
    /// executor records the item as sent there, so a crash after it never sends the item again. Gateways whose provider
    /// commits on receipt of a request call it just before sending the request, or not at all.
    /// </param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>What the provider said.</returns>
    /// <exception cref="GatewayException">The provider refused or could not be reached; <see cref="GatewayException.IsTransient"/> says whether to try again.</exception>
    Task<GatewayReceipt> SendAsync(ExecutionItem item, Func<CancellationToken, Task> committing, CancellationToken cancellationToken = default);
}

/// <summary>
/// A gateway could not deliver an item. The message names the cause and holds no secret and no message body;
/// <see cref="IsTransient"/>, <see cref="StatusCode"/> and <see cref="RetryAfter"/> say whether and when to try again.
/// </summary>
public sealed class GatewayException : Exception, ITransientFailure
{
    /// <summary>Initializes a new instance of the <see cref="GatewayException"/> class.</summary>
    public GatewayException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="GatewayException"/> class.</summary>
    /// <param name="message">What failed.</param>
    public GatewayException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="GatewayException"/> class.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public GatewayException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="GatewayException"/> class.</summary>
    /// <param name="message">What failed (no secrets, no bodies).</param>
    /// <param name="isTransient">Whether trying again may help.</param>
    public GatewayException(string message, bool isTransient)
        : base(message)
    {
        IsTransient = isTransient;
    }

    /// <summary>Initializes a new instance of the <see cref="GatewayException"/> class.</summary>
    /// <param name="message">What failed (no secrets, no bodies).</param>
    /// <param name="isTransient">Whether trying again may help.</param>
    /// <param name="innerException">The cause.</param>
    public GatewayException(string message, bool isTransient, Exception? innerException)
        : base(message, innerException)
    {
        IsTransient = isTransient;
    }

    /// <summary>Initializes a new instance of the <see cref="GatewayException"/> class for a provider's answer.</summary>
    /// <param name="message">What failed (no secrets, no bodies).</param>
    /// <param name="isTransient">Whether trying again may help.</param>
    /// <param name="statusCode">The status the provider answered with (HTTP, or SMTP's reply code).</param>
    /// <param name="retryAfter">How long the provider asked to wait, if it did.</param>
    /// <param name="innerException">The cause.</param>
    public GatewayException(string message, bool isTransient, int? statusCode, TimeSpan? retryAfter, Exception? innerException)
        : base(message, innerException)
    {
        IsTransient = isTransient;
        StatusCode = statusCode;
        RetryAfter = retryAfter;
    }

    /// <summary>Gets a value indicating whether trying again may help.</summary>
    public bool IsTransient { get; }

    /// <summary>Gets the status the provider answered with (an HTTP status, or an SMTP reply code), if it answered.</summary>
    public int? StatusCode { get; }

    /// <summary>Gets how long the provider asked to wait before the next try (<c>Retry-After</c>), if it did.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>
    /// Gets or sets a value indicating whether the item may have reached the provider although the send failed: the
    /// connection broke after the item was handed over and before the provider answered. A refusal is never delivered.
    /// </summary>
    public bool MayHaveBeenDelivered { get; init; }
}
