using System.ClientModel;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using ContentAgent.Resilience;

namespace ContentAgent.Providers;

/// <summary>
/// The one place that decides what a provider failure means: transient (try again, maybe after <c>Retry-After</c>) or not
/// (fail the post at once), with a message that names the cause and holds no secret.
/// </summary>
internal static partial class ChatFailures
{
    /// <summary>
    /// Translates a provider's exception into a <see cref="ChatProviderException"/>, or returns <see langword="null"/> for an
    /// exception that is not a provider failure (cancellation, a bug). The provider's message is scrubbed of the key.
    /// </summary>
    public static ChatProviderException? Classify(Exception exception, string? secret, TimeProvider timeProvider)
    {
        switch (exception)
        {
            case ChatProviderException provider:
                return provider;
            case OperationCanceledException when exception.InnerException is not null:
                // HttpClient's own timeout (the caller's token was not cancelled; callers check that first).
                return new ChatProviderException("The provider did not answer in time (HTTP timeout).", isTransient: true);
            case OperationCanceledException:
                return null;
            case AggregateException aggregate when aggregate.InnerExceptions.Count > 0:
                return Classify(aggregate.InnerExceptions[^1], secret, timeProvider);
            case OllamaSharp.Models.Exceptions.OllamaException ollama:
                // OllamaSharp raises this for a 400 (the request itself is wrong), with the body's error text.
                return new ChatProviderException($"The provider answered 400 (BadRequest): {Scrub(FirstLine(ollama.Message), secret)}.", isTransient: false, statusCode: 400);
            case ClientResultException result when result.Status > 0:
                var response = result.GetRawResponse();
                return Status(result.Status, Scrub(FirstLine(result.Message), secret), TransientFailures.ParseRetryAfter(name => response is not null && response.Headers.TryGetValue(name, out var value) ? value : null, timeProvider));
            case ClientResultException result:
                return Network(result.InnerException ?? result, secret);
            case HttpRequestException { StatusCode: { } status } http:
                return Status((int)status, Scrub(FirstLine(http.Message), secret), retryAfter: null);
            case HttpRequestException or IOException or SocketException:
                return Network(exception, secret);
            case JsonException or FormatException:
                return new ChatProviderException($"The provider's answer could not be read ({exception.GetType().Name}: {Scrub(FirstLine(exception.Message), secret)}).", isTransient: true);
            case InvalidOperationException when exception.InnerException is JsonException json:
                return Classify(json, secret, timeProvider);
            default:
                return exception.InnerException is { } inner && inner != exception && Classify(inner, secret, timeProvider) is { } classified ? classified : null;
        }
    }

    /// <summary>The failure of a call whose provider answered with a content-filter finish.</summary>
    public static ChatProviderException ContentFiltered() =>
        new("The provider's content filter refused the post (finish reason content_filter); change the brief or brand voice, or the post's topic.", isTransient: false);

    /// <summary>Removes the key, bearer tokens and key-shaped strings from text that came from a provider.</summary>
    public static string Scrub(string text, string? secret)
    {
        if (!string.IsNullOrEmpty(secret) && secret.Length >= 4)
        {
            text = text.Replace(secret, "[redacted]", StringComparison.Ordinal);
        }

        return KeyShaped().Replace(text, "[redacted]");
    }

    private static ChatProviderException Status(int status, string detail, TimeSpan? retryAfter)
    {
        var transient = TransientFailures.IsTransientStatus(status);
        var hint = status switch
        {
            401 => " Check ContentAgent:Chat:ApiKey.",
            403 => " The key may not have access to this model.",
            404 => " Check ContentAgent:Chat:Endpoint and ContentAgent:Chat:Model.",
            429 => " The provider's rate limit: set ContentAgent:Chat:RateLimits to stay under it.",
            _ => string.Empty,
        };
        var text = string.Create(CultureInfo.InvariantCulture, $"The provider answered {status} ({ReasonPhrase(status)}): {detail}.{hint}");
        return new ChatProviderException(text, transient, status, retryAfter);
    }

    private static ChatProviderException Network(Exception exception, string? secret) =>
        new($"The connection to the provider failed ({exception.GetType().Name}: {Scrub(FirstLine(exception.Message), secret)}).", isTransient: true);

    private static string ReasonPhrase(int status) =>
        Enum.IsDefined(typeof(HttpStatusCode), status) ? ((HttpStatusCode)status).ToString() : "unknown status";

    private static string FirstLine(string message)
    {
        var line = message.ReplaceLineEndings(" ").Trim();
        return line.Length <= 240 ? line : string.Concat(line.AsSpan(0, 237), "...");
    }

    [GeneratedRegex(@"(?i)(\bsk-[A-Za-z0-9_\-\*]{6,}|\bbearer\s+[A-Za-z0-9_\-\.=\*]{6,})")]
    private static partial Regex KeyShaped();
}
