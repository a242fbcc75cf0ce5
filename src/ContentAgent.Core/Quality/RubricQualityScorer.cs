using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using ContentAgent.Planning;

namespace ContentAgent.Quality;

/// <summary>
/// The default <see cref="IQualityScorer"/>: a deterministic rubric that reads the text with plain loops, so the same
/// post always gets the same score, quickly and without a model.
/// </summary>
/// <remarks>
/// <para>
/// Each criterion scores 0 to 10 (one decimal) with a short reason a writer can act on; the overall score is
/// <see cref="Rubric.Overall"/> of the six. The heuristics below are the documented scale. Words are runs of
/// non-white-space that hold a letter or digit and are neither hashtags nor links; a sentence ends at <c>.</c>,
/// <c>!</c>, <c>?</c> or <c>…</c> closing a word, or at the end of a line; a paragraph is a run of non-blank lines.
/// Phrase matches ignore case and need a word boundary on both sides.
/// </para>
/// <list type="bullet">
/// <item><description>
/// <b>Hook</b> (the first non-empty line). Signals: a figure (a digit, <c>%</c> or a currency sign), a question mark,
/// and a short bold claim (12 words or fewer with "stop", "never", "most", "mistake", "truth", "why", "how", "wrong"
/// and the like). Two or more signals score 10, one scores 8; a line over 12 words loses 1 and one over 25 words
/// loses 2 more. With no signal a short line scores 4 and a longer one 3. A generic opener ("Some thoughts on",
/// "In today's", "Let's talk about", "Here is a post", …) scores 1.
/// </description></item>
/// <item><description>
/// <b>Clarity</b>. Starts at 10; each filler phrase ("in today's fast-paced world", "very", "really", "basically",
/// "at the end of the day", "leverage synergies", "it goes without saying", …) costs 1.5, at most 6; an average
/// sentence over 20 words costs 1, over 25 costs 3, over 35 costs 5.
/// </description></item>
/// <item><description>
/// <b>Specificity</b>. Starts at 2; figures add 1.5 each up to 4 (three or more); a concrete example ("for example",
/// "e.g.", "for instance", "such as", "case study") adds 2; a first-hand story ("I" or "we" with a past marker such
/// as "last year", "ago", "we learned") adds 2; two or more numbered steps ("1." or "Step" lines) add 2. At most 10.
/// </description></item>
/// <item><description>
/// <b>Call to action</b> (the last two non-empty lines, not counting lines made only of hashtags). A question mark
/// and an imperative ask ("comment", "share", "reply", "tell me", "what's your", "follow", "subscribe", "try",
/// "book", "join", "DM", …) score 10; a question alone 9; an ask alone 8; a question only earlier in the post 4;
/// nothing 2.
/// </description></item>
/// <item><description>
/// <b>Platform fit</b>, against <see cref="PlatformRules.For"/>. Over <see cref="PlatformRules.MaxLength"/> scores 0.
/// Otherwise: length up to 4 (full inside the ideal range, partial by relative distance outside it); hashtags up to 3
/// (full inside the range, minus 1 per hashtag outside it); emoji up to 2 (full up to the limit, minus 0.75 per extra
/// emoji); links up to 1 (0 for any link in the body on LinkedIn or Instagram, 0 for more than one link elsewhere).
/// Emoji are runes in U+1F000–U+1FAFF, U+2600–U+27BF, U+2B50 and U+2B55; a ZWJ sequence or a flag counts once. Length is
/// the trimmed text's <see cref="string.Length"/>.
/// </description></item>
/// <item><description>
/// <b>Readability</b>. Average sentence length up to 4 (15 words or fewer 4, 20 → 3, 25 → 2, 35 → 1, longer 0); the
/// longest paragraph up to 3 (60 words or fewer full, minus 1 per 20 words beyond); white space up to 3 (full when the
/// post has more than one line or is 40 words or fewer; 0 for a single longer block).
/// </description></item>
/// </list>
/// <para>An empty or white-space post scores 0 on every criterion with the reason "Empty post.".</para>
/// </remarks>
internal sealed class RubricQualityScorer : IQualityScorer
{
    /// <summary>The name the scorer reports in <see cref="QualityScore.Scorer"/>.</summary>
    public const string ScorerName = "rubric";

