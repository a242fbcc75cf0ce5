using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace ContentAgent.Generation;

/// <summary>
/// An <see cref="IChatClient"/> that needs no network and no model ("mock mode"): a pure function of its input that
/// writes realistic posts from templates, answers JSON-schema requests so that
/// <see cref="ChatClientStructuredOutputExtensions.GetResponseAsync{T}(IChatClient, IEnumerable{ChatMessage}, ChatOptions?, bool?, CancellationToken)"/>
/// parses, and summarizes anything else.
/// </summary>
/// <remarks>
/// <para>
/// <b>Determinism.</b> The same messages and options give the same response, in every process: every choice comes from
/// a stable FNV-1a 64-bit hash of the input, never from time, a random generator or <see cref="string.GetHashCode()"/>.
/// <see cref="ChatResponse.CreatedAt"/> is left <see langword="null"/> and <see cref="ChatResponse.ResponseId"/> is derived
/// from the hash.
/// </para>
/// <para>
/// <b>Posts.</b> When the last user message carries the post prompt ("## Post" with Index, Platform, Topic and Angle, then
/// "## Platform rules" with Max length, Ideal length, Hashtags and Emoji, an optional "## Brand voice" and optional
/// "- Keep: " / "- Avoid: " learning lines), the client writes a post about the topic from the angle. Hook style,
/// structure, examples, figures, closing, emoji and hashtags are picked by a hash of index, platform, topic and angle.
/// The hard length limit and the emoji limit are always respected; an email newsletter never carries hashtags, starts
/// with a "Subject:" line and ends with a sign-off.
/// </para>
/// <para>
/// <b>How mock mode models learning.</b> Each post has six aspects, one per <c>QualityCriterion</c>. For an aspect that
/// no learning names, the hash decides whether it is done well or weakly (weak about 45% of the time):
/// </para>
/// <list type="table">
/// <listheader><term>Learning label</term><description>Weak variant / good variant</description></listheader>
/// <item><term>Hook</term><description>A generic first line ("Some thoughts on X.") with no number and no question /
/// a first line with a concrete number or a question.</description></item>
/// <item><term>Clarity</term><description>Filler ("In today's fast-paced world", "really", "very") / plain sentences.</description></item>
/// <item><term>Specificity</term><description>Vague statements with no figures or examples / figures and concrete examples.</description></item>
/// <item><term>Call to action</term><description>Ends without a question or an ask / ends with a question or an ask
/// (comment, reply, share, save, try).</description></item>
/// <item><term>Platform fit</term><description>A hashtag count outside the platform's range, or a length outside the ideal
/// range (still within the hard limit) / hashtags in range and a length aimed inside the ideal range.</description></item>
/// <item><term>Readability</term><description>One long run-on paragraph / short paragraphs, bullets or a numbered list.</description></item>
/// </list>
/// <para>
/// A learning line whose text starts with one of these labels and a colon ("- Avoid: Call to action: end with a question
/// that invites replies (3/10 on post 4)", "- Keep: Hook: opening with a concrete number stops the scroll (9/10 on post 2)")
/// makes that aspect always good, whether it is a Keep or an Avoid: the learning was applied. As a batch accumulates
/// learnings, fewer aspects are left to chance, so its quality scores rise the way they do with a live model.
/// </para>
/// <para>
/// <b>Structured output.</b> Without a post prompt, a <see cref="ChatResponseFormatJson"/> with a schema gets JSON that
/// conforms to it (objects, arrays of 1-3 items within minItems/maxItems, enums, numbers within minimum/maximum,
/// nullable type arrays, anyOf/oneOf/allOf, local <c>$ref</c>). Plain requests get a bullet list of up to five distinct
/// non-empty lines of the last user message.
/// </para>
/// <para>
/// <b>Usage.</b> Tokens are counted with a <see cref="Tokenizer"/> (by default the o200k_base encoding of gpt-4o): the input
/// is the text of every message plus <see cref="ChatOptions.Instructions"/>, with 3 tokens of overhead per message as chat
/// formats have; the output is the response text.
/// </para>
/// </remarks>
public sealed class OfflineChatClient : IChatClient
{
    /// <summary>The provider name the client reports in its <see cref="ChatClientMetadata"/>.</summary>
    public const string ProviderName = "offline";

    internal const string ModelId = "contentagent-offline-1";

    private const int TokensPerMessage = 3;

    private readonly LineCachedTokenCounter _tokens;
    private readonly ChatClientMetadata _metadata = new(ProviderName, null, ModelId);

