using System.Globalization;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace ContentAgent.Resilience;

/// <summary>
/// The one classification of failures that ContentAgent's retries use, for chat calls, posts, gateways and (later)
/// workflow steps and jobs alike: which HTTP statuses and exceptions are transient, and how long a provider asked to wait.
/// </summary>
public static class TransientFailures
{
    /// <summary>
    /// Gets whether an HTTP status says that the same request may succeed later: 408 (request timeout), 409 (conflict:
    /// OpenAI's lock timeouts, an idempotency key whose first request is still in flight), 425 (too early), 429 (too many
    /// requests) and every 5xx. Every other status, 4xx above all, says the request itself must change.
    /// </summary>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <returns><see langword="true"/> when trying again may help.</returns>
    public static bool IsTransientStatus(int statusCode) => statusCode is 408 or 409 or 425 or 429 or (>= 500 and <= 599);

    /// <summary>
    /// Gets whether trying again may help after <paramref name="exception"/>. An <see cref="ITransientFailure"/> says so
    /// itself; timeouts, dropped connections, I/O errors, 408/409/425/429/5xx and unreadable answers are transient;
    /// cancellation, an open circuit and programming errors (<see cref="ArgumentException"/> and kin) are not. Anything
    /// else gets the benefit of the doubt.
    /// </summary>
    /// <param name="exception">The failure.</param>
    /// <returns><see langword="true"/> when trying again may help.</returns>
    public static bool IsTransient(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            ITransientFailure failure => failure.IsTransient,
            OperationCanceledException => false,
            BrokenCircuitException or IsolatedCircuitException => false,
            TimeoutRejectedException or TimeoutException => true,
            HttpRequestException { StatusCode: { } status } => IsTransientStatus((int)status),
            HttpRequestException or IOException or SocketException => true,
            JsonException or FormatException => true,
            ArgumentException or NotSupportedException or NotImplementedException or NullReferenceException or InvalidCastException or ObjectDisposedException => false,
            AggregateException { InnerExceptions.Count: > 0 } aggregate => aggregate.InnerExceptions.All(IsTransient),
            _ => true,
        };
    }

    /// <summary>Gets the wait a failure asked for: the <see cref="ITransientFailure.RetryAfter"/> of it or of an exception it wraps.</summary>
    /// <param name="exception">The failure, or <see langword="null"/>.</param>
    /// <returns>The wait, or <see langword="null"/> when none was asked for.</returns>
    public static TimeSpan? RetryAfter(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is ITransientFailure { RetryAfter: { } wait })
            {
                return wait;
            }
        }

        return null;
    }

    /// <summary>
    /// Reads how long a provider asked to wait from its response headers: <c>retry-after-ms</c> (OpenAI's, in milliseconds),
    /// else <c>Retry-After</c> in seconds or as an HTTP date. A time in the past is no wait; a value that is neither is ignored.
    /// </summary>
    /// <param name="header">Gets a header's value by name, or <see langword="null"/> when the response has none.</param>
    /// <param name="timeProvider">The clock an HTTP date is measured against.</param>
    /// <returns>The wait, or <see langword="null"/> when the response asks for none.</returns>
    public static TimeSpan? ParseRetryAfter(Func<string, string?> header, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (header("retry-after-ms") is { } ms && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 0)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        if (header("Retry-After")?.Trim() is not { Length: > 0 } value)
        {
            return null;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds >= 0 ? TimeSpan.FromSeconds(seconds) : null;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? (at - timeProvider.GetUtcNow()) is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero
            : null;
    }

    /// <summary>Reads <see cref="ParseRetryAfter(Func{string, string?}, TimeProvider)"/> from an <see cref="HttpResponseMessage"/>'s headers.</summary>
    /// <param name="response">The response.</param>
    /// <param name="timeProvider">The clock an HTTP date is measured against.</param>
    /// <returns>The wait, or <see langword="null"/> when the response asks for none.</returns>
    public static TimeSpan? ParseRetryAfter(HttpResponseMessage response, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(response);
        return ParseRetryAfter(name => response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null, timeProvider);
    }
}
