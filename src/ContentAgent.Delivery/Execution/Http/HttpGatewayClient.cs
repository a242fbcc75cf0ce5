using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ContentAgent.Resilience;
using Microsoft.Extensions.Logging;

namespace ContentAgent.Delivery.Execution.Http;

/// <summary>One request to send for an item: how to build it, what must never appear in a message, and where the provider's id is.</summary>
/// <param name="Kind">The API shape, for logs (<c>webhook</c>, <c>mastodon</c>, <c>hubspot</c>).</param>
/// <param name="CreateRequest">Builds the request (called once, before <c>committing</c>).</param>
/// <param name="Secrets">The access token and the post's text: scrubbed from every message.</param>
/// <param name="IdFromHeaders">Whether a response without a JSON <c>id</c> gives its id in <c>Location</c> or <c>X-Request-Id</c>.</param>
internal sealed record HttpGatewayCall(string Kind, Func<HttpRequestMessage> CreateRequest, IReadOnlyList<string?> Secrets, bool IdFromHeaders);

/// <summary>
/// The HTTP client of one channel's gateway: sends a request, reads the provider's id, and turns every failure into a
/// <see cref="GatewayException"/> that says whether trying again may help and holds no secret and no post text.
/// </summary>
internal sealed class HttpGatewayClient : IDisposable
{
    private const int SnippetLength = 200;
    private const int MaxErrorBodyChars = 16 * 1024;
    private const int MaxSuccessBodyBytes = 1024 * 1024;
    private const string Redacted = "[redacted]";