    /// <summary>Initializes a new instance of the <see cref="OfflineChatClient"/> class.</summary>
    /// <param name="tokenizer">The tokenizer that counts the reported usage; <see langword="null"/> for the o200k_base encoding of gpt-4o.</param>
    public OfflineChatClient(Tokenizer? tokenizer = null)
    {
        _tokens = new LineCachedTokenCounter(tokenizer ?? DefaultTokenizer.Instance);
    }

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<ChatResponse>(cancellationToken);
        }

        try
        {
            var result = Produce(messages, options, cancellationToken);
            var message = new ChatMessage(ChatRole.Assistant, result.Text) { MessageId = result.MessageId };
            return Task.FromResult(new ChatResponse(message)
            {
                ResponseId = result.ResponseId,
                ModelId = ModelId,
                FinishReason = ChatFinishReason.Stop,
                Usage = result.Usage,
            });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<ChatResponse>(cancellationToken);
        }
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return StreamAsync(messages, options, cancellationToken);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // Nothing to release: the client holds no connections and the default tokenizer is shared.
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await Task.Yield();
        var result = Produce(messages, options, cancellationToken);
        var text = result.Text;

        // Word-sized chunks: a word and the whitespace after it.
        var position = 0;
        while (position < text.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = position;
            while (end < text.Length && !char.IsWhiteSpace(text[end]))
            {
                end++;
            }

            while (end < text.Length && char.IsWhiteSpace(text[end]))
            {
                end++;
            }

            yield return new ChatResponseUpdate(ChatRole.Assistant, text[position..end])
            {
                ResponseId = result.ResponseId,
                MessageId = result.MessageId,
                ModelId = ModelId,
            };
            position = end;
        }

        cancellationToken.ThrowIfCancellationRequested();
        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(result.Usage)])
        {
            ResponseId = result.ResponseId,
            MessageId = result.MessageId,
            ModelId = ModelId,
            FinishReason = ChatFinishReason.Stop,
        };
    }

    private Result Produce(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        var tokenizer = _tokens;
        var hash = StableHash.OffsetBasis;
        long inputTokens = 0;
        string? lastUser = null;
        string? lastAny = null;

        if (options?.Instructions is { Length: > 0 } instructions)
        {
            hash = StableHash.Separator(StableHash.Fnv1a(instructions, hash));
            inputTokens += TokensPerMessage + tokenizer.CountTokens(instructions);
        }

        foreach (var message in messages)
        {
            if (message is null)
            {
                continue;
            }

            var text = message.Text;
            hash = StableHash.Separator(StableHash.Fnv1a(text, StableHash.Separator(StableHash.Fnv1a(message.Role.Value, hash))));
            inputTokens += TokensPerMessage + tokenizer.CountTokens(text);
            lastAny = text;
            if (message.Role == ChatRole.User)
            {
                lastUser = text;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        var request = lastUser ?? lastAny ?? string.Empty;
        string output;
        if (OfflinePostRequest.TryParse(request, out var post))
        {
            output = OfflinePostWriter.Write(post);
        }
        else if (options?.ResponseFormat is ChatResponseFormatJson format)
        {
            if (format.Schema is { } schema)
            {
                var seed = StableHash.Fnv1a(schema.GetRawText(), hash);
                output = OfflineJsonWriter.Write(schema, seed, request, cancellationToken);
            }
            else
            {
                output = "{\"summary\":\"" + JsonEncodedText.Encode(Summarize(request)).Value + "\"}";
            }
        }
        else
        {
            output = Summarize(request);
        }

        cancellationToken.ThrowIfCancellationRequested();
        long outputTokens = tokenizer.CountTokens(output);
        var id = StableHash.Derive(hash, StableHash.Fnv1a(output)).ToString("x16", CultureInfo.InvariantCulture);
        var usage = new UsageDetails
        {
            InputTokenCount = inputTokens,
            OutputTokenCount = outputTokens,
            TotalTokenCount = inputTokens + outputTokens,
        };
        return new Result(output, "offline-" + id, "offline-msg-" + id, usage);
    }

    /// <summary>A bullet list of up to five distinct non-empty lines, without their Markdown markers.</summary>
    private static string Summarize(string text)
    {
        const int MaxLines = 5;
        const int MaxLineLength = 200;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var builder = new StringBuilder(256);
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            var line = raw.Trim().TrimStart("-*#>").Trim();
            if (line.IsEmpty)
            {
                continue;
            }

            if (line.Length > MaxLineLength)
            {
                line = line[..MaxLineLength].TrimEnd();
            }

            var value = line.ToString();
            if (!seen.Add(value))
            {
                continue;
            }

            if (builder.Length > 0)
            {
                builder.Append('\n');
            }

            builder.Append("- ").Append(value);
            if (seen.Count == MaxLines)
            {
                break;
            }
        }

        return builder.Length == 0 ? "Nothing to summarize." : builder.ToString();
    }

    private readonly record struct Result(string Text, string ResponseId, string MessageId, UsageDetails Usage);
}
