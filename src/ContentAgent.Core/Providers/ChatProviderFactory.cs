using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OllamaSharp;
using OpenAI;

namespace ContentAgent.Providers;

/// <summary>
/// Builds the provider's own client from <see cref="ChatProviderOptions"/>: the one place ContentAgent constructs a
/// provider, so that live mode is configuration only. The SDKs' own retries are off: Polly retries, once.
/// </summary>
internal static class ChatProviderFactory
{
    /// <summary>Ollama's address when none is configured.</summary>
    public static readonly Uri OllamaDefaultEndpoint = new("http://localhost:11434/");

    /// <summary>OpenAI's address when none is configured (the SDK's own default).</summary>
    public static readonly Uri OpenAIDefaultEndpoint = new("https://api.openai.com/v1/");

    public static IChatClient Create(ChatProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var model = options.Model ?? throw new InvalidOperationException("ContentAgent:Chat:Model is required in live mode.");
        return options.Provider switch
        {
            ChatProvider.OpenAI => new OpenAIClient(
                    new ApiKeyCredential(options.ApiKey ?? throw new InvalidOperationException("ContentAgent:Chat:ApiKey is required in live mode with the OpenAI-compatible provider.")),
                    new OpenAIClientOptions
                    {
                        Endpoint = options.Endpoint,
                        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
                        NetworkTimeout = options.CallTimeout + TimeSpan.FromSeconds(5),
                        UserAgentApplicationId = "ContentAgent",
                    })
                .GetChatClient(model)
                .AsIChatClient(),
            ChatProvider.Ollama => new OllamaApiClient(
                new HttpClient { BaseAddress = options.Endpoint ?? OllamaDefaultEndpoint, Timeout = Timeout.InfiniteTimeSpan },
                model),
            _ => throw new InvalidOperationException($"ContentAgent:Chat:Provider '{options.Provider}' is not known; use OpenAI or Ollama."),
        };
    }
}
