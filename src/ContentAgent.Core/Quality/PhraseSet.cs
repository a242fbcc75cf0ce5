using System.Buffers;

namespace ContentAgent.Quality;

/// <summary>
/// A fixed set of words and phrases matched ignoring case and on word boundaries (no letter or digit right before or
/// after a match), with one vectorized <see cref="SearchValues{T}"/> pass rather than one scan per phrase.
/// </summary>
internal sealed class PhraseSet
{
    private readonly string[] _phrases;
    private readonly SearchValues<string> _values;

    /// <summary>Initializes a new instance of the <see cref="PhraseSet"/> class.</summary>
    /// <param name="phrases">The words and phrases; none empty.</param>
    public PhraseSet(params string[] phrases)
    {
        _phrases = phrases;
        _values = SearchValues.Create(phrases, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether the text holds any of the phrases.</summary>
    /// <param name="text">The text.</param>
    /// <returns><see langword="true"/> when a phrase occurs on word boundaries.</returns>
    public bool IsIn(ReadOnlySpan<char> text) => IndexOf(text, 0, out _) >= 0;

    /// <summary>Finds the first phrase at or after a position.</summary>
    /// <param name="text">The text.</param>
    /// <param name="start">Where to start looking.</param>
    /// <param name="phrase">The phrase found (the longest one at that position), or <see langword="null"/>.</param>
    /// <returns>The position of the phrase, or -1.</returns>
    public int IndexOf(ReadOnlySpan<char> text, int start, out string? phrase)
    {
        while (start < text.Length)
        {
            var at = text[start..].IndexOfAny(_values);
            if (at < 0)
            {
                break;
            }

            at += start;
            if (at == 0 || !char.IsLetterOrDigit(text[at - 1]))
            {
                phrase = LongestAt(text, at);
                if (phrase is not null)
                {
                    return at;
                }
            }

            start = at + 1;
        }

        phrase = null;
        return -1;
    }

    /// <summary>Counts the phrases in the text; matches do not overlap.</summary>
    /// <param name="text">The text.</param>
    /// <param name="firstAt">The position of the first phrase found, or -1.</param>
    /// <param name="first">The first phrase found, or <see langword="null"/>.</param>
    /// <returns>The number of matches.</returns>
    public int Count(ReadOnlySpan<char> text, out int firstAt, out string? first)
    {
        var count = 0;
        var at = IndexOf(text, 0, out first);
        firstAt = at;
        var phrase = first;
        while (at >= 0)
        {
            count++;
            at = IndexOf(text, at + phrase!.Length, out phrase);
        }

        return count;
    }

    private string? LongestAt(ReadOnlySpan<char> text, int at)
    {
        var rest = text[at..];
        string? longest = null;
        foreach (var candidate in _phrases)
        {
            if ((longest is null || candidate.Length > longest.Length)
                && rest.StartsWith(candidate, StringComparison.OrdinalIgnoreCase)
                && (rest.Length == candidate.Length || !char.IsLetterOrDigit(rest[candidate.Length])))
            {
                longest = candidate;
            }
        }

        return longest;
    }
}
