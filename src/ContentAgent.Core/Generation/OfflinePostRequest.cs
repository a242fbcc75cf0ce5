using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using ContentAgent.Planning;
using ContentAgent.Quality;

namespace ContentAgent.Generation;

/// <summary>A post request as <see cref="OfflineChatClient"/> reads it back from a prompt built by <see cref="PostPrompt"/>.</summary>
internal sealed class OfflinePostRequest
{
    private const int CriterionCount = (int)QualityCriterion.Readability + 1;

    private static readonly string[] s_criterionLabels = ["Hook", "Clarity", "Specificity", "Call to action", "Platform fit", "Readability"];

    private readonly bool[] _learned = new bool[CriterionCount];

    private enum Section
    {
        None,
        Post,
        Rules,
        Voice,
        Learnings,
    }

    public int Index { get; private set; }

    public string PlatformName { get; private set; } = string.Empty;

    public Platform? Platform { get; private set; }

    public string Topic { get; private set; } = string.Empty;

    public string Angle { get; private set; } = string.Empty;

    public int MaxLength { get; private set; }

    public int IdealMinLength { get; private set; }

    public int IdealMaxLength { get; private set; }

    public int MinHashtags { get; private set; }

    public int MaxHashtags { get; private set; }

    public int MaxEmoji { get; private set; }

    public string? BrandVoice { get; private set; }

    public bool IsNewsletter => Platform == ContentAgent.Planning.Platform.EmailNewsletter;

    /// <summary>Gets whether a Keep or Avoid learning names <paramref name="criterion"/>.</summary>
    public bool HasLearning(QualityCriterion criterion) => _learned[(int)criterion];

    /// <summary>Reads a post request; false when the text has no <see cref="PostPrompt.PostSection"/> header line.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out OfflinePostRequest? request)
    {
        request = null;
        if (!text.Contains(PostPrompt.PostSection, StringComparison.Ordinal))
        {
            return false;
        }

        var result = new OfflinePostRequest();
        var section = Section.None;
        var sawPost = false;
        bool hasMax = false, hasIdeal = false, hasHashtags = false, hasEmoji = false;
        StringBuilder? voice = null;
        Span<int> numbers = stackalloc int[2];

        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            var line = raw.Trim();
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                section = SectionOf(line);
                sawPost |= section == Section.Post;
                continue;
            }

            if (section == Section.Voice)
            {
                if (line.SequenceEqual(PostPrompt.Closing))
                {
                    section = Section.None;
                }
                else if (!line.IsEmpty)
                {
                    voice ??= new StringBuilder();
                    if (voice.Length > 0)
                    {
                        voice.Append('\n');
                    }

                    voice.Append(line);
                }

                continue;
            }

            if (line.StartsWith(PostPrompt.KeepPrefix, StringComparison.Ordinal) || line.StartsWith(PostPrompt.AvoidPrefix, StringComparison.Ordinal))
            {
                var prefixLength = line.StartsWith(PostPrompt.KeepPrefix, StringComparison.Ordinal) ? PostPrompt.KeepPrefix.Length : PostPrompt.AvoidPrefix.Length;
                var criterion = CriterionOf(line[prefixLength..]);
                if (criterion >= 0)
                {
                    result._learned[criterion] = true;
                }

                continue;
            }

