using System.Text;

namespace ContentAgent.Planning;

/// <summary>
/// Reads a brief offline, deterministically. Understands a count (digits or words), platforms (LinkedIn when none is
/// named), and topics either as a list ("about A, B, and C": the count spread over them) or with their own counts
/// ("15 posts: 5 about A, 5 about B, 5 about C"). Anything else fails with an <see cref="InvalidBriefException"/> that
/// names the problem.
/// </summary>
internal static class BriefParser
{
    private static readonly string[] PostNouns = ["post", "posts", "tweet", "tweets", "update", "updates", "caption", "captions", "newsletter", "newsletters", "issues", "emails", "articles", "pieces"];
    private static readonly char[] TrimChars = [' ', '\t', ',', ';', '.', ':', '!', '?', '"', '\'', '(', ')', '-', '–', '—', '&'];

    public static ParsedBrief Parse(string? brief, int maxPosts)
    {
        if (string.IsNullOrWhiteSpace(brief))
        {
            throw new InvalidBriefException("The brief is empty: say how many posts to write, for which platform, about what.");
        }

        var text = brief.Trim().ReplaceLineEndings(" ");
        var (head, tail) = Split(text);
        var headWords = Words(head);

        var count = FindCount(headWords, out var countAt);
        var platforms = FindPlatforms(headWords, countAt);
        var topics = ParseTopics(tail);

        if (topics.Counted.Count > 0)
        {
            var sum = topics.Counted.Sum(static t => (long)t.Count);
            if (count is { } total && total != sum)
            {
                throw new InvalidBriefException($"The brief asks for {total} posts but its topics add up to {sum}: make the numbers match.");
            }

            Check(sum, maxPosts);
            return new ParsedBrief([.. topics.Counted.Select(static t => (t.Topic, (int)t.Count))], platforms);
        }

        if (count is null)
        {
            throw new InvalidBriefException("The brief has no post count: say how many posts to write.", unreadable: true);
        }

        Check(count.Value, maxPosts);
        if (topics.Listed.Count == 0)
        {
            throw new InvalidBriefException("The brief names no topic: say what the posts are about.", unreadable: true);
        }

        if (count.Value < topics.Listed.Count)
        {
            throw new InvalidBriefException($"The brief asks for {count.Value} posts but names {topics.Listed.Count} topics: ask for at least {topics.Listed.Count} posts or name fewer topics.");
        }

        // Spread the count over the topics: equal shares, the remainder to the first topics.
        var share = (int)(count.Value / topics.Listed.Count);
        var extra = (int)(count.Value % topics.Listed.Count);
        return new ParsedBrief([.. topics.Listed.Select((t, i) => (t, share + (i < extra ? 1 : 0)))], platforms);
    }

    private static void Check(long count, int maxPosts)
    {
        if (count <= 0)
        {
            throw new InvalidBriefException($"The brief asks for {count} posts: ask for at least 1.");
        }

        if (count > maxPosts)
        {
            throw new InvalidBriefException($"The brief asks for {count} posts; the maximum is {maxPosts} (ContentAgent:MaxPostsPerBatch).");
        }
    }

