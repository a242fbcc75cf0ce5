using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ContentAgent.Tests.Servers;

/// <summary>
/// A local HTTP server that speaks enough of the OpenAI chat completions API (<c>/v1/...</c>) and of Ollama's API
/// (<c>/api/...</c>) for integration tests, with injectable faults. Bound to 127.0.0.1 on a free port, no logging.
/// Every request is recorded (<see cref="Requests"/>) before any fault or answer.
/// </summary>
public sealed partial class LocalLlmServer : IAsyncDisposable
{
    internal const string OpenAIChatPath = "/v1/chat/completions";
    internal const string OllamaChatPath = "/api/chat";

    private const string OpenAI = "openai";
    private const string Ollama = "ollama";

    private readonly WebApplication _app;
    private readonly LocalLlmServerOptions _options;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<LlmRequest> _requests = [];
    private volatile Func<LlmRequest, string>? _responder;
    private volatile Func<LlmRequest, Fault?>? _faults;
    private volatile Func<LlmRequest, TimeSpan>? _latency;
    private int _sequence;
    private int _inFlight;
    private int _maxInFlight;
    private int _disposed;

    private LocalLlmServer(WebApplication app, LocalLlmServerOptions options)
    {
        _app = app;
        _options = options;
        _time = options.TimeProvider;
        _responder = options.Responder;
        _faults = options.Faults;
        _latency = options.Latency;
    }

    /// <summary><c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary><c>http://127.0.0.1:{port}/v1/</c>: the endpoint for an OpenAI client.</summary>
    public Uri OpenAIBaseUri { get; private set; } = null!;

    /// <summary><c>http://127.0.0.1:{port}/</c>: the address for an Ollama client.</summary>
    public Uri OllamaBaseUri => BaseUri;

    /// <summary>The bound port.</summary>
    public int Port { get; private set; }

    /// <summary>The key OpenAI endpoints require, if any.</summary>
    public string? RequiredApiKey => _options.RequiredApiKey;

    /// <summary>What the assistant says; null: <see cref="DefaultResponder.Respond"/>. Settable at any time.</summary>
    public Func<LlmRequest, string>? Responder
    {
        get => _responder;
        set => _responder = value;
    }

    /// <summary>Decides per request whether to inject a fault; null: none. Settable at any time.</summary>
    public Func<LlmRequest, Fault?>? Faults
    {
        get => _faults;
        set => _faults = value;
    }

    /// <summary>How long to wait before answering each request; null: no wait. Settable at any time.</summary>
    public Func<LlmRequest, TimeSpan>? Latency
    {
        get => _latency;
        set => _latency = value;
    }

