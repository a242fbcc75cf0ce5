using System.Collections.Frozen;
using System.Globalization;

namespace ContentAgent.Planning;

/// <summary>Reads counts written in digits or in English words ("five", "twenty-five", "a dozen", "one hundred").</summary>
internal static class NumberWords
{
    private static readonly FrozenDictionary<string, int> Units = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
    {
        ["zero"] = 0, ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5,
        ["six"] = 6, ["seven"] = 7, ["eight"] = 8, ["nine"] = 9, ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12,
        ["thirteen"] = 13, ["fourteen"] = 14, ["fifteen"] = 15, ["sixteen"] = 16, ["seventeen"] = 17, ["eighteen"] = 18,
        ["nineteen"] = 19, ["dozen"] = 12,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, int> Tens = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
    {
        ["twenty"] = 20, ["thirty"] = 30, ["forty"] = 40, ["fifty"] = 50, ["sixty"] = 60, ["seventy"] = 70, ["eighty"] = 80, ["ninety"] = 90,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Reads a count that starts at <paramref name="start"/> in <paramref name="words"/>. Returns the number of words it
    /// used (0 when there is no count there). "a"/"an" count only before "dozen" or "hundred", so "a post" is not read.
    /// </summary>
    public static int TryRead(IReadOnlyList<string> words, int start, out long value)
    {
        value = 0;
        if (start >= words.Count)
        {
            return 0;
        }

        var first = words[start];
        if (long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            return 1;
        }

        if (first.Equals("a", StringComparison.OrdinalIgnoreCase) || first.Equals("an", StringComparison.OrdinalIgnoreCase))
        {
            if (start + 1 < words.Count && words[start + 1].Equals("dozen", StringComparison.OrdinalIgnoreCase))
            {
                value = 12;
                return 2;
            }

            if (start + 1 < words.Count && words[start + 1].Equals("hundred", StringComparison.OrdinalIgnoreCase))
            {
                value = 100;
                return 2;
            }

            return 0;
        }

        var used = 0;
        long total = 0;
        var index = start;
        while (index < words.Count)
        {
            var word = words[index];
            if (word.Equals("and", StringComparison.OrdinalIgnoreCase) && used > 0 && total >= 100 && index + 1 < words.Count && IsNumberWord(words[index + 1]))
            {
                index++;
                used++;
                continue;
            }

            if (TryReadCompound(word, out var part))
            {
                total += part;
            }
            else if (word.Equals("hundred", StringComparison.OrdinalIgnoreCase) && used > 0)
            {
                total = Math.Max(total, 1) * 100;
            }
            else if (word.Equals("thousand", StringComparison.OrdinalIgnoreCase) && used > 0)
            {
                total = Math.Max(total, 1) * 1000;
            }
            else
            {
                break;
            }

            index++;
            used++;
        }

        if (used > 0 && words[start + used - 1].Equals("and", StringComparison.OrdinalIgnoreCase))
        {
            used--;
        }

        value = total;
        return used;
    }

    private static bool IsNumberWord(string word) => TryReadCompound(word, out _) || word.Equals("hundred", StringComparison.OrdinalIgnoreCase);

    private static bool TryReadCompound(string word, out long value)
    {
        value = 0;
        if (Units.TryGetValue(word, out var unit))
        {
            value = unit;
            return true;
        }

        if (Tens.TryGetValue(word, out var ten))
        {
            value = ten;
            return true;
        }

        var dash = word.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0 && Tens.TryGetValue(word[..dash], out ten) && Units.TryGetValue(word[(dash + 1)..], out unit) && unit is > 0 and < 10)
        {
            value = ten + unit;
            return true;
        }

        return false;
    }
}
