using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace ContentAgent.Generation;

/// <summary>Placeholder replaced by the offline writer implementation.</summary>
public sealed class OfflineChatClient(Microsoft.ML.Tokenizers.Tokenizer? tokenizer = null) : IChatClient
{
    /// <summary>The provider name the client reports in its <see cref="ChatClientMetadata"/>.</summary>
    public const string ProviderName = "offline";

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        yield break;
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) => tokenizer is null ? null : null;

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
