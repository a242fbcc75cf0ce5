using System.Globalization;
using ContentAgent.Generation;
using Microsoft.ML.Tokenizers;

namespace ContentAgent.Learning;

/// <summary>
/// The deterministic compactor: merges learnings about the same criterion and kind into one line that says how often it
/// was seen, ranks the lines by how many observations they stand for (most recent first on ties), and keeps as many as
/// fit the token target. Needs no model; it is also the fallback when an LLM summary fails or overflows.
/// </summary>
internal sealed class OfflineContextCompactor(Tokenizer tokenizer) : IContextCompactor
{
    public const string MethodName = "offline";

    public Task<CompactionResult> CompactAsync(CompactionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(new CompactionResult(Compact(request.Learnings, request.TargetTokens), MethodName));
    }

    public IReadOnlyList<Learning> Compact(IReadOnlyList<Learning> learnings, int targetTokens)
    {
        // Group by (kind, criterion); learnings without a criterion group by their own text.
        var groups = new Dictionary<(LearningKind Kind, string Key), Group>();
        for (var i = 0; i < learnings.Count; i++)
        {
            var learning = learnings[i];
            var key = (learning.Kind, learning.Criterion?.ToString() ?? StripEvidence(learning.Text));
            if (groups.TryGetValue(key, out var group))
            {
                group.Weight += Math.Max(1, learning.Weight);
                group.Latest = learning;
                group.LastSeen = i;
            }
            else
            {
                groups[key] = new Group { Weight = Math.Max(1, learning.Weight), Latest = learning, LastSeen = i };
            }
        }

        var ranked = groups.Values
            .OrderByDescending(static g => g.Weight)
            .ThenByDescending(static g => g.LastSeen)
            .Select(static g => g.Latest with
            {
                Text = $"{StripEvidence(g.Latest.Text)} (seen in {g.Weight.ToString(CultureInfo.InvariantCulture)} post{(g.Weight == 1 ? string.Empty : "s")})",
                SourcePost = null,
                Weight = g.Weight,
            })
            .ToList();

        // Keep the highest-ranked lines that fit; always keep at least one so the context is never emptied by a tight
        // target. Lines are counted one by one: counts of newline-terminated lines add up (see LearningContext).
        var kept = new List<Learning>(ranked.Count);
        var tokens = tokenizer.CountTokens(PostPrompt.LearningsSection + "\n");
        foreach (var learning in ranked)
        {
            tokens += tokenizer.CountTokens(PostPrompt.RenderLine(learning));
            if (kept.Count > 0 && tokens > targetTokens)
            {
                break;
            }

            kept.Add(learning);
        }

        return kept;
    }

    /// <summary>Removes a trailing parenthesised evidence note such as " (9/10 on post 3, LinkedIn)" or " (seen in 4 posts)".</summary>
    internal static string StripEvidence(string text)
    {
        var trimmed = text.TrimEnd();
        if (trimmed.EndsWith(')'))
        {
            var open = trimmed.LastIndexOf(" (", StringComparison.Ordinal);
            if (open > 0)
            {
                return trimmed[..open];
            }
        }

        return trimmed;
    }

    private sealed class Group
    {
        public int Weight { get; set; }

        public required Learning Latest { get; set; }

        public int LastSeen { get; set; }
    }
}
