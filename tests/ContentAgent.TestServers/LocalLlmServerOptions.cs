namespace ContentAgent.Tests.Servers;

/// <summary>How a <see cref="LocalLlmServer"/> behaves. <see cref="Responder"/>, <see cref="Faults"/> and
/// <see cref="Latency"/> are only starting values: the server's properties of the same names change them at any time.</summary>
public sealed class LocalLlmServerOptions
{
    /// <summary>When set, OpenAI endpoints (<c>/v1/...</c>) answer 401 <c>invalid_api_key</c> unless the request carries
    /// <c>Authorization: Bearer &lt;key&gt;</c>. Ollama endpoints never check a key.</summary>
    public string? RequiredApiKey { get; init; }

    /// <summary>What the assistant says. Null: <see cref="DefaultResponder.Respond"/> (a post-like text, or a JSON
    /// instance of the requested schema).</summary>
    public Func<LlmRequest, string>? Responder { get; init; }

    /// <summary>Decides per request whether to inject a fault (null: answer normally). See <see cref="FaultSchedule"/>.</summary>
    public Func<LlmRequest, Fault?>? Faults { get; init; }

    /// <summary>How long to wait before answering (or faulting) each request; null or zero: no wait. Use it to make
    /// requests overlap, e.g. to observe a client's concurrency limit through <see cref="LocalLlmServer.MaxConcurrentRequests"/>.</summary>
    public Func<LlmRequest, TimeSpan>? Latency { get; init; }

    /// <summary>The model listed by <c>GET /v1/models</c> and <c>GET /api/tags</c>, and echoed when a request names none.</summary>
    public string ModelName { get; init; } = "test-model";

    /// <summary>The clock for <see cref="LlmRequest.ReceivedAt"/> and the timestamps in answers.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
