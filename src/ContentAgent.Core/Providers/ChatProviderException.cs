using ContentAgent.Resilience;

namespace ContentAgent.Providers;

/// <summary>
/// A call to the chat model failed. <see cref="IsTransient"/> says whether trying again may help (timeouts, 408, 429, 5xx,
/// dropped connections, a garbled answer); a non-transient failure (400, 401, 403, 404, a content filter) fails the post
/// at once. The message names the cause and never holds the API key.
/// </summary>
public sealed class ChatProviderException : Exception, ITransientFailure
{
    /// <summary>Initializes a new instance of the <see cref="ChatProviderException"/> class.</summary>
    public ChatProviderException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ChatProviderException"/> class.</summary>
    /// <param name="message">What failed.</param>
    public ChatProviderException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ChatProviderException"/> class.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The provider's exception.</param>
    public ChatProviderException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ChatProviderException"/> class.</summary>
    /// <param name="message">What failed (no secrets).</param>
    /// <param name="isTransient">Whether trying again may help.</param>
    /// <param name="statusCode">The HTTP status the provider answered with, if any.</param>
    /// <param name="retryAfter">How long the provider asked to wait, if it did.</param>
    /// <param name="innerException">The provider's exception, if any.</param>
    public ChatProviderException(string message, bool isTransient, int? statusCode = null, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        IsTransient = isTransient;
        StatusCode = statusCode;
        RetryAfter = retryAfter;
    }

    /// <summary>Gets a value indicating whether trying again may help.</summary>
    public bool IsTransient { get; }

    /// <summary>Gets the HTTP status the provider answered with, if any.</summary>
    public int? StatusCode { get; }

    /// <summary>Gets how long the provider asked to wait before the next call (<c>Retry-After</c>), if it did.</summary>
    public TimeSpan? RetryAfter { get; }
}