    private static readonly string Version = typeof(HttpGatewayClient).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private readonly HttpClient _client;
    private readonly HttpChannel _channel;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public HttpGatewayClient(HttpChannel channel, TimeProvider timeProvider, ILogger logger)
    {
        _channel = channel;
        _time = timeProvider;
        _logger = logger;

        // One client per gateway; connections are recycled so DNS changes are seen. The executor's pipeline owns timeouts.
        _client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), AllowAutoRedirect = false })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("ContentAgent", Version));
    }

    public void Dispose() => _client.Dispose();

    /// <summary>Checks a configured endpoint: absolute, http or https.</summary>
    public Uri RequireEndpoint(HttpChannelOptions options, string kind)
    {
        var endpoint = options.Endpoint ?? throw _channel.Missing("Endpoint", kind);
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new GatewayException($"{_channel.Key("Endpoint")} must be an absolute http or https address.", isTransient: false);
        }

        return endpoint;
    }

    /// <summary>Checks a configured bearer token: required or not, it must be one header-safe word (surrounding white space is ignored).</summary>
    public string? Token(HttpChannelOptions options, string kind, bool required)
    {
        var token = options.AccessToken?.Trim();
        if (string.IsNullOrEmpty(token))
        {
            return required ? throw _channel.Missing("AccessToken", kind) : null;
        }

        foreach (var c in token)
        {
            if (c is < '!' or > '~')
            {
                throw new GatewayException($"{_channel.Key("AccessToken")} holds a character a bearer token cannot have (white space, a control or non-ASCII character).", isTransient: false);
            }
        }

        return token;
    }

    /// <summary>
    /// Sends the request, calling <paramref name="committing"/> once the connection is open, just before the body (see
    /// <see cref="CommittingContent"/>), and reads the provider's id.
    /// </summary>
    public async Task<GatewayReceipt> SendAsync(ExecutionItem item, HttpGatewayCall call, Func<CancellationToken, Task> committing, CancellationToken cancellationToken)
    {
        using var request = call.CreateRequest();
        CommittingContent? body = null;
        if (request.Content is { } content)
        {
            request.Content = body = new CommittingContent(content, committing);
        }
        else
        {
            await committing(cancellationToken).ConfigureAwait(false);
        }

        var started = _time.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (body?.HookFailure is { } hookFailure)
        {
            // The ledger, not the provider, failed: nothing of the body was sent.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(hookFailure);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or SocketException or OperationCanceledException)
        {
            var failure = Unreachable(e);
            HttpGatewayLog.Failed(_logger, _channel.Name, call.Kind, item.Key, failure.IsTransient, failure.Message);
            throw failure;
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                var id = await ReadIdAsync(response, call.IdFromHeaders, cancellationToken).ConfigureAwait(false);
                HttpGatewayLog.Sent(_logger, _channel.Name, call.Kind, item.Key, status, (long)_time.GetElapsedTime(started).TotalMilliseconds, id);
                return new GatewayReceipt(id);
            }

            var refused = await RefusedAsync(response, call.Secrets, cancellationToken).ConfigureAwait(false);
            HttpGatewayLog.Failed(_logger, _channel.Name, call.Kind, item.Key, refused.IsTransient, refused.Message);
            throw refused;
        }
    }

    private GatewayException Unreachable(Exception e)
    {
        // HttpClient's timeout is infinite, so a cancellation that is not the caller's is a transport giving up.
        // Messages of transport failures name at most the host and port, never a header or a body.
        var what = e is OperationCanceledException ? "the request timed out" : e.Message;
        if (e is HttpRequestException { StatusCode: { } status })
        {
            return new GatewayException($"The {_channel.DisplayName} endpoint answered {(int)status}: {what}", TransientFailures.IsTransientStatus((int)status), (int)status, retryAfter: null, e);
        }

        return new GatewayException($"The {_channel.DisplayName} endpoint could not be reached ({what}).", isTransient: true, e);
    }

    private async Task<GatewayException> RefusedAsync(HttpResponseMessage response, IReadOnlyList<string?> secrets, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        string body;
        try
        {
            body = await ReadTextAsync(response.Content, MaxErrorBodyChars, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            body = string.Empty;
        }

        var snippet = Snippet(body, secrets);
        var hint = status is 401 or 403 ? $" (check {_channel.Key("AccessToken")})" : string.Empty;
        var reason = string.IsNullOrWhiteSpace(response.ReasonPhrase) ? string.Empty : $" ({response.ReasonPhrase})";
        var message = string.Create(CultureInfo.InvariantCulture, $"The {_channel.DisplayName} endpoint answered {status}{reason}{hint}")
            + (snippet.Length == 0 ? "." : ": " + snippet);

        return new GatewayException(message, TransientFailures.IsTransientStatus(status), status, TransientFailures.ParseRetryAfter(response, _time), innerException: null);
    }

    /// <summary>The first characters of a body, secrets scrubbed first, white space collapsed, on one line.</summary>
    internal static string Snippet(string body, IReadOnlyList<string?> secrets)
    {
        var variants = secrets
            .Where(s => !string.IsNullOrEmpty(s))
            .SelectMany(s => new[]
            {
                s!,
                JsonEncodedText.Encode(s!).ToString(),
                JsonEncodedText.Encode(s!, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString(),
                Uri.EscapeDataString(s!),
                WebUtility.UrlEncode(s!),
                WebUtility.HtmlEncode(s!),
            })
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length);
        foreach (var secret in variants)
        {
            body = body.Replace(secret, Redacted, StringComparison.Ordinal);
        }

        var text = new StringBuilder(SnippetLength);
        var space = false;
        foreach (var c in body)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = text.Length > 0;
                continue;
            }

            if (space)
            {
                text.Append(' ');
                space = false;
            }

            text.Append(c);
            if (text.Length >= SnippetLength)
            {
                break;
            }
        }

        var snippet = text.ToString();

        // Never end on half a surrogate pair.
        return snippet.Length > 0 && char.IsHighSurrogate(snippet[^1]) ? snippet[..^1] : snippet;
    }

    private static async Task<string?> ReadIdAsync(HttpResponseMessage response, bool idFromHeaders, CancellationToken cancellationToken)
    {
        string? id = null;
        try
        {
            var bytes = await ReadBytesAsync(response.Content, MaxSuccessBodyBytes, cancellationToken).ConfigureAwait(false);
            id = JsonId(bytes);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            // The provider answered success: the item is delivered even when its id cannot be read.
        }

        if (id is null && idFromHeaders)
        {
            id = response.Headers.Location?.ToString()
                ?? (response.Headers.TryGetValues("X-Request-Id", out var values) ? values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)) : null);
        }

        return id;
    }

    private static string? JsonId(byte[]? bytes)
    {
        if (bytes is not { Length: > 0 })
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(bytes);
            if (json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty("id", out var id))
            {
                return null;
            }

            return id.ValueKind switch
            {
                JsonValueKind.String => id.GetString() is { Length: > 0 } s ? s : null,
                JsonValueKind.Number => id.GetRawText(),
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<byte[]?> ReadBytesAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[8192];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }

    private static async Task<string> ReadTextAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var buffer = new char[limit];
            var total = 0;
            int read;
            while (total < limit && (read = await reader.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return new string(buffer, 0, total);
        }
    }
}
