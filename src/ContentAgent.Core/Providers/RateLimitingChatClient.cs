using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace ContentAgent.Providers;

/// <summary>Holds every call to the shared <see cref="ChatRateLimiter"/>: a call goes once it has a concurrency slot, a request and its tokens.</summary>
internal sealed class RateLimitingChatClient : DelegatingChatClient
{
    private readonly ChatRateLimiter _limiter;
    private readonly Tokenizer _tokenizer;
    private readonly int _defaultOutputTokens;

    public RateLimitingChatClient(IChatClient innerClient, ChatRateLimiter limiter, Tokenizer tokenizer, int defaultOutputTokens)
        : base(innerClient)
    {
        _limiter = limiter;
        _tokenizer = tokenizer;
        _defaultOutputTokens = defaultOutputTokens;
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (!_limiter.IsActive)
        {
            // No limit configured (the default): nothing to wait for and nothing to count on this path.
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }

        var list = messages as IList<ChatMessage> ?? [.. messages];
        using var permit = await _limiter.AcquireAsync(Estimate(list, options), cancellationToken).ConfigureAwait(false);
        return await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages as IList<ChatMessage> ?? [.. messages];
        using var permit = _limiter.IsActive ? await _limiter.AcquireAsync(Estimate(list, options), cancellationToken).ConfigureAwait(false) : null;
        await foreach (var update in base.GetStreamingResponseAsync(list, options, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    /// <summary>The tokens a call will take: its prompt, counted, plus the output it may produce.</summary>
    private int Estimate(IList<ChatMessage> messages, ChatOptions? options)
    {
        if (!_limiter.LimitsTokens)
        {
            return 1;
        }

        var tokens = options?.MaxOutputTokens ?? _defaultOutputTokens;
        foreach (var message in messages)
        {
            tokens += _tokenizer.CountTokens(message.Text);
        }

        return tokens;
    }
}