    /// <summary>Splits the brief into what it asks for (count, platforms) and what it is about (topics).</summary>
    private static (string Head, string Tail) Split(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            return (text[..colon], text[(colon + 1)..]);
        }

        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < words.Length; i++)
        {
            var word = Clean(words[i]);
            var isAbout = word.Equals("about", StringComparison.OrdinalIgnoreCase);
            var isOn = word.Equals("on", StringComparison.OrdinalIgnoreCase)
                && i + 1 < words.Length
                && !PlatformNames.TryParse(words[i + 1], out _);
            if (isAbout || isOn)
            {
                return (string.Join(' ', words[..i]), string.Join(' ', words[(i + 1)..]));
            }
        }

        return (text, string.Empty);
    }

    private static long? FindCount(List<string> words, out int at)
    {
        for (at = 0; at < words.Count; at++)
        {
            if (NumberWords.TryRead(words, at, out var value) > 0)
            {
                return value;
            }
        }

        at = -1;
        return null;
    }

    private static List<Platform> FindPlatforms(List<string> words, int countAt)
    {
        var platforms = new List<Platform>();
        void Add(Platform platform)
        {
            if (!platforms.Contains(platform))
            {
                platforms.Add(platform);
            }
        }

        for (var i = 0; i < words.Count; i++)
        {
            if (i + 1 < words.Count && PlatformNames.TryParse($"{words[i]} {words[i + 1]}", out var pair) && words[i].Equals("email", StringComparison.OrdinalIgnoreCase))
            {
                Add(pair);
                i++;
                continue;
            }

            if (PlatformNames.TryParse(words[i], out var platform))
            {
                // "x" is a platform only where a platform can stand: before a post noun, or in a "for …" list.
                if (words[i].Equals("x", StringComparison.OrdinalIgnoreCase) && !IsPlatformPosition(words, i))
                {
                    continue;
                }

                Add(platform);
                continue;
            }

            // A capitalised word where a platform stands ("5 MySpace posts", "posts for MySpace") that is not one.
            if (i > countAt && IsPlatformPosition(words, i) && char.IsUpper(words[i][0]) && NumberWords.TryRead(words, i, out _) == 0)
            {
                throw new InvalidBriefException($"Unknown platform '{words[i]}'. Known platforms: {PlatformNames.KnownList}.");
            }
        }

        if (platforms.Count == 0)
        {
            platforms.Add(Platform.LinkedIn);
        }

        return platforms;
    }

    private static bool IsPlatformPosition(List<string> words, int i)
    {
        var next = i + 1 < words.Count ? words[i + 1] : string.Empty;
        if (PostNouns.Contains(next, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        // In a "for A, B and C" list.
        for (var j = i - 1; j >= 0; j--)
        {
            var word = words[j];
            if (word.Equals("for", StringComparison.OrdinalIgnoreCase) || word.Equals("on", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (!word.Equals("and", StringComparison.OrdinalIgnoreCase) && !PlatformNames.TryParse(word, out _))
            {
                return false;
            }
        }

        return false;
    }

    private static (List<(string Topic, long Count)> Counted, List<string> Listed) ParseTopics(string tail)
    {
        var tokens = tail.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var words = tokens.Select(static t => Clean(t)).ToList();

        // Segments such as "5 about AI" or "five LinkedIn posts on remote work": a count, optional platform or post noun, then about/on.
        var starts = new List<(int Start, int TopicStart, long Count)>();
        for (var i = 0; i < words.Count; i++)
        {
            var used = NumberWords.TryRead(words, i, out var value);
            if (used == 0)
            {
                continue;
            }

            var j = i + used;
            while (j < words.Count && j < i + used + 3 && (PlatformNames.TryParse(words[j], out _) || PostNouns.Contains(words[j], StringComparer.OrdinalIgnoreCase)))
            {
                j++;
            }

            if (j < words.Count && (words[j].Equals("about", StringComparison.OrdinalIgnoreCase) || words[j].Equals("on", StringComparison.OrdinalIgnoreCase)))
            {
                starts.Add((i, j + 1, value));
                i = j;
            }
        }

        if (starts.Count > 0)
        {
            var counted = new List<(string, long)>(starts.Count);
            for (var s = 0; s < starts.Count; s++)
            {
                var end = s + 1 < starts.Count ? starts[s + 1].Start : tokens.Length;
                var topic = CleanTopic(string.Join(' ', tokens[starts[s].TopicStart..end]));
                if (topic.Length == 0)
                {
                    throw new InvalidBriefException($"The brief gives {starts[s].Count} posts a count but no topic: write it as \"{starts[s].Count} about <topic>\".");
                }

                counted.Add((topic, starts[s].Count));
            }

            return (counted, []);
        }

        // A plain list: "A, B, C, and D" or "A and B" or "A & B".
        var listed = new List<string>();
        var current = new StringBuilder();
        foreach (var token in tokens)
        {
            var word = Clean(token);
            var isJoin = word.Equals("and", StringComparison.OrdinalIgnoreCase) || word.Equals("or", StringComparison.OrdinalIgnoreCase) || token == "&";
            if (isJoin)
            {
                Flush(listed, current);
                continue;
            }

            if (current.Length > 0)
            {
                current.Append(' ');
            }

            current.Append(token.TrimEnd(',', ';'));
            if (token.EndsWith(',') || token.EndsWith(';'))
            {
                Flush(listed, current);
            }
        }

        Flush(listed, current);
        return ([], listed);
    }

    private static void Flush(List<string> topics, StringBuilder current)
    {
        var topic = CleanTopic(current.ToString());
        current.Clear();
        if (topic.Length > 0 && topic.Any(char.IsLetterOrDigit) && !topics.Contains(topic, StringComparer.OrdinalIgnoreCase))
        {
            topics.Add(topic);
        }
    }

    private static string CleanTopic(string topic)
    {
        var cleaned = topic.Trim(TrimChars);
        foreach (var suffix in new[] { " and", " or" })
        {
            if (cleaned.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                cleaned = cleaned[..^suffix.Length].Trim(TrimChars);
            }
        }

        return cleaned.Length > 200 ? cleaned[..200].Trim() : cleaned;
    }

    private static List<string> Words(string text) =>
        [.. text.Split([' ', ',', ';'], StringSplitOptions.RemoveEmptyEntries).Select(Clean).Where(static w => w.Length > 0)];

    private static string Clean(string word) => word.Trim(TrimChars);
}
