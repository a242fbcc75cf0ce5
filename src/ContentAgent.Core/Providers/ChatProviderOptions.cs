using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ContentAgent.Providers;

/// <summary>Where posts are written: the offline writer (mock mode) or a live model.</summary>
public enum ChatMode
{
    /// <summary>The deterministic offline writer: no network, no key, no cost.</summary>
    Offline,

    /// <summary>A live model, through <see cref="ChatProviderOptions.Provider"/>.</summary>
    Live,
}

/// <summary>The kind of live endpoint.</summary>
public enum ChatProvider
{
    /// <summary>An OpenAI-compatible chat-completions endpoint: OpenAI, Azure OpenAI's <c>/openai/v1</c> endpoint, vLLM, LM Studio, llama.cpp server, Ollama's <c>/v1</c>.</summary>
    OpenAI,

    /// <summary>Ollama's own API, through OllamaSharp.</summary>
    Ollama,
}

/// <summary>
/// Options of the chat model ContentAgent writes with, bound from <c>ContentAgent:Chat</c> and validated at start.
/// Switching between offline and live is configuration only: <c>ContentAgent:Chat:Mode</c> (or the console's <c>--live</c>).
/// </summary>
public sealed class ChatProviderOptions
{
    /// <summary>The configuration section, under <c>ContentAgent</c>, the options bind from.</summary>
    public const string SectionName = "Chat";

    /// <summary>Gets or sets whether posts are written offline or by a live model.</summary>
    /// <value>The default value is <see cref="ChatMode.Offline"/>.</value>
    public ChatMode Mode { get; set; } = ChatMode.Offline;

    /// <summary>Gets or sets the kind of live endpoint.</summary>
    /// <value>The default value is <see cref="ChatProvider.OpenAI"/>.</value>
    public ChatProvider Provider { get; set; } = ChatProvider.OpenAI;

    /// <summary>Gets or sets the endpoint's base address, for example <c>https://api.openai.com/v1/</c> or <c>http://localhost:11434/</c>.</summary>
    /// <value>The default value is <see langword="null"/>: OpenAI's own endpoint, or <c>http://localhost:11434/</c> for Ollama.</value>
    public Uri? Endpoint { get; set; }

    /// <summary>Gets or sets the model to write with, for example <c>gpt-4o-mini</c> or <c>llama3.1</c>. Required in live mode.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    [MaxLength(200)]
    public string? Model { get; set; }

    /// <summary>
    /// Gets or sets the API key of an OpenAI-compatible endpoint. Required in live mode with <see cref="ChatProvider.OpenAI"/>;
    /// set it from the environment (<c>ContentAgent__Chat__ApiKey</c>) or a secret store, not a committed file. It is never
    /// logged, traced, reported or written.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the longest one call to the model may take; a call that takes longer counts as a transient failure and is retried.</summary>
    /// <value>The default value is 60 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets the most output tokens one post may ask for; also what the rate limiter and the budgets expect a call to produce.</summary>
    /// <value>The default value is 800.</value>
    [Range(16, 1_000_000)]
    public int MaxOutputTokens { get; set; } = 800;

    /// <summary>Gets or sets whether answers are cached in the registered <c>IDistributedCache</c> (the same prompt is not paid for twice).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool CacheResponses { get; set; }

    /// <summary>Gets the limits every call in the process shares, across batches and tenants.</summary>
    [ValidateObjectMembers]
    public ChatRateLimitOptions RateLimits { get; } = new();

    /// <summary>Gets the circuit breaker that stops calling a failing provider.</summary>
    [ValidateObjectMembers]
    public ChatCircuitBreakerOptions CircuitBreaker { get; } = new();

    /// <summary>Gets the price of each model, by model id, to estimate the cost of a batch.</summary>
    public IDictionary<string, ModelPrice> Prices { get; } = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Describes the chat model for people: mode, provider, model and endpoint. Never the key.</summary>
    /// <returns>For example <c>live · OpenAI · model gpt-4o-mini · https://api.openai.com/v1/</c>.</returns>
    public override string ToString() =>
        Mode == ChatMode.Offline
            ? "offline (deterministic writer, no network)"
            : $"live · {Provider} · model {Model} · {Endpoint ?? (Provider == ChatProvider.Ollama ? ChatProviderFactory.OllamaDefaultEndpoint : ChatProviderFactory.OpenAIDefaultEndpoint)}";
}

/// <summary>
/// Limits shared by every call in the process (all batches, all tenants). A limit of 0 is no limit. Requests and tokens are
/// counted over a rolling <see cref="Window"/>: no stretch of that length ever holds more than the limit.
/// </summary>
public sealed class ChatRateLimitOptions
{
    /// <summary>Gets or sets the most requests per <see cref="Window"/>.</summary>
    /// <value>The default value is 0 (no limit).</value>
    [Range(0, 10_000_000)]
    public int Requests { get; set; }

    /// <summary>Gets or sets the most tokens (prompt plus expected output) per <see cref="Window"/>.</summary>
    /// <value>The default value is 0 (no limit).</value>
    [Range(0, 1_000_000_000)]
    public int Tokens { get; set; }

    /// <summary>Gets or sets the window <see cref="Requests"/> and <see cref="Tokens"/> count over; providers usually state limits per minute.</summary>
    /// <value>The default value is 1 minute.</value>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets the most calls in flight at once.</summary>
    /// <value>The default value is 0 (no limit).</value>
    [Range(0, 10_000)]
    public int ConcurrentCalls { get; set; }

    /// <summary>Gets or sets how many calls may wait for a permit before a call is refused.</summary>
    /// <value>The default value is 10,000.</value>
    [Range(1, 1_000_000)]
    public int QueueLimit { get; set; } = 10_000;
}

/// <summary>When the circuit breaker opens: after this share of transient failures among at least this many calls in the sampling window.</summary>
public sealed class ChatCircuitBreakerOptions
{
    /// <summary>Gets or sets the share of failed calls that opens the circuit.</summary>
    /// <value>The default value is 0.8.</value>
    [Range(0.01, 1.0)]
    public double FailureRatio { get; set; } = 0.8;

    /// <summary>Gets or sets the fewest calls in the sampling window before the circuit may open.</summary>
    /// <value>The default value is 10.</value>
    [Range(2, 100_000)]
    public int MinimumThroughput { get; set; } = 10;

    /// <summary>Gets or sets the window the failure ratio is measured over.</summary>
    /// <value>The default value is 60 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets how long the circuit stays open before one trial call.</summary>
    /// <value>The default value is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>A model's price, in any currency, per million tokens.</summary>
public sealed class ModelPrice
{
    /// <summary>Gets or sets the price of a million input (prompt) tokens.</summary>
    [Range(0, 1_000_000)]
    public decimal InputPerMillionTokens { get; set; }

    /// <summary>Gets or sets the price of a million output tokens.</summary>
    [Range(0, 1_000_000)]
    public decimal OutputPerMillionTokens { get; set; }
}
