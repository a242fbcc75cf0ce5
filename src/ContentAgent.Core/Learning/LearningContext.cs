using ContentAgent.Generation;
using Microsoft.ML.Tokenizers;

namespace ContentAgent.Learning;

/// <summary>The learnings a batch carries into its next prompt, with their rendered text and token count cached.</summary>
internal sealed class LearningContext
{
    private readonly Tokenizer _tokenizer;
    private readonly List<Learning> _learnings;
    private string? _rendered;
    private int _tokens;

    public LearningContext(Tokenizer tokenizer, IEnumerable<Learning> learnings)
    {
        _tokenizer = tokenizer;
        _learnings = [.. learnings];
    }

    public IReadOnlyList<Learning> Learnings => _learnings;

    public int Count => _learnings.Count;

    /// <summary>Gets the context as the prompt carries it and its tokens.</summary>
    public (string Text, int Tokens) Render()
    {
        if (_rendered is null)
        {
            _rendered = PostPrompt.RenderLearnings(_learnings);
            _tokens = _rendered.Length == 0 ? 0 : _tokenizer.CountTokens(_rendered);
        }

        return (_rendered, _tokens);
    }

    public void Add(IReadOnlyList<Learning> learnings)
    {
        if (learnings.Count > 0)
        {
            _learnings.AddRange(learnings);
            _rendered = null;
        }
    }

    public void Replace(IReadOnlyList<Learning> learnings)
    {
        _learnings.Clear();
        _learnings.AddRange(learnings);
        _rendered = null;
    }
}