    private const int ShortHookWords = 12;
    private const int LongHookWords = 25;

    private static readonly SearchValues<char> FigureChars = SearchValues.Create("0123456789%$€£¥");
    private static readonly SearchValues<char> LineBreaks = SearchValues.Create("\r\n");

    private static readonly string[] GenericOpeners =
    [
        "Some thoughts on", "In today's", "In today’s", "Let's talk about", "Let’s talk about", "Here is a post",
        "Here's a post", "Here’s a post", "I wanted to share", "Just wanted to share", "Today I want to talk",
        "I've been thinking about", "I’ve been thinking about", "In this post",
    ];

    // Single words are looked up once per token during the text pass; phrases of several words are searched for.
    private static readonly FrozenDictionary<string, WordKinds> KnownWords = BuildWords();
    private static readonly FrozenDictionary<string, WordKinds>.AlternateLookup<ReadOnlySpan<char>> WordLookup =
        KnownWords.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly PhraseSet FillerPhrases = new(
        "in today's fast-paced world", "in today’s fast-paced world", "in today's world", "in today’s world",
        "at the end of the day", "leverage synergies", "it goes without saying", "needless to say", "game changer",
        "unlock the power");

    private static readonly PhraseSet ExampleMarkers = new(
        "for example", "for instance", "e.g.", "such as", "case study");

    private static readonly PhraseSet PastMarkers = new(
        "last week", "last month", "last year", "last quarter", "yesterday", "ago", "we learned", "I learned",
        "we found", "I found", "we tried", "I tried", "we shipped", "we built", "I built", "we cut", "we saw",
        "I saw", "we spent", "I spent", "we lost", "we moved", "we switched", "we ran");

    private static readonly PhraseSet AskPhrases = new(
        "tell me", "what's your", "what’s your", "let me know", "sign up", "save this");

    [Flags]
    private enum WordKinds
    {
        None = 0,
        Claim = 1,
        Filler = 2,
        FirstPerson = 4,
        Ask = 8,
    }

    /// <inheritdoc />
    public ValueTask<QualityScore> ScoreAsync(PostSpec spec, string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<QualityScore>(Score(spec, text));
    }

    /// <summary>Scores a post synchronously; the rubric does no I/O.</summary>
    /// <param name="spec">What the post was meant to be.</param>
    /// <param name="text">The post as written.</param>
    /// <returns>The score with its breakdown.</returns>
    public static QualityScore Score(PostSpec spec, string? text)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var post = text.AsSpan().Trim();
        if (post.IsEmpty)
        {
            return Rubric.Empty(ScorerName);
        }

        var rules = PlatformRules.For(spec.Platform);
        var stats = TextStats.Analyze(post);
        CriterionScore[] breakdown =
        [
            ScoreHook(post.Slice(stats.HookStart, stats.HookLength), stats.HookWords, stats.HookKinds),
            ScoreClarity(post, stats),
            ScoreSpecificity(post, stats),
            ScoreCallToAction(post, stats),
            ScorePlatformFit(post, stats, rules),
            ScoreReadability(stats),
        ];