    /// <summary>A snapshot of every request received (since start or <see cref="ClearRequests"/>), in arrival order.</summary>
    public IReadOnlyList<LlmRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests.OrderBy(r => r.Sequence)];
            }
        }
    }

    /// <summary>A snapshot of the chat requests only (<see cref="LlmRequest.IsChat"/>).</summary>
    public IReadOnlyList<LlmRequest> ChatRequests => [.. Requests.Where(r => r.IsChat)];

    /// <summary>How many requests were received (since start or <see cref="ClearRequests"/>).</summary>
    public int RequestCount
    {
        get
        {
            lock (_gate)
            {
                return _requests.Count;
            }
        }
    }

    /// <summary>The most requests the server had in flight at once (since start or <see cref="ClearRequests"/>).</summary>
    public int MaxConcurrentRequests => Volatile.Read(ref _maxInFlight);

    /// <summary>The requests in flight now.</summary>
    public int InFlightRequests => Volatile.Read(ref _inFlight);

    /// <summary>Starts a server on <c>http://127.0.0.1:0</c> (a free loopback port).</summary>
    public static async Task<LocalLlmServer> StartAsync(LocalLlmServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LocalLlmServerOptions();

        var app = LoopbackHost.Create(typeof(LocalLlmServer).Assembly.GetName().Name!);
        var server = new LocalLlmServer(app, options);
        try
        {
            server.BaseUri = await LoopbackHost.StartAsync(app, server.HandleAsync, cancellationToken);
            server.Port = server.BaseUri.Port;
            server.OpenAIBaseUri = new Uri(server.BaseUri, "v1/");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Forgets the recorded requests and the concurrency high-water mark (the sequence numbers go on).</summary>
    public void ClearRequests()
    {
        lock (_gate)
        {
            _requests.Clear();
        }

        Volatile.Write(ref _maxInFlight, Volatile.Read(ref _inFlight));
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

    private async Task HandleAsync(HttpContext context)
    {
        UpdateMax(Interlocked.Increment(ref _inFlight));
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
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private void UpdateMax(int inFlight)
    {
        var max = Volatile.Read(ref _maxInFlight);
        while (inFlight > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxInFlight, inFlight, max);
            if (seen == max)
            {
                return;
            }

            max = seen;
        }
    }

    private async Task ServeAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var sequence = Interlocked.Increment(ref _sequence);
        var receivedAt = _time.GetUtcNow();
        string raw;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            raw = await reader.ReadToEndAsync(cancellationToken);
        }

        var body = TryParse(raw);
        var request = Describe(context, sequence, receivedAt, raw, body);
        lock (_gate)
        {
            _requests.Add(request);
        }

        if (request.Api == OpenAI && _options.RequiredApiKey is { } key
            && !string.Equals(context.Request.Headers.Authorization.ToString(), "Bearer " + key, StringComparison.Ordinal))
        {
            // Like OpenAI, the answer quotes the key it was given (OpenAI masks most of it; this worst case does not).
            var presented = context.Request.Headers.Authorization.ToString().Replace("Bearer ", string.Empty, StringComparison.Ordinal);
            await WriteErrorAsync(context, request, StatusCodes.Status401Unauthorized, $"Incorrect API key provided: {presented}.", "invalid_request_error", "invalid_api_key", null, cancellationToken);
            return;
        }

        if (_latency?.Invoke(request) is { } latency && latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, cancellationToken);
        }

        var fault = _faults?.Invoke(request);
        if (fault is not null && await ApplyFaultAsync(context, request, fault, cancellationToken))
        {
            return;
        }

        var contentFiltered = fault?.Kind == FaultKind.ContentFilter;
        switch (context.Request.Method, request.Path)
        {
            case ("POST", OpenAIChatPath):
                await OpenAIChatAsync(context, request, body, contentFiltered, cancellationToken);
                break;
            case ("GET", "/v1/models"):
                await WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject
                {
                    ["object"] = "list",
                    ["data"] = new JsonArray(new JsonObject
                    {
                        ["id"] = _options.ModelName,
                        ["object"] = "model",
                        ["created"] = 1_700_000_000,
                        ["owned_by"] = "local",
                    }),
                }, cancellationToken);
                break;
            case ("POST", OllamaChatPath):
                await OllamaChatAsync(context, request, body, contentFiltered, cancellationToken);
                break;
            case ("GET", "/api/tags"):
                await WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject
                {
                    ["models"] = new JsonArray(new JsonObject
                    {
                        ["name"] = _options.ModelName,
                        ["model"] = _options.ModelName,
                        ["modified_at"] = Timestamp(),
                        ["size"] = 1_000_000,
                        ["digest"] = "0000000000000000000000000000000000000000000000000000000000000000",
                        ["details"] = new JsonObject { ["format"] = "gguf", ["family"] = "test", ["parameter_size"] = "1B", ["quantization_level"] = "Q4_0" },
                    }),
                }, cancellationToken);
                break;
            case ("GET", "/api/version"):
                await WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject { ["version"] = "0.12.0" }, cancellationToken);
                break;
            case ("GET" or "HEAD", "/"):
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync("Ollama is running", cancellationToken);
                break;
            default:
                await WriteErrorAsync(context, request, StatusCodes.Status404NotFound, $"Unknown endpoint: {context.Request.Method} {request.Path}", "invalid_request_error", "unknown_url", null, cancellationToken);
                break;
        }
    }

    private LlmRequest Describe(HttpContext context, int sequence, DateTimeOffset receivedAt, string raw, JsonNode? body)
    {
        var path = context.Request.Path.Value ?? "/";
        var api = path.StartsWith("/v1/", StringComparison.Ordinal) || path == "/v1" ? OpenAI : Ollama;
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var messages = new List<LlmMessage>();
        if (body?["messages"] is JsonArray array)
        {
            foreach (var message in array.OfType<JsonObject>())
            {
                messages.Add(new LlmMessage(StringOf(message["role"]) ?? string.Empty, TextOf(message["content"])));
            }
        }

        string? formatType = null;
        string? schema = null;
        if (api == OpenAI && body?["response_format"] is JsonObject format)
        {
            formatType = StringOf(format["type"]);
            schema = format["json_schema"]?["schema"]?.ToJsonString();
        }
        else if (api == Ollama && body?["format"] is { } ollamaFormat)
        {
            if (ollamaFormat is JsonObject)
            {
                formatType = "json_schema";
                schema = ollamaFormat.ToJsonString();
            }
            else if (StringOf(ollamaFormat) == "json")
            {
                formatType = "json_object";
            }
        }

        var stream = body?["stream"] is JsonValue s && s.TryGetValue(out bool b) ? b : api == Ollama && path == OllamaChatPath;
        return new LlmRequest(sequence, receivedAt, api, context.Request.Method, path, StringOf(body?["model"]), messages, stream, formatType, schema, headers, raw);
    }

    private async Task<bool> ApplyFaultAsync(HttpContext context, LlmRequest request, Fault fault, CancellationToken cancellationToken)
    {
        switch (fault.Kind)
        {
            case FaultKind.RateLimited:
                await WriteErrorAsync(context, request, StatusCodes.Status429TooManyRequests, "Rate limit reached", "rate_limit_error", "rate_limit_exceeded", fault.RetryAfter, cancellationToken);
                return true;
            case FaultKind.ServerError:
                await WriteErrorAsync(context, request, StatusCodes.Status500InternalServerError, "The server had an error while processing your request.", "server_error", "server_error", fault.RetryAfter, cancellationToken);
                return true;
            case FaultKind.ServiceUnavailable:
                await WriteErrorAsync(context, request, StatusCodes.Status503ServiceUnavailable, "The server is overloaded or not ready yet.", "server_error", "service_unavailable", fault.RetryAfter, cancellationToken);
                return true;
            case FaultKind.BadRequest:
                await WriteErrorAsync(context, request, StatusCodes.Status400BadRequest, "Invalid request (injected fault).", "invalid_request_error", "invalid_request", fault.RetryAfter, cancellationToken);
                return true;
            case FaultKind.Unauthorized:
                await WriteErrorAsync(context, request, StatusCodes.Status401Unauthorized, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key", fault.RetryAfter, cancellationToken);
                return true;
            case FaultKind.Hang:
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return true;
            case FaultKind.DropConnection:
                context.Abort();
                return true;
            case FaultKind.MalformedJson:
                await WriteMalformedAsync(context, request, cancellationToken);
                return true;
            case FaultKind.ContentFilter:
            default:
                return false;
        }
    }

    private async Task WriteMalformedAsync(HttpContext context, LlmRequest request, CancellationToken cancellationToken)
    {
        var model = JsonString(request.Model ?? _options.ModelName);
        string text;
        if (request.Api == OpenAI && request.Stream)
        {
            context.Response.ContentType = "text/event-stream";
            text = $"data: {{\"id\":\"chatcmpl-{request.Sequence}\",\"object\":\"chat.completion.chunk\",\"model\":{model},\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"Hel\n\ndata: [DONE]\n\n";
        }
        else if (request.Api == Ollama && request.Stream)
        {
            context.Response.ContentType = "application/x-ndjson";
            text = $"{{\"model\":{model},\"created_at\":\"{Timestamp()}\",\"message\":{{\"role\":\"assistant\",\"content\":\"Hel\n";
        }
        else if (request.Api == OpenAI)
        {
            context.Response.ContentType = "application/json";
            text = $"{{\"id\":\"chatcmpl-{request.Sequence}\",\"object\":\"chat.completion\",\"created\":{_time.GetUtcNow().ToUnixTimeSeconds()},\"model\":{model},\"choices\":[{{\"index\":0,\"message\":{{\"role\":\"assistant\",\"content\":\"Hel";
        }
        else
        {
            context.Response.ContentType = "application/json";
            text = $"{{\"model\":{model},\"created_at\":\"{Timestamp()}\",\"message\":{{\"role\":\"assistant\",\"content\":\"Hel";
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        await context.Response.WriteAsync(text, cancellationToken);
    }

    private async Task OpenAIChatAsync(HttpContext context, LlmRequest request, JsonNode? body, bool contentFiltered, CancellationToken cancellationToken)
    {
        if (body is not JsonObject)
        {
            await WriteErrorAsync(context, request, StatusCodes.Status400BadRequest, "We could not parse the JSON body of your request.", "invalid_request_error", null, null, cancellationToken);
            return;
        }

        if (!TryRespond(request, contentFiltered, out var content, out var failure))
        {
            await WriteErrorAsync(context, request, StatusCodes.Status500InternalServerError, failure, "server_error", "responder_failed", null, cancellationToken);
            return;
        }

        var id = string.Create(CultureInfo.InvariantCulture, $"chatcmpl-local{request.Sequence:D6}");
        var created = _time.GetUtcNow().ToUnixTimeSeconds();
        var model = request.Model ?? _options.ModelName;
        var finishReason = contentFiltered ? "content_filter" : "stop";
        var usage = Usage(request, content);

        if (!request.Stream)
        {
            await WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject
            {
                ["id"] = id,
                ["object"] = "chat.completion",
                ["created"] = created,
                ["model"] = model,
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = contentFiltered ? null : content, ["refusal"] = null },
                    ["logprobs"] = null,
                    ["finish_reason"] = finishReason,
                }),
                ["usage"] = usage,
                ["system_fingerprint"] = "fp_local",
            }, cancellationToken);
            return;
        }

        var includeUsage = body["stream_options"]?["include_usage"] is JsonValue u && u.TryGetValue(out bool include) && include;
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";

        JsonObject Chunk(JsonObject delta, string? finish) => new()
        {
            ["id"] = id,
            ["object"] = "chat.completion.chunk",
            ["created"] = created,
            ["model"] = model,
            ["system_fingerprint"] = "fp_local",
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finish }),
        };

        await WriteEventAsync(context, Chunk(new JsonObject { ["role"] = "assistant", ["content"] = string.Empty }, null), cancellationToken);
        foreach (var piece in Pieces(content))
        {
            await WriteEventAsync(context, Chunk(new JsonObject { ["content"] = piece }, null), cancellationToken);
        }

        await WriteEventAsync(context, Chunk(new JsonObject(), finishReason), cancellationToken);
        if (includeUsage)
        {
            await WriteEventAsync(context, new JsonObject
            {
                ["id"] = id,
                ["object"] = "chat.completion.chunk",
                ["created"] = created,
                ["model"] = model,
                ["system_fingerprint"] = "fp_local",
                ["choices"] = new JsonArray(),
                ["usage"] = usage,
            }, cancellationToken);
        }

        await context.Response.WriteAsync("data: [DONE]\n\n", cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
    }

    private async Task OllamaChatAsync(HttpContext context, LlmRequest request, JsonNode? body, bool contentFiltered, CancellationToken cancellationToken)
    {
        if (body is not JsonObject)
        {
            await WriteErrorAsync(context, request, StatusCodes.Status400BadRequest, "invalid JSON body", null, null, null, cancellationToken);
            return;
        }

        if (!TryRespond(request, contentFiltered, out var content, out var failure))
        {
            await WriteErrorAsync(context, request, StatusCodes.Status500InternalServerError, failure, null, null, null, cancellationToken);
            return;
        }

        var model = request.Model ?? _options.ModelName;
        var promptTokens = Tokens(request.Messages.Sum(m => m.Content.Length));
        var completionTokens = Tokens(content.Length);
        JsonObject Message(string text) => new() { ["role"] = "assistant", ["content"] = text };
        JsonObject Final(string text) => new()
        {
            ["model"] = model,
            ["created_at"] = Timestamp(),
            ["message"] = Message(text),
            ["done"] = true,
            ["done_reason"] = contentFiltered ? "content_filter" : "stop",
            ["total_duration"] = 2_000_000,
            ["load_duration"] = 100_000,
            ["prompt_eval_count"] = promptTokens,
            ["prompt_eval_duration"] = 500_000,
            ["eval_count"] = completionTokens,
            ["eval_duration"] = 1_000_000,
        };

        if (!request.Stream)
        {
            await WriteJsonAsync(context, StatusCodes.Status200OK, Final(content), cancellationToken);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/x-ndjson";
        foreach (var piece in Pieces(content))
        {
            var line = new JsonObject { ["model"] = model, ["created_at"] = Timestamp(), ["message"] = Message(piece), ["done"] = false };
            await context.Response.WriteAsync(line.ToJsonString() + "\n", cancellationToken);
            await context.Response.Body.FlushAsync(cancellationToken);
        }

        await context.Response.WriteAsync(Final(string.Empty).ToJsonString() + "\n", cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
    }

    private bool TryRespond(LlmRequest request, bool contentFiltered, out string content, out string failure)
    {
        content = string.Empty;
        failure = string.Empty;
        if (contentFiltered)
        {
            return true;
        }

        try
        {
            content = (_responder ?? DefaultResponder.Respond)(request) ?? string.Empty;
            return true;
        }
#pragma warning disable CA1031 // A responder's failure becomes a 500 the test can see.
        catch (Exception e)
#pragma warning restore CA1031
        {
            failure = $"Responder threw {e.GetType().Name}: {e.Message}";
            return false;
        }
    }

    private static JsonObject Usage(LlmRequest request, string content)
    {
        var prompt = Tokens(request.Messages.Sum(m => m.Content.Length));
        var completion = Tokens(content.Length);
        return new JsonObject { ["prompt_tokens"] = prompt, ["completion_tokens"] = completion, ["total_tokens"] = prompt + completion };
    }

    private static int Tokens(int characters) => (characters + 3) / 4;

    private static IEnumerable<string> Pieces(string content)
    {
        var words = PieceRegex().Matches(content).Select(m => m.Value).ToList();
        for (var i = 0; i < words.Count; i += 3)
        {
            yield return string.Concat(words.Skip(i).Take(3));
        }
    }

    private static async Task WriteEventAsync(HttpContext context, JsonObject data, CancellationToken cancellationToken)
    {
        await context.Response.WriteAsync("data: " + data.ToJsonString() + "\n\n", cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonNode json, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json.ToJsonString(), cancellationToken);
    }

    private static async Task WriteErrorAsync(HttpContext context, LlmRequest request, int status, string message, string? type, string? code, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        if (retryAfter is { } delay)
        {
            var seconds = Math.Max(0, (long)Math.Ceiling(delay.TotalSeconds));
            var milliseconds = Math.Max(0, (long)Math.Ceiling(delay.TotalMilliseconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["retry-after-ms"] = milliseconds.ToString(CultureInfo.InvariantCulture);
        }

        JsonNode body = request.Api == OpenAI
            ? new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = null, ["code"] = code } }
            : new JsonObject { ["error"] = message };
        await WriteJsonAsync(context, status, body, cancellationToken);
    }

    private string Timestamp() => _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static string JsonString(string value) => JsonSerializer.Serialize(value, JsonContext.Default.String);

    private static JsonNode? TryParse(string raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(raw);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? StringOf(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    private static string TextOf(JsonNode? content) => content switch
    {
        JsonValue v when v.TryGetValue(out string? s) => s,
        JsonArray parts => string.Concat(parts.OfType<JsonObject>().Select(p => StringOf(p["text"]) ?? string.Empty)),
        _ => string.Empty,
    };

    [GeneratedRegex(@"\s*\S+\s*")]
    private static partial Regex PieceRegex();
}
