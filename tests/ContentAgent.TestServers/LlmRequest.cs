namespace ContentAgent.Tests.Servers;

/// <summary>One chat message as the server received it. <see cref="Content"/> joins text parts; it is empty
/// when the message had no text (e.g. an assistant message with tool calls only).</summary>
public sealed record LlmMessage(string Role, string Content);

/// <summary>A request <see cref="LocalLlmServer"/> received, recorded before any fault or answer.</summary>
/// <param name="Sequence">1-based, in arrival order over the server's life.</param>
/// <param name="ReceivedAt">When it arrived (from <see cref="LocalLlmServerOptions.TimeProvider"/>).</param>
/// <param name="Api"><c>"openai"</c> for <c>/v1/...</c>, <c>"ollama"</c> otherwise.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The request path, e.g. <c>/v1/chat/completions</c> or <c>/api/chat</c>.</param>
/// <param name="Model">The requested model, when the body named one.</param>
/// <param name="Messages">The chat messages, in order.</param>
/// <param name="Stream">Whether a streamed answer was asked for (Ollama's default is true).</param>
/// <param name="ResponseFormatType"><c>"json_schema"</c>, <c>"json_object"</c>, <c>"text"</c> or null. Ollama's
/// <c>format: "json"</c> is <c>"json_object"</c> and a schema object is <c>"json_schema"</c>.</param>
/// <param name="ResponseFormatSchema">The JSON schema's text when <see cref="ResponseFormatType"/> is <c>"json_schema"</c>.</param>
/// <param name="Headers">Every request header (multiple values joined with ","), case-insensitive keys.</param>
/// <param name="RawBody">The body as received (empty for GET).</param>
public sealed record LlmRequest(
    int Sequence,
    DateTimeOffset ReceivedAt,
    string Api,
    string Method,
    string Path,
    string? Model,
    IReadOnlyList<LlmMessage> Messages,
    bool Stream,
    string? ResponseFormatType,
    string? ResponseFormatSchema,
    IReadOnlyDictionary<string, string> Headers,
    string RawBody)
{
    /// <summary>True for <c>POST /v1/chat/completions</c> and <c>POST /api/chat</c>.</summary>
    public bool IsChat => Path is LocalLlmServer.OpenAIChatPath or LocalLlmServer.OllamaChatPath;

    /// <summary>The content of the last <c>user</c> message, or empty.</summary>
    public string LastUserMessage =>
        Messages.LastOrDefault(m => string.Equals(m.Role, "user", StringComparison.OrdinalIgnoreCase))?.Content ?? string.Empty;

    /// <summary>The content of the first <c>system</c> (or <c>developer</c>) message, or null.</summary>
    public string? SystemMessage =>
        Messages.FirstOrDefault(m => m.Role is "system" or "developer")?.Content;
}
