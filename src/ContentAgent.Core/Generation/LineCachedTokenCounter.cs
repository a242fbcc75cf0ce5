using System.Collections.Concurrent;
using Microsoft.ML.Tokenizers;

namespace ContentAgent.Generation;

/// <summary>
/// Counts tokens exactly, line by line, remembering the count of lines it has seen. A text is cut after each run of line
/// breaks; tiktoken-style pre-tokenization never makes a piece that runs from a line break into the next line, so the
/// counts of the lines add up to the count of the text (tests hold it to that). Prompts repeat most of their lines
/// (instructions, platform rules, the learning context), so most lines are a dictionary lookup instead of a tokenization.
/// </summary>
internal sealed class LineCachedTokenCounter(Tokenizer tokenizer, int capacity = 4_096, int maxCachedLineLength = 400)
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public int CountTokens(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        var lookup = _counts.GetAlternateLookup<ReadOnlySpan<char>>();
        var total = 0;
        var start = 0;
        while (start < text.Length)
        {
            var rest = text.AsSpan(start);
            var lineBreak = rest.IndexOfAny('\r', '\n');
            var length = lineBreak < 0 ? rest.Length : lineBreak;
            while (length < rest.Length && rest[length] is '\r' or '\n')
            {
                length++;
            }

            var line = rest[..length];
            if (!lookup.TryGetValue(line, out var count))
            {
                count = tokenizer.CountTokens(line);
                if (line.Length <= maxCachedLineLength)
                {
                    // Full: start over, so the lines in use now (rules, learnings) are the ones remembered.
                    if (_counts.Count >= capacity)
                    {
                        _counts.Clear();
                    }

                    lookup.TryAdd(line, count);
                }
            }

            total += count;
            start += length;
        }

        return total;
    }
}
