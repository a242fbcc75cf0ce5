using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ContentAgent.Tests.Servers;

/// <summary>
/// A local HTTP server that speaks a generic JSON webhook (<c>POST /webhook/{name}</c>), enough of Mastodon's statuses API
/// (<c>POST /api/v1/statuses</c>, with its <c>Idempotency-Key</c> behaviour) and of HubSpot's notes API
/// (<c>POST /crm/v3/objects/notes</c>) for integration tests, with faults on command per path prefix. Bound to 127.0.0.1
/// on a free port, no logging. Every request is recorded (<see cref="Requests"/>) before any fault or answer, and every
/// object it creates separately (<see cref="Created"/>), so a test can tell a repeated request from a second object.
/// </summary>
public sealed class LocalHttpApiServer : IAsyncDisposable
{
    /// <summary>Mastodon's statuses endpoint.</summary>
    public const string StatusesPath = "/api/v1/statuses";

    /// <summary>HubSpot's notes endpoint.</summary>
    public const string NotesPath = "/crm/v3/objects/notes";

    /// <summary>The prefix of webhook paths: <c>/webhook/{name}</c>.</summary>
    public const string WebhookPrefix = "/webhook/";

    private const int MastodonMaxCharacters = 500;
    private static readonly TimeSpan MastodonMinimumSchedule = TimeSpan.FromMinutes(5);

    private readonly WebApplication _app;
    private readonly LocalHttpApiServerOptions _options;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<HttpApiRequest> _requests = [];
    private readonly List<HttpApiObject> _created = [];
    private readonly List<PendingFault> _faults = [];
    private readonly List<(Func<HttpApiRequest, bool> Match, TaskCompletionSource<HttpApiRequest> Waiter)> _waiters = [];
    private readonly Dictionary<(string Authorization, string Key), string> _mastodonIdempotency = [];
    private int _sequence;
    private long _ids;
    private int _disposed;
    private volatile bool _webhookAnswersWithId = true;

    private LocalHttpApiServer(WebApplication app, LocalHttpApiServerOptions options)
    {
        _app = app;
        _options = options;
        _time = options.TimeProvider;
    }

    /// <summary><c>http://127.0.0.1:{port}/</c>: the endpoint for Mastodon and HubSpot clients.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>The bound port.</summary>
    public int Port { get; private set; }

    /// <summary>Gets or sets how long each answer takes after the request is read (zero by default).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Whether a webhook answers 201 with <c>{"id": ...}</c> (the default) or 202 with no body and the id only in <c>Location</c> and <c>X-Request-Id</c>. Settable at any time.</summary>
    public bool WebhookAnswersWithId
    {
        get => _webhookAnswersWithId;
        set => _webhookAnswersWithId = value;
    }

