using ContentAgent.Quality;

namespace ContentAgent.Learning;

/// <summary>A short lesson from a scored post that later prompts carry.</summary>
/// <param name="Kind">Whether to repeat or avoid what it describes.</param>
/// <param name="Text">The lesson, in one sentence a writer can follow.</param>
/// <param name="Criterion">The rubric criterion it is about, when it is about one.</param>
/// <param name="SourcePost">The index of the post it came from; <see langword="null"/> for a compacted summary.</param>
/// <param name="Weight">How many observations it stands for (1 for a fresh learning, more after compaction).</param>
public sealed record Learning(LearningKind Kind, string Text, QualityCriterion? Criterion, int? SourcePost, int Weight = 1);

/// <summary>Whether a learning is something to repeat or to avoid.</summary>
public enum LearningKind
{
    /// <summary>It worked: do it again.</summary>
    Keep,

    /// <summary>It scored badly: avoid it or fix it.</summary>
    Avoid,
}
