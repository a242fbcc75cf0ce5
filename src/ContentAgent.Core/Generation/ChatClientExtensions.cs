using Microsoft.Extensions.AI;

namespace ContentAgent.Generation;

/// <summary>What ContentAgent needs to know about a chat client.</summary>
internal static class ChatClientExtensions
{
    /// <summary>Whether the client (or the client a pipeline wraps) is the <see cref="OfflineChatClient"/>.</summary>
    public static bool IsOffline(this IChatClient client) =>
        string.Equals(client.GetService<ChatClientMetadata>()?.ProviderName, OfflineChatClient.ProviderName, StringComparison.Ordinal);
}
