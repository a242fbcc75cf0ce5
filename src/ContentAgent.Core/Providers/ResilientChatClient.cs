using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Polly;
using Polly.Timeout;

namespace ContentAgent.Providers;

/// <summary>
/// Sends each call through the named pipeline <see cref="ContentAgent.Resilience.ResiliencePipelines.Chat"/> (the provider's
/// circuit breaker around the per-call timeout) and turns whatever the provider throws into a
/// <see cref="ChatProviderException"/> that says whether to try again, without the key. A content-filter finish is a
/// non-transient failure. Retrying is the caller's (the post pipeline's), so a retry also passes the breaker and the limits.
/// </summary>
internal sealed class ResilientChatClient : DelegatingChatClient
{
    private readonly ResiliencePipeline _pipeline;
    private readonly string? _secret;
    private readonly TimeSpan _callTimeout;
    private readonly TimeProvider _timeProvider;

    public ResilientChatClient(IChatClient innerClient, ResiliencePipeline pipeline, string? secret, TimeSpan callTimeout, TimeProvider timeProvider)
        : base(innerClient)
    {
        _timeProvider = timeProvider;
        _pipeline = pipeline;
        _secret = secret;
        _callTimeout = callTimeout;
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _pipeline.ExecuteAsync(
                async token =>
                {
                    ChatResponse response;
                    try
                    {
                        response = await base.GetResponseAsync(messages, options, token).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ChatFailures.Classify(ex, _secret, _timeProvider) is { } failure && !token.IsCancellationRequested)
                    {
                        throw failure;
                    }

                    return response.FinishReason == ChatFinishReason.ContentFilter ? throw ChatFailures.ContentFiltered() : response;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException)
        {
            throw TimedOut();
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // A stream cannot be replayed, so only the first answer passes the breaker and the timeout; the rest flows through.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_callTimeout);
        var updates = base.GetStreamingResponseAsync(messages, options, timeout.Token).GetAsyncEnumerator(timeout.Token);
        await using (updates.ConfigureAwait(false))
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await updates.MoveNextAsync().ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw TimedOut();
                }
                catch (Exception ex) when (ChatFailures.Classify(ex, _secret, _timeProvider) is { } failure && !cancellationToken.IsCancellationRequested)
                {
                    throw failure;
                }

                if (!more)
                {
                    yield break;
                }

                if (updates.Current.FinishReason == ChatFinishReason.ContentFilter)
                {
                    throw ChatFailures.ContentFiltered();
                }

                yield return updates.Current;
            }
        }
    }

    private ChatProviderException TimedOut() =>
        new($"The provider did not answer within {_callTimeout} (ContentAgent:Chat:CallTimeout).", isTransient: true);
}
