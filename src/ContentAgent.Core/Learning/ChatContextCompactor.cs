using System.Text;
using ContentAgent.Generation;
using ContentAgent.Quality;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.ML.Tokenizers;

namespace ContentAgent.Learning;

/// <summary>
/// The default compactor: asks the chat client to summarise the learnings (structured output), and falls back to the
/// deterministic <see cref="OfflineContextCompactor"/> when the client is the offline one, when the call fails, or when
/// the summary misses the token target.
/// </summary>
internal sealed class ChatContextCompactor(IChatClient chatClient, Tokenizer tokenizer, ILogger<ChatContextCompactor> logger) : IContextCompactor
{
    public const string MethodName = "llm";

    private readonly OfflineContextCompactor _offline = new(tokenizer);

    public async Task<CompactionResult> CompactAsync(CompactionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        if (request.Learnings.Count == 0 || chatClient.IsOffline())
        {
            return await _offline.CompactAsync(request, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var response = await chatClient.GetResponseAsync<CompactedLearnings>(BuildPrompt(request), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!response.TryGetResult(out var result) || result.Learnings is not { Count: > 0 } lines)
            {
                throw new InvalidOperationException("The model returned no usable summary.");
            }

            var learnings = lines
                .Where(static l => !string.IsNullOrWhiteSpace(l.Text))
                .Select(static l => new Learning(l.Avoid ? LearningKind.Avoid : LearningKind.Keep, l.Text.Trim(), null, null, Math.Max(1, l.Weight)))
                .ToList();
            var tokens = tokenizer.CountTokens(PostPrompt.RenderLearnings(learnings));
            if (learnings.Count == 0 || tokens > request.TargetTokens)
            {
                throw new InvalidOperationException($"The model's summary took {tokens} tokens; the target is {request.TargetTokens}.");
            }

            return new CompactionResult(learnings, MethodName);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Diagnostics.Log.CompactionFellBack(logger, ex.Message);
            return await _offline.CompactAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    private static List<ChatMessage> BuildPrompt(CompactionRequest request)
    {
        var text = new StringBuilder();
        text.Append("Compact these learnings from earlier posts into the fewest short lines that keep every distinct lesson. ")
            .Append("Merge repeats and count them in weight. Mark lessons to avoid with avoid = true. ")
            .Append("Start each line with the rubric criterion it is about (")
            .AppendJoin(", ", Enum.GetValues<QualityCriterion>())
            .Append(") and a colon. The whole list must stay under ")
            .Append(request.TargetTokens)
            .Append(" tokens.\n\n")
            .Append(PostPrompt.RenderLearnings(request.Learnings));
        return [new ChatMessage(ChatRole.User, text.ToString())];
    }

    /// <summary>The summary the model returns.</summary>
    /// <param name="Learnings">The compacted lines.</param>
    internal sealed record CompactedLearnings(IReadOnlyList<CompactedLearning> Learnings);

    /// <summary>One compacted line.</summary>
    /// <param name="Text">The lesson.</param>
    /// <param name="Avoid">Whether it is something to avoid.</param>
    /// <param name="Weight">How many earlier learnings it stands for.</param>
    internal sealed record CompactedLearning(string Text, bool Avoid, int Weight);
}