            if (section is not (Section.Post or Section.Rules))
            {
                continue;
            }

            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var key = line[..colon].Trim();
            var value = line[(colon + 2)..].Trim();
            if (Is(key, PostPrompt.IndexKey))
            {
                if (ReadNumbers(value, numbers) > 0)
                {
                    result.Index = numbers[0];
                }
            }
            else if (Is(key, PostPrompt.PlatformKey))
            {
                result.PlatformName = value.ToString();
            }
            else if (Is(key, PostPrompt.TopicKey))
            {
                result.Topic = value.ToString();
            }
            else if (Is(key, PostPrompt.AngleKey))
            {
                result.Angle = value.ToString();
            }
            else if (Is(key, PostPrompt.MaxLengthKey))
            {
                if (ReadNumbers(value, numbers) > 0)
                {
                    result.MaxLength = numbers[0];
                    hasMax = true;
                }
            }
            else if (Is(key, PostPrompt.IdealLengthKey))
            {
                if (ReadNumbers(value, numbers) == 2)
                {
                    result.IdealMinLength = numbers[0];
                    result.IdealMaxLength = numbers[1];
                    hasIdeal = true;
                }
            }
            else if (Is(key, PostPrompt.HashtagsKey))
            {
                var count = ReadNumbers(value, numbers);
                if (count > 0)
                {
                    result.MinHashtags = numbers[0];
                    result.MaxHashtags = count == 2 ? numbers[1] : numbers[0];
                    hasHashtags = true;
                }
            }
            else if (Is(key, PostPrompt.EmojiKey))
            {
                if (ReadNumbers(value, numbers) > 0)
                {
                    result.MaxEmoji = numbers[0];
                    hasEmoji = true;
                }
            }
        }

        if (!sawPost)
        {
            return false;
        }

        result.BrandVoice = voice?.ToString();
        result.Platform = PlatformOf(result.PlatformName);
        var rules = PlatformRules.For(result.Platform ?? ContentAgent.Planning.Platform.LinkedIn);
        if (!hasMax || result.MaxLength <= 0)
        {
            result.MaxLength = rules.MaxLength;
        }

        if (!hasIdeal)
        {
            result.IdealMinLength = rules.IdealMinLength;
            result.IdealMaxLength = rules.IdealMaxLength;
        }

        if (!hasHashtags)
        {
            result.MinHashtags = rules.MinHashtags;
            result.MaxHashtags = rules.MaxHashtags;
        }

        if (!hasEmoji)
        {
            result.MaxEmoji = rules.MaxEmoji;
        }

        result.IdealMaxLength = Math.Clamp(result.IdealMaxLength, 1, result.MaxLength);
        result.IdealMinLength = Math.Clamp(result.IdealMinLength, 1, result.IdealMaxLength);
        result.MaxHashtags = Math.Max(0, result.MaxHashtags);
        result.MinHashtags = Math.Clamp(result.MinHashtags, 0, result.MaxHashtags);
        result.MaxEmoji = Math.Max(0, result.MaxEmoji);
        if (result.Topic.Length == 0)
        {
            result.Topic = "this topic";
        }

        request = result;
        return true;
    }

    private static Section SectionOf(ReadOnlySpan<char> header) =>
        header.SequenceEqual(PostPrompt.PostSection) ? Section.Post
        : header.SequenceEqual(PostPrompt.RulesSection) ? Section.Rules
        : header.SequenceEqual(PostPrompt.VoiceSection) ? Section.Voice
        : header.SequenceEqual(PostPrompt.LearningsSection) ? Section.Learnings
        : Section.None;

    private static bool Is(ReadOnlySpan<char> key, string expected) => key.Equals(expected, StringComparison.OrdinalIgnoreCase);

    /// <summary>Maps "Call to action: …" (or "CallToAction: …") to its <see cref="QualityCriterion"/>; -1 when no criterion is named.</summary>
    private static int CriterionOf(ReadOnlySpan<char> learning)
    {
        var colon = learning.IndexOf(':');
        if (colon <= 0)
        {
            return -1;
        }

        var label = learning[..colon].Trim();
        for (var i = 0; i < s_criterionLabels.Length; i++)
        {
            if (label.Equals(s_criterionLabels[i], StringComparison.OrdinalIgnoreCase)
                || label.Equals(((QualityCriterion)i).ToString(), StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private static Platform? PlatformOf(string name)
    {
        for (var platform = ContentAgent.Planning.Platform.LinkedIn; platform <= ContentAgent.Planning.Platform.EmailNewsletter; platform++)
        {
            if (name.Equals(PlatformRules.For(platform).DisplayName, StringComparison.OrdinalIgnoreCase)
                || name.Equals(platform.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                return platform;
            }
        }

        return null;
    }

    /// <summary>Reads up to <paramref name="numbers"/>.Length runs of ASCII digits ("120-260 characters" gives 120 and 260).</summary>
    private static int ReadNumbers(ReadOnlySpan<char> value, Span<int> numbers)
    {
        var count = 0;
        var i = 0;
        while (i < value.Length && count < numbers.Length)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < value.Length && char.IsAsciiDigit(value[i]))
            {
                i++;
            }

            if (int.TryParse(value[start..i], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                numbers[count++] = number;
            }
        }

        return count;
    }
}