    /// <summary>A snapshot of every request received (since start or <see cref="ClearRequests"/>), in arrival order.</summary>
    public IReadOnlyList<HttpApiRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests.OrderBy(r => r.Sequence)];
            }
        }
    }

    /// <summary>A snapshot of every object created (since start or <see cref="ClearRequests"/>), in creation order.</summary>
    public IReadOnlyList<HttpApiObject> Created
    {
        get
        {
            lock (_gate)
            {
                return [.. _created];
            }
        }
    }

    /// <summary><c>http://127.0.0.1:{port}/webhook/{name}</c>.</summary>
    public Uri WebhookUri(string name) => new(BaseUri, "webhook/" + Uri.EscapeDataString(name));

    /// <summary>Starts a server on <c>http://127.0.0.1:0</c> (a free loopback port).</summary>
    public static async Task<LocalHttpApiServer> StartAsync(LocalHttpApiServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LocalHttpApiServerOptions();
        var app = LoopbackHost.Create(typeof(LocalHttpApiServer).Assembly.GetName().Name!);
        var server = new LocalHttpApiServer(app, options);
        try
        {
            server.BaseUri = await LoopbackHost.StartAsync(app, server.HandleAsync, cancellationToken);
            server.Port = server.BaseUri.Port;
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The next <paramref name="count"/> requests whose path starts with <paramref name="pathPrefix"/> get
    /// <paramref name="statusCode"/>, with <c>Retry-After</c> (whole seconds, rounded up) when <paramref name="retryAfter"/> is
    /// set, and <paramref name="body"/> (default: a small JSON error). Faults queue up in the order given.</summary>
    public void FailNext(string pathPrefix, int statusCode, int count = 1, TimeSpan? retryAfter = null, string? body = null) =>
        AddFault(new PendingFault(pathPrefix, FaultAction.Status, count, statusCode, retryAfter, body));

    /// <summary>The next <paramref name="count"/> matching requests get no answer until the client gives up (or the server is disposed).</summary>
    public void HangNext(string pathPrefix, int count = 1) => AddFault(new PendingFault(pathPrefix, FaultAction.Hang, count, 0, null, null));

    /// <summary>The next <paramref name="count"/> matching requests have their connection aborted with no response.</summary>
    public void DropNext(string pathPrefix, int count = 1) => AddFault(new PendingFault(pathPrefix, FaultAction.Drop, count, 0, null, null));

    /// <summary>Forgets every fault not yet used.</summary>
    public void ClearFaults()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }

    /// <summary>Forgets the recorded requests and created objects (sequence numbers, ids and Mastodon's idempotency cache go on).</summary>
    public void ClearRequests()
    {
        lock (_gate)
        {
            _requests.Clear();
            _created.Clear();
        }
    }

    /// <summary>Waits for the first request (already recorded or yet to come) that matches; null matches any.</summary>
    public Task<HttpApiRequest> WaitForRequestAsync(Func<HttpApiRequest, bool>? match = null, CancellationToken cancellationToken = default)
    {
        match ??= static _ => true;
        TaskCompletionSource<HttpApiRequest> waiter;
        lock (_gate)
        {
            if (_requests.OrderBy(r => r.Sequence).FirstOrDefault(match) is { } seen)
            {
                return Task.FromResult(seen);
            }

            waiter = new TaskCompletionSource<HttpApiRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, waiter));
        }

        return waiter.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Releases hanging requests, stops the server and frees its port.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        try
        {
            await _app.StopAsync(CancellationToken.None);
        }
        finally
        {
            await _app.DisposeAsync();
            _stopping.Dispose();
        }
    }

    private void AddFault(PendingFault fault)
    {
        ArgumentException.ThrowIfNullOrEmpty(fault.PathPrefix);
        ArgumentOutOfRangeException.ThrowIfNegative(fault.Remaining);
        lock (_gate)
        {
            _faults.Add(fault);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        var cancellationToken = linked.Token;
        try
        {
            await ServeAsync(context, cancellationToken);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            // The client went away (or the server is stopping): nothing more to say.
            if (_stopping.IsCancellationRequested)
            {
                context.Abort();
            }
        }
    }

    private async Task ServeAsync(HttpContext context, CancellationToken cancellationToken)
    {
        // Like a remote API, a request whose body arrived whole is acted on even when its client goes away meanwhile (a
        // killed client's last bytes are still delivered); a body cut short is not. So the body is read without the
        // client's abort token.
        string raw;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            raw = await reader.ReadToEndAsync(_stopping.Token);
        }

        var request = new HttpApiRequest(
            Interlocked.Increment(ref _sequence),
            _time.GetUtcNow(),
            context.Request.Method,
            context.Request.Path.Value ?? "/",
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            raw);

        PendingFault? fault;
        lock (_gate)
        {
            _requests.Add(request);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(request))
                {
                    _waiters[i].Waiter.TrySetResult(request);
                    _waiters.RemoveAt(i);
                }
            }

            fault = _faults.FirstOrDefault(f => f.Remaining > 0 && request.Path.StartsWith(f.PathPrefix, StringComparison.Ordinal));
            if (fault is not null && --fault.Remaining == 0)
            {
                _faults.Remove(fault);
            }
        }

        if (fault is not null)
        {
            await ApplyFaultAsync(context, fault, cancellationToken);
            return;
        }

        var path = request.Path;
        if (path == StatusesPath || path == NotesPath || (path.StartsWith(WebhookPrefix, StringComparison.Ordinal) && path.Length > WebhookPrefix.Length))
        {
            if (!HttpMethods.IsPost(request.Method))
            {
                context.Response.Headers.Allow = "POST";
                await WriteJsonAsync(context, StatusCodes.Status405MethodNotAllowed, new JsonObject { ["error"] = "Method not allowed" }, cancellationToken);
                return;
            }

            await (path switch
            {
                StatusesPath => MastodonAsync(context, request, cancellationToken),
                NotesPath => HubSpotAsync(context, request, cancellationToken),
                _ => WebhookAsync(context, request, cancellationToken),
            });
            return;
        }

        await WriteJsonAsync(context, StatusCodes.Status404NotFound, new JsonObject { ["error"] = "Record not found" }, cancellationToken);
    }

    private async Task ApplyFaultAsync(HttpContext context, PendingFault fault, CancellationToken cancellationToken)
    {
        switch (fault.Action)
        {
            case FaultAction.Hang:
                await Task.Delay(Timeout.Infinite, cancellationToken);
                break;
            case FaultAction.Drop:
                context.Abort();
                break;
            default:
                if (fault.RetryAfter is { } delay)
                {
                    context.Response.Headers.RetryAfter = Math.Max(0, (long)Math.Ceiling(delay.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                context.Response.StatusCode = fault.StatusCode;
                context.Response.ContentType = "application/json; charset=utf-8";
                await context.Response.WriteAsync(
                    fault.Body ?? new JsonObject { ["error"] = "Injected fault", ["status"] = fault.StatusCode }.ToJsonString(),
                    cancellationToken);
                break;
        }
    }

    private async Task WebhookAsync(HttpContext context, HttpApiRequest request, CancellationToken cancellationToken)
    {
        if (_options.WebhookAccessToken is { } token && !HasBearer(request, token))
        {
            await WriteJsonAsync(context, StatusCodes.Status401Unauthorized, new JsonObject { ["error"] = "unauthorized" }, cancellationToken);
            return;
        }

        if (request.Json() is not JsonObject body)
        {
            await WriteJsonAsync(context, StatusCodes.Status400BadRequest, new JsonObject { ["error"] = "The body is not a JSON object." }, cancellationToken);
            return;
        }

        var id = NextId("wh-");
        Create("webhook", id, request, body.ToDictionary(p => p.Key, p => Text(p.Value)));
        var location = new Uri(BaseUri, request.Path.TrimStart('/') + "/" + id).ToString();
        if (_webhookAnswersWithId)
        {
            await WriteJsonAsync(context, StatusCodes.Status201Created, new JsonObject { ["id"] = id }, cancellationToken);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.Headers.Location = location;
        context.Response.Headers["X-Request-Id"] = id;
    }

    private async Task MastodonAsync(HttpContext context, HttpApiRequest request, CancellationToken cancellationToken)
    {
        var authorization = request.Header("Authorization") ?? string.Empty;
        if (_options.MastodonAccessToken is { } token && !HasBearer(request, token))
        {
            await WriteJsonAsync(context, StatusCodes.Status401Unauthorized, new JsonObject { ["error"] = "The access token is invalid" }, cancellationToken);
            return;
        }

        // Like Mastodon (PostStatusService), a known Idempotency-Key answers the first status before any validation.
        var key = request.Header("Idempotency-Key");
        string? response = null;
        lock (_gate)
        {
            if (!string.IsNullOrEmpty(key) && _mastodonIdempotency.TryGetValue((authorization, key), out var replay))
            {
                response = replay;
            }
        }

        if (response is not null)
        {
            await WriteTextAsync(context, StatusCodes.Status200OK, response, cancellationToken);
            return;
        }

        var fields = MastodonParameters(request);
        var status = fields.GetValueOrDefault("status");
        var visibility = fields.GetValueOrDefault("visibility") ?? "public";
        var error = string.IsNullOrWhiteSpace(status) ? "Validation failed: Text can't be blank"
            : new StringInfo(status).LengthInTextElements > MastodonMaxCharacters ? "Validation failed: Text character limit of 500 exceeded"
            : visibility is not ("public" or "unlisted" or "private" or "direct") ? "Validation failed: Visibility is not included in the list"
            : null;
        DateTimeOffset? scheduledAt = null;
        if (error is null && fields.GetValueOrDefault("scheduled_at") is { Length: > 0 } scheduled)
        {
            if (!DateTimeOffset.TryParse(scheduled, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                error = "Validation failed: Scheduled at is invalid";
            }
            else if (at <= _time.GetUtcNow() + MastodonMinimumSchedule)
            {
                error = "Validation failed: Scheduled at The scheduled date must be in the future";
            }
            else
            {
                scheduledAt = at;
            }
        }

        if (error is not null)
        {
            await WriteJsonAsync(context, StatusCodes.Status422UnprocessableEntity, new JsonObject { ["error"] = error }, cancellationToken);
            return;
        }

        lock (_gate)
        {
            // Two requests with one key at once: the second answers the first's status (Mastodon holds a lock per key).
            if (!string.IsNullOrEmpty(key) && _mastodonIdempotency.TryGetValue((authorization, key), out var replay))
            {
                response = replay;
            }
            else
            {
                var id = NextId(string.Empty, 110_000_000_000_000_000);
                var now = Timestamp(_time.GetUtcNow());
                JsonObject answer = scheduledAt is { } at
                    ? new JsonObject
                    {
                        ["id"] = id,
                        ["scheduled_at"] = Timestamp(at),
                        ["params"] = new JsonObject { ["text"] = status, ["visibility"] = visibility, ["scheduled_at"] = null, ["idempotency"] = key },
                        ["media_attachments"] = new JsonArray(),
                    }
                    : new JsonObject
                    {
                        ["id"] = id,
                        ["created_at"] = now,
                        ["in_reply_to_id"] = null,
                        ["sensitive"] = false,
                        ["spoiler_text"] = string.Empty,
                        ["visibility"] = visibility,
                        ["language"] = null,
                        ["uri"] = new Uri(BaseUri, "users/test/statuses/" + id).ToString(),
                        ["url"] = new Uri(BaseUri, "@test/" + id).ToString(),
                        ["content"] = Html(status!),
                        ["account"] = new JsonObject { ["id"] = "1", ["username"] = "test", ["acct"] = "test" },
                        ["media_attachments"] = new JsonArray(),
                        ["mentions"] = new JsonArray(),
                        ["tags"] = new JsonArray(),
                    };
                response = answer.ToJsonString();
                if (!string.IsNullOrEmpty(key))
                {
                    _mastodonIdempotency[(authorization, key)] = response;
                }

                _created.Add(new HttpApiObject("mastodon", id, request.Sequence, request.Path, key, fields, _time.GetUtcNow()));
            }
        }

        await WriteTextAsync(context, StatusCodes.Status200OK, response, cancellationToken);
    }

    private async Task HubSpotAsync(HttpContext context, HttpApiRequest request, CancellationToken cancellationToken)
    {
        var authorization = request.Header("Authorization") ?? string.Empty;
        var authorized = _options.HubSpotAccessToken is { } token
            ? HasBearer(request, token)
            : authorization.StartsWith("Bearer ", StringComparison.Ordinal) && authorization.Length > "Bearer ".Length;
        if (!authorized)
        {
            await WriteJsonAsync(context, StatusCodes.Status401Unauthorized, HubSpotError(
                "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
                "INVALID_AUTHENTICATION"), cancellationToken);
            return;
        }

        if (request.Json() is not JsonObject { } body || body["properties"] is not JsonObject properties)
        {
            await WriteJsonAsync(context, StatusCodes.Status400BadRequest, HubSpotError("Invalid input JSON: the body must be an object with \"properties\".", "VALIDATION_ERROR"), cancellationToken);
            return;
        }

        var timestamp = Text(properties["hs_timestamp"]);
        if (string.IsNullOrEmpty(timestamp)
            || !(DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _) || long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            await WriteJsonAsync(context, StatusCodes.Status400BadRequest, HubSpotError("Property values were not valid: hs_timestamp is required (ISO 8601 or milliseconds since the epoch).", "VALIDATION_ERROR"), cancellationToken);
            return;
        }

        var fields = properties.ToDictionary(p => p.Key, p => Text(p.Value));
        var now = Timestamp(_time.GetUtcNow());
        var id = NextId(string.Empty, 90_000_000_000);
        Create("hubspot", id, request, fields);

        var echoed = new JsonObject();
        foreach (var (name, value) in fields)
        {
            echoed[name] = value;
        }

        echoed["hs_createdate"] = now;
        echoed["hs_lastmodifieddate"] = now;
        echoed["hs_object_id"] = id;
        await WriteJsonAsync(context, StatusCodes.Status201Created, new JsonObject
        {
            ["id"] = id,
            ["properties"] = echoed,
            ["createdAt"] = now,
            ["updatedAt"] = now,
            ["archived"] = false,
        }, cancellationToken);
    }

    private void Create(string api, string id, HttpApiRequest request, IReadOnlyDictionary<string, string?> fields)
    {
        lock (_gate)
        {
            _created.Add(new HttpApiObject(api, id, request.Sequence, request.Path, request.Header("Idempotency-Key"), fields, _time.GetUtcNow()));
        }
    }

    private string NextId(string prefix, long offset = 0) =>
        prefix + (offset + Interlocked.Increment(ref _ids)).ToString(offset == 0 ? "D6" : "D", CultureInfo.InvariantCulture);

    private static bool HasBearer(HttpApiRequest request, string token) =>
        string.Equals(request.Header("Authorization"), "Bearer " + token, StringComparison.Ordinal);

    private static Dictionary<string, string?> MastodonParameters(HttpApiRequest request)
    {
        var contentType = request.Header("Content-Type") ?? string.Empty;
        if (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return request.Json() is JsonObject json ? json.ToDictionary(p => p.Key, p => Text(p.Value)) : [];
        }

        return QueryHelpers.ParseQuery(request.Body).ToDictionary(p => p.Key, p => (string?)p.Value.ToString());
    }

    private static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? s) => s,
        _ => node.ToJsonString(),
    };

    private static string Html(string status) =>
        string.Concat(status.Replace("\r\n", "\n", StringComparison.Ordinal)
            .Split("\n\n")
            .Select(p => "<p>" + WebUtility.HtmlEncode(p).Replace("\n", "<br />", StringComparison.Ordinal) + "</p>"));

    private static JsonObject HubSpotError(string message, string category) => new()
    {
        ["status"] = "error",
        ["message"] = message,
        ["correlationId"] = Guid.NewGuid().ToString(),
        ["category"] = category,
    };

    private static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private Task WriteJsonAsync(HttpContext context, int status, JsonNode json, CancellationToken cancellationToken) =>
        WriteTextAsync(context, status, json.ToJsonString(), cancellationToken);

    private async Task WriteTextAsync(HttpContext context, int status, string json, CancellationToken cancellationToken)
    {
        // Like a remote API: the request was acted on, then the answer takes a while (a client killed meanwhile leaves
        // an object created without its answer).
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, cancellationToken);
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(json, cancellationToken);
    }

    private enum FaultAction
    {
        Status,
        Hang,
        Drop,
    }

    private sealed class PendingFault(string pathPrefix, FaultAction action, int remaining, int statusCode, TimeSpan? retryAfter, string? body)
    {
        public string PathPrefix { get; } = pathPrefix;

        public FaultAction Action { get; } = action;

        public int Remaining { get; set; } = remaining;

        public int StatusCode { get; } = statusCode;

        public TimeSpan? RetryAfter { get; } = retryAfter;

        public string? Body { get; } = body;
    }
}
