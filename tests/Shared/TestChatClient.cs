using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace ContentAgent.Tests;

/// <summary>A callback-driven <see cref="IChatClient"/>, in the shape of Microsoft.Extensions.AI's own test double.</summary>
public sealed class TestChatClient : IChatClient
{
    private int _calls;

    /// <summary>Gets or sets what <see cref="GetResponseAsync"/> does.</summary>
    public Func<IEnumerable<ChatMessage>, ChatOptions?, CancellationToken, Task<ChatResponse>>? GetResponseAsyncCallback { get; set; }

    /// <summary>Gets or sets the metadata the client reports.</summary>
    public ChatClientMetadata Metadata { get; set; } = new("test", null, "test-model");

    /// <summary>Gets the number of calls made so far.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Gets every request received, in order.</summary>
    public List<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> Requests { get; } = [];

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        lock (Requests)
        {
            Requests.Add((list, options));
        }

        Interlocked.Increment(ref _calls);
        var callback = GetResponseAsyncCallback ?? throw new InvalidOperationException("No GetResponseAsyncCallback set.");
        return await callback(list, options, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? Metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }
}
