using ContentAgent.Generation;
using Microsoft.ML.Tokenizers;

namespace ContentAgent.Learning;

/// <summary>
/// The learnings a batch carries into its next prompt. Tokens are counted once per learning line and summed: the
/// rendered context is one line per learning, each ending in a newline, and the tokenizer's pre-tokenization never
/// joins text across that newline, so the sum equals the count of the whole text (a test holds it to that) while a
/// growing context costs one short count per new learning instead of a recount of everything.
/// </summary>
internal sealed class LearningContext
{
    private readonly Tokenizer _tokenizer;
    private readonly List<Learning> _learnings = [];
    private readonly List<int> _lineTokens = [];
    private readonly int _headerTokens;
    private string? _rendered;
    private int _tokens;

    public LearningContext(Tokenizer tokenizer, IEnumerable<Learning> learnings)
    {
        _tokenizer = tokenizer;
        _headerTokens = tokenizer.CountTokens(PostPrompt.LearningsSection + "\n");
        Append(learnings);
    }

    public IReadOnlyList<Learning> Learnings => _learnings;

    public int Count => _learnings.Count;

    /// <summary>Gets the context's tokens as the prompt carries it (0 when empty).</summary>
    public int Tokens => _learnings.Count == 0 ? 0 : _headerTokens + _tokens;

    /// <summary>Gets the context as the prompt carries it, and its tokens.</summary>
    public (string Text, int Tokens) Render()
    {
        _rendered ??= PostPrompt.RenderLearnings(_learnings);
        return (_rendered, Tokens);
    }

    /// <summary>Adds learnings and returns the tokens they added.</summary>
    public int Add(IReadOnlyList<Learning> learnings) => Append(learnings);

    public void Replace(IReadOnlyList<Learning> learnings)
    {
        _learnings.Clear();
        _lineTokens.Clear();
        _tokens = 0;
        Append(learnings);
    }

    private int Append(IEnumerable<Learning> learnings)
    {
        var added = 0;
        foreach (var learning in learnings)
        {
            var lineTokens = _tokenizer.CountTokens(PostPrompt.RenderLine(learning));
            _learnings.Add(learning);
            _lineTokens.Add(lineTokens);
            _tokens += lineTokens;
            added += lineTokens;
            _rendered = null;
        }

        return added;
    }
}