        return new QualityScore(Rubric.Overall(breakdown), breakdown, ScorerName);
    }

    private static CriterionScore ScoreHook(ReadOnlySpan<char> hook, int words, WordKinds hookKinds)
    {
        if (StartsWithAny(hook, GenericOpeners))
        {
            return new(QualityCriterion.Hook, 1, "Generic opening line: lead with a number, a question or a bold claim.");
        }

        var figure = hook.IndexOfAny(FigureChars) >= 0;
        var question = hook.Contains('?');
        var isShort = words <= ShortHookWords;
        var claim = (hookKinds & WordKinds.Claim) != 0;
        var punchy = claim && isShort;
        var signals = (figure ? 1 : 0) + (question ? 1 : 0) + (punchy ? 1 : 0);

        double score = signals switch
        {
            0 => isShort ? 4 : 3,
            1 => 8,
            _ => 10,
        };

        if (signals > 0 && !isShort)
        {
            score -= 1;
        }

        if (words > LongHookWords)
        {
            score -= 2;
        }

        string reason;
        if (words > LongHookWords)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"Opening line runs {words} words: cut it to {ShortHookWords} or fewer and lead with the point.");
        }
        else if (figure && question)
        {
            reason = "Opens with a concrete number and a question.";
        }
        else if (figure)
        {
            reason = "Opens with a concrete number.";
        }
        else if (question)
        {
            reason = "Opens with a question the reader wants answered.";
        }
        else if (punchy)
        {
            reason = "Opens with a short, bold claim.";
        }
        else if (claim)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"Bold opening but long: cut the first line to {ShortHookWords} words or fewer.");
        }
        else
        {
            reason = "Plain opening line: lead with a number, a question or a bold claim.";
        }

        return new(QualityCriterion.Hook, Rubric.Clamp(score), reason);
    }

    private static CriterionScore ScoreClarity(ReadOnlySpan<char> post, in TextStats stats)
    {
        var fillers = FillerPhrases.Count(post, out var firstAt, out var first) + stats.FillerWords;
        if (stats.FillerWords > 0 && (first is null || stats.FirstFillerWordStart < firstAt))
        {
            first = post.Slice(stats.FirstFillerWordStart, stats.FirstFillerWordLength).ToString().ToLowerInvariant();
        }

        var average = stats.AverageSentenceWords;
        var fillerPenalty = Math.Min(6, 1.5 * fillers);
        var sentencePenalty = average > 35 ? 5 : average > 25 ? 3 : average > 20 ? 1 : 0;
        var score = 10 - fillerPenalty - sentencePenalty;

        string reason;
        if (fillers > 0 && fillerPenalty >= sentencePenalty)
        {
            reason = fillers == 1
                ? string.Create(CultureInfo.InvariantCulture, $"Cut the filler \"{first}\" and say it plainly.")
                : string.Create(CultureInfo.InvariantCulture, $"Cut filler such as \"{first}\" ({fillers} found) and say it plainly.");
        }
        else if (sentencePenalty > 0)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"Sentences average {average:0} words: split them to under 20.");
        }
        else
        {
            reason = "Plain words, no filler, sentences of a readable length.";
        }

        return new(QualityCriterion.Clarity, Rubric.Clamp(score), reason);
    }

    private static CriterionScore ScoreSpecificity(ReadOnlySpan<char> post, in TextStats stats)
    {
        var figures = stats.Figures;
        var example = ExampleMarkers.IsIn(post);
        var story = (stats.PostKinds & WordKinds.FirstPerson) != 0 && PastMarkers.IsIn(post);
        var steps = stats.Steps >= 2;

        var score = 2 + Math.Min(4, 1.5 * figures) + (example ? 2 : 0) + (story ? 2 : 0) + (steps ? 2 : 0);
        var qualitative = example || story || steps;

        string reason;
        if (figures == 0 && !qualitative)
        {
            reason = "No figures, examples or steps: add a number, a named example or a short story.";
        }
        else if (figures == 0)
        {
            reason = "No figures: add a number, a percentage or a result.";
        }
        else if (!qualitative)
        {
            reason = "Figures but no example: add a named example or a short first-hand story.";
        }
        else if (score >= 8)
        {
            reason = example ? "Backs the point with figures and a concrete example."
                : story ? "Backs the point with figures and a first-hand story."
                : "Backs the point with figures and numbered steps.";
        }
        else
        {
            reason = "Has an example but few figures: add a number or a result to back it.";
        }

        return new(QualityCriterion.Specificity, Rubric.Clamp(score), reason);
    }

    private static CriterionScore ScoreCallToAction(ReadOnlySpan<char> post, in TextStats stats)
    {
        var question = false;
        var ask = false;
        if (stats.LastStart >= 0)
        {
            var last = post.Slice(stats.LastStart, stats.LastLength);
            question = last.Contains('?');
            ask = (stats.LastKinds & WordKinds.Ask) != 0 || AskPhrases.IsIn(last);
        }

        if (stats.PreviousStart >= 0)
        {
            var previous = post.Slice(stats.PreviousStart, stats.PreviousLength);
            question |= previous.Contains('?');
            ask |= (stats.PreviousKinds & WordKinds.Ask) != 0 || AskPhrases.IsIn(previous);
        }

        var (score, reason) = (question, ask) switch
        {
            (true, true) => (10, "Ends with a question and a clear ask."),
            (true, false) => (9, "Ends with a question that invites replies."),
            (false, true) => (8, "Ends with a clear ask; a direct question would invite more replies."),
            _ when stats.QuestionMarks > 0 => (4, "The only question is mid-post: end with a question or a clear ask."),
            _ => (2, "No ask at the end: close with a question that invites replies."),
        };

        return new(QualityCriterion.CallToAction, score, reason);
    }

    private static CriterionScore ScorePlatformFit(ReadOnlySpan<char> post, in TextStats stats, PlatformRules rules)
    {
        var length = post.Length;
        var name = rules.DisplayName;
        if (length > rules.MaxLength)
        {
            return new(
                QualityCriterion.PlatformFit,
                0,
                string.Create(CultureInfo.InvariantCulture, $"Over the {rules.MaxLength}-character limit of {name} at {length}: cut {length - rules.MaxLength} characters."));
        }

        double lengthPoints = 4;
        string? lengthIssue = null;
        if (length < rules.IdealMinLength)
        {
            lengthPoints = 4.0 * length / rules.IdealMinLength;
            lengthIssue = string.Create(CultureInfo.InvariantCulture, $"Short for {name} at {length} characters: aim for {rules.IdealMinLength}–{rules.IdealMaxLength}.");
        }
        else if (length > rules.IdealMaxLength)
        {
            var room = Math.Max(1, Math.Min(rules.MaxLength - rules.IdealMaxLength, rules.IdealMaxLength));
            lengthPoints = 4.0 * Math.Max(0, 1 - ((double)(length - rules.IdealMaxLength) / room));
            lengthIssue = string.Create(CultureInfo.InvariantCulture, $"Long for {name} at {length} characters: aim for {rules.IdealMinLength}–{rules.IdealMaxLength}.");
        }

        var hashtags = stats.Hashtags;
        var hashtagDistance = hashtags < rules.MinHashtags ? rules.MinHashtags - hashtags
            : hashtags > rules.MaxHashtags ? hashtags - rules.MaxHashtags
            : 0;
        double hashtagPoints = Math.Max(0, 3 - hashtagDistance);
        var hashtagIssue = hashtagDistance == 0 ? null
            : rules.MinHashtags == rules.MaxHashtags
                ? string.Create(CultureInfo.InvariantCulture, $"Use {rules.MinHashtags} hashtags on {name} (found {hashtags}).")
                : string.Create(CultureInfo.InvariantCulture, $"Use {rules.MinHashtags}–{rules.MaxHashtags} hashtags on {name} (found {hashtags}).");

        var extraEmoji = stats.Emoji - rules.MaxEmoji;
        var emojiPoints = extraEmoji <= 0 ? 2 : Math.Max(0, 2 - (0.75 * extraEmoji));
        var emojiIssue = extraEmoji <= 0 ? null
            : string.Create(CultureInfo.InvariantCulture, $"Use at most {rules.MaxEmoji} emoji on {name} (found {stats.Emoji}).");

        double linkPoints = 1;
        string? linkIssue = null;
        if (stats.Links > 0 && rules.Platform == Platform.LinkedIn)
        {
            linkPoints = 0;
            linkIssue = "Move the link out of the body: say it is in the first comment.";
        }
        else if (stats.Links > 0 && rules.Platform == Platform.Instagram)
        {
            linkPoints = 0;
            linkIssue = "Links are not clickable in captions: point to the link in bio.";
        }
        else if (stats.Links > 1 && rules.Platform != Platform.EmailNewsletter)
        {
            linkPoints = 0;
            linkIssue = string.Create(CultureInfo.InvariantCulture, $"Keep one link at the end on {name} (found {stats.Links}).");
        }

        var score = lengthPoints + hashtagPoints + emojiPoints + linkPoints;

        // Report the two issues that cost the most points, biggest first.
        Span<(double Lost, int Index)> losses =
        [
            (lengthIssue is null ? 0 : 4 - lengthPoints, 0),
            (hashtagIssue is null ? 0 : 3 - hashtagPoints, 1),
            (emojiIssue is null ? 0 : 2 - emojiPoints, 2),
            (linkIssue is null ? 0 : 1 - linkPoints, 3),
        ];
        losses.Sort(static (a, b) => b.Lost != a.Lost ? b.Lost.CompareTo(a.Lost) : a.Index.CompareTo(b.Index));

        string Issue(int index) => index switch
        {
            0 => lengthIssue!,
            1 => hashtagIssue!,
            2 => emojiIssue!,
            _ => linkIssue!,
        };

        string reason;
        if (losses[0].Lost <= 0)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"Fits {name}: length, hashtags, emoji and links within the rules.");
        }
        else if (losses[1].Lost <= 0)
        {
            reason = Issue(losses[0].Index);
        }
        else
        {
            reason = string.Concat(Issue(losses[0].Index), " ", Issue(losses[1].Index));
        }

        return new(QualityCriterion.PlatformFit, Rubric.Clamp(score), reason);
    }

    private static CriterionScore ScoreReadability(in TextStats stats)
    {
        var average = stats.AverageSentenceWords;
        double sentencePoints = average <= 15 ? 4 : average <= 20 ? 3 : average <= 25 ? 2 : average <= 35 ? 1 : 0;
        var paragraphPoints = stats.MaxParagraphWords <= 60 ? 3 : Math.Max(0, 3 - ((stats.MaxParagraphWords - 60) / 20.0));
        double spacePoints = stats.NonEmptyLines > 1 || stats.Words <= 40 ? 3 : 0;
        var score = sentencePoints + paragraphPoints + spacePoints;

        var sentenceLoss = 4 - sentencePoints;
        var paragraphLoss = 3 - paragraphPoints;
        var spaceLoss = 3 - spacePoints;

        string reason;
        if (spaceLoss > 0 && spaceLoss >= paragraphLoss && spaceLoss >= sentenceLoss)
        {
            reason = "A single block of text: put each idea on its own line.";
        }
        else if (paragraphLoss > 0 && paragraphLoss >= sentenceLoss)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"A paragraph runs {stats.MaxParagraphWords} words: split it into blocks of 1–3 short sentences.");
        }
        else if (sentenceLoss > 1)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"Sentences average {average:0} words: aim for 15 or fewer.");
        }
        else if (sentenceLoss > 0)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"Easy to scan; sentences average {average:0} words, aim for 15 or fewer.");
        }
        else
        {
            reason = "Short sentences and short paragraphs with white space.";
        }

        return new(QualityCriterion.Readability, Rubric.Clamp(score), reason);
    }

    private static FrozenDictionary<string, WordKinds> BuildWords()
    {
        var words = new Dictionary<string, WordKinds>(StringComparer.OrdinalIgnoreCase);
        void Add(WordKinds kind, params string[] list)
        {
            foreach (var word in list)
            {
                words[word] = words.GetValueOrDefault(word) | kind;
            }
        }

        Add(WordKinds.Claim, "stop", "never", "most", "mistake", "mistakes", "truth", "why", "how", "wrong", "nobody", "secret", "myth", "biggest", "worst", "best", "don't", "don’t");
        Add(WordKinds.Filler, "very", "really", "basically", "actually", "literally", "game-changer", "cutting-edge");
        Add(WordKinds.FirstPerson, "I", "we", "I'm", "I’m", "I've", "I’ve", "we're", "we’re", "we've", "we’ve", "my", "our", "us");
        Add(WordKinds.Ask, "comment", "share", "reply", "follow", "subscribe", "try", "book", "join", "DM", "register", "download", "repost", "drop");
        return words.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    private static bool StartsWithAny(ReadOnlySpan<char> text, string[] prefixes)
    {
        foreach (var prefix in prefixes)
        {
            if (text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What one pass over the text counts; offsets are into the trimmed post.</summary>
    private struct TextStats
    {
        public int Words;
        public int Sentences;
        public int NonEmptyLines;
        public int MaxParagraphWords;
        public int Hashtags;
        public int Links;
        public int Figures;
        public int Steps;
        public int Emoji;
        public int QuestionMarks;
        public int HookStart;
        public int HookLength;
        public int HookWords;
        public int LastStart;
        public int LastLength;
        public int PreviousStart;
        public int PreviousLength;
        public int FillerWords;
        public int FirstFillerWordStart;
        public int FirstFillerWordLength;
        public WordKinds HookKinds;
        public WordKinds LastKinds;
        public WordKinds PreviousKinds;
        public WordKinds PostKinds;

        private int _sentenceWords;
        private int _paragraphWords;

        public readonly double AverageSentenceWords => Sentences == 0 ? 0 : (double)Words / Sentences;

        public static TextStats Analyze(ReadOnlySpan<char> post)
        {
            var stats = new TextStats { HookStart = -1, LastStart = -1, PreviousStart = -1 };
            var position = 0;
            while (true)
            {
                var rest = post[position..];
                var end = rest.IndexOfAny(LineBreaks);
                var lineLength = end < 0 ? rest.Length : end;
                stats.AddLine(post, position, lineLength);
                if (end < 0)
                {
                    break;
                }

                position += end + (rest[end] == '\r' && end + 1 < rest.Length && rest[end + 1] == '\n' ? 2 : 1);
            }

            stats.CloseParagraph();
            stats.QuestionMarks = post.Count('?');
            stats.Emoji = CountEmoji(post);
            return stats;
        }

        private void AddLine(ReadOnlySpan<char> post, int start, int length)
        {
            var raw = post.Slice(start, length);
            var line = raw.TrimStart();
            var lineStart = start + (raw.Length - line.Length);
            line = line.TrimEnd();
            if (line.IsEmpty)
            {
                CloseParagraph();
                return;
            }

            NonEmptyLines++;
            var numbered = NumberedMarkerLength(line);
            if (numbered > 0 || line.StartsWith("Step ", StringComparison.OrdinalIgnoreCase))
            {
                Steps++;
            }

            int lineWords = 0, lineHashtags = 0, lineLinks = 0;
            var lineKinds = WordKinds.None;
            var i = 0;
            while (i < line.Length)
            {
                while (i < line.Length && char.IsWhiteSpace(line[i]))
                {
                    i++;
                }

                var tokenStart = i;
                while (i < line.Length && !char.IsWhiteSpace(line[i]))
                {
                    i++;
                }

                if (i == tokenStart)
                {
                    break;
                }

                var token = line[tokenStart..i];
                var isMarker = tokenStart == 0 && numbered == token.Length;
                if (token.Length > 1 && token[0] == '#' && char.IsLetterOrDigit(token[1]))
                {
                    Hashtags++;
                    lineHashtags++;
                    continue;
                }

                if (token.Contains("://", StringComparison.Ordinal) || token.StartsWith("www.", StringComparison.OrdinalIgnoreCase))
                {
                    Links++;
                    lineLinks++;
                    continue;
                }

                var hasWordChar = false;
                var hasFigure = token.IndexOfAny(FigureChars) >= 0;
                foreach (var c in token)
                {
                    if (char.IsLetterOrDigit(c))
                    {
                        hasWordChar = true;
                        break;
                    }
                }

                if (hasFigure && !isMarker)
                {
                    Figures++;
                }

                if (!hasWordChar || isMarker)
                {
                    continue;
                }

                var kinds = Classify(token, out var coreOffset, out var coreLength);
                if (kinds != WordKinds.None)
                {
                    lineKinds |= kinds;
                    if ((kinds & WordKinds.Filler) != 0 && FillerWords++ == 0)
                    {
                        FirstFillerWordStart = lineStart + tokenStart + coreOffset;
                        FirstFillerWordLength = coreLength;
                    }
                }

                Words++;
                lineWords++;
                _sentenceWords++;
                _paragraphWords++;
                if (EndsSentence(token))
                {
                    CloseSentence();
                }
            }

            CloseSentence();
            PostKinds |= lineKinds;

            if (HookStart < 0)
            {
                HookStart = lineStart;
                HookLength = line.Length;
                HookWords = lineWords;
                HookKinds = lineKinds;
            }

            if (lineWords > 0 || lineLinks > 0 || lineHashtags == 0)
            {
                PreviousStart = LastStart;
                PreviousLength = LastLength;
                PreviousKinds = LastKinds;
                LastStart = lineStart;
                LastLength = line.Length;
                LastKinds = lineKinds;
            }
        }

        private void CloseSentence()
        {
            if (_sentenceWords > 0)
            {
                Sentences++;
                _sentenceWords = 0;
            }
        }

        private void CloseParagraph()
        {
            if (_paragraphWords > MaxParagraphWords)
            {
                MaxParagraphWords = _paragraphWords;
            }

            _paragraphWords = 0;
        }

        /// <summary>Looks up a word token without the punctuation around it.</summary>
        private static WordKinds Classify(ReadOnlySpan<char> token, out int coreOffset, out int coreLength)
        {
            var start = 0;
            var end = token.Length;
            while (start < end && !char.IsLetterOrDigit(token[start]))
            {
                start++;
            }

            while (end > start && !char.IsLetterOrDigit(token[end - 1]))
            {
                end--;
            }

            coreOffset = start;
            coreLength = end - start;
            return WordLookup.TryGetValue(token[start..end], out var kinds) ? kinds : WordKinds.None;
        }

        /// <summary>The length of a leading "12." or "3)" list marker, or 0.</summary>
        private static int NumberedMarkerLength(ReadOnlySpan<char> line)
        {
            var i = 0;
            while (i < line.Length && char.IsAsciiDigit(line[i]))
            {
                i++;
            }

            if (i == 0 || i > 3 || i >= line.Length || line[i] is not ('.' or ')'))
            {
                return 0;
            }

            return i + 1 == line.Length || char.IsWhiteSpace(line[i + 1]) ? i + 1 : 0;
        }

        private static bool EndsSentence(ReadOnlySpan<char> token)
        {
            token = token.TrimEnd(")]\"'”’»*");
            if (token.IsEmpty || token[^1] is not ('.' or '!' or '?' or '…'))
            {
                return false;
            }

            return !token.Equals("e.g.", StringComparison.OrdinalIgnoreCase)
                && !token.Equals("i.e.", StringComparison.OrdinalIgnoreCase)
                && !token.Equals("vs.", StringComparison.OrdinalIgnoreCase);
        }

        private static int CountEmoji(ReadOnlySpan<char> post)
        {
            if (Ascii.IsValid(post))
            {
                return 0;
            }

            var count = 0;
            var afterJoiner = false;
            var pendingFlag = false;
            foreach (var rune in post.EnumerateRunes())
            {
                var value = rune.Value;
                if (value == 0x200D)
                {
                    afterJoiner = true;
                    continue;
                }

                var isFlagHalf = value is >= 0x1F1E6 and <= 0x1F1FF;
                var isEmoji = value is (>= 0x1F000 and <= 0x1FAFF) or (>= 0x2600 and <= 0x27BF) or 0x2B50 or 0x2B55;
                if (isEmoji && !afterJoiner && !(isFlagHalf && pendingFlag))
                {
                    count++;
                }

                pendingFlag = isFlagHalf && !pendingFlag;
                if (value != 0xFE0F)
                {
                    afterJoiner = false;
                }
            }

            return count;
        }
    }
}
