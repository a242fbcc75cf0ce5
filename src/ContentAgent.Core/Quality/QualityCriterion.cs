namespace ContentAgent.Quality;

/// <summary>A criterion of the quality rubric. Each is scored from 0 (absent) to 10 (excellent).</summary>
public enum QualityCriterion
{
    /// <summary>Does the first line make a reader stop scrolling (a number, a question, a bold claim, brevity)?</summary>
    Hook,

    /// <summary>Is there one clear idea, said plainly, without filler?</summary>
    Clarity,

    /// <summary>Does it carry concrete detail: figures, examples, named practices?</summary>
    Specificity,

    /// <summary>Does it end by asking the reader to do or answer something?</summary>
    CallToAction,

    /// <summary>Does it respect the platform's length, hashtag, emoji and link habits?</summary>
    PlatformFit,

    /// <summary>Is it easy to read: short sentences, short paragraphs, white space?</summary>
    Readability,
}
