using System.Globalization;
using System.Text;
using ContentAgent.Quality;

namespace ContentAgent.Generation;

/// <summary>
/// Writes a post for an <see cref="OfflinePostRequest"/> from templates. Every choice (hook style, structure, examples,
/// figures, closing, emoji, hashtags) is derived from a stable hash of index, platform, topic and angle; the strength
/// of each <see cref="QualityCriterion"/> is chosen by the same hash unless a learning names it (see
/// <see cref="OfflineChatClient"/> for the mapping).
/// </summary>
internal static class OfflinePostWriter
{
    /// <summary>Out of 100, how often an aspect no learning names is written weakly.</summary>
    internal const int WeakPercent = 45;

    // Composite-format placeholders shared by all templates:
    // {0} topic, {1} Topic, {2} angle, {3} percentage, {4} small count, {5} weeks, {6} people, {7} hours before,
    // {8} hours after, {9} minutes, {10} second percentage, {11} very small count, {12} years, {13} quarters, {14} pages,
    // {15} second hours before, {16} second hours after.
    private static readonly string[] s_strongHooks =
    [
        "{3}% of teams call {0} a priority. Far fewer can name one thing it changed.",
        "What would change if you treated {0} as a habit instead of a project?",
        "I spent {5} weeks testing {0} ideas. Only {11} survived.",
        "{4} lessons about {0} I wish I had learned {12} years earlier.",
        "Unpopular opinion: most {0} advice fails by week {11}.",
        "Is {0} saving you time, or just moving the work around?",
        "We cut {7} hours of busywork a week with one change to how we handle {0}.",
        "{6} people answered our {0} survey. The top answer surprised us.",
        "Quick question: when did {0} last change how you work?",
        "{1} in {4} steps, no jargon. Here is what worked for us.",
    ];

    private static readonly string[] s_weakHooks =
    [
        "Some thoughts on {0}.",
        "Let's talk about {0}.",
        "A few words about {0} today.",
        "{1} is an interesting topic.",
        "Here is a post about {0}.",
    ];

    private static readonly string[] s_angleIntros =
    [
        "This one is about {2}.",
        "The angle today: {2}.",
        "Let me look at {0} from one side: {2}.",
        "Today's focus: {2}.",
        "The lens for this post: {2}.",
    ];

    private static readonly string[] s_specific =
    [
        "Start small. Pick one workflow, measure it for {5} weeks, and write down the baseline before you change anything.",
        "One team we worked with moved their {0} review to a {9}-minute Friday slot. Rework dropped by {10}% within a month.",
        "The numbers were plain: {3}% of the gains came from {11} habits, not from new tools.",
        "Example: a {6}-person support team wrote a shared checklist for {0}. First replies went from {7} hours to {8}.",
        "Write the rule down. A one-page guide with {4} do's and don'ts beats a {14}-page policy nobody opens.",
        "Track one number for {0}: hours saved per week, errors caught, or time to first draft. Ours went from {15} hours to {16}.",
        "After {5} weeks, ask the team two questions: what would you keep, and what would you drop? {11} honest answers beat any dashboard.",
        "Give it a date. Projects with a fixed review date finished {10}% more often over our last {13} quarters.",
        "Name one owner. When a single person owned {0} for a quarter, decisions took {11} days instead of {5} weeks.",
        "Before and after: {15} hours of manual work became {16} once the steps were written down and shared.",
        "Block {9} minutes on Monday for {0} and protect it like a meeting. In {12} years of doing this, it is the habit that stuck.",
        "Pilot it first: {11} volunteers for {5} weeks, then roll it out to all {6} people.",
    ];

    private static readonly string[] s_shortSpecific =
    [
        "{3}% of the gains came from {11} habits, not new tools.",
        "We went from {7} hours a week to {8}.",
        "{6} people, {11} habits, {5} weeks. That is the whole playbook.",
        "One {9}-minute review each Friday cut rework by {10}%.",
        "Our pilot: {11} volunteers, {5} weeks, {10}% less rework.",
        "A {4}-point checklist beat a {14}-page policy.",
    ];

    private static readonly string[] s_shortNeutral =
    [
        "Write down what done looks like first.",
        "Start smaller than you think.",
        "Make the default easy.",
        "Review what happened, not what was planned.",
        "Name one owner.",
    ];

    private static readonly string[] s_vague =
    [
        "It can make a difference if you approach it the right way.",
        "Many people find that it helps in lots of situations.",
        "There are plenty of benefits and a few challenges to keep in mind.",
        "Things tend to work better when everyone is on the same page.",
        "It is worth thinking about how this applies to your own situation.",
        "Results vary, but it is usually a good idea to experiment a little.",
        "Some approaches work well, others less so, depending on the context.",
        "It is not always easy, but it can be worth it in the long run.",
        "The details matter, and so does the bigger picture.",
        "Everyone's journey with {0} looks a little different.",
    ];

    private static readonly string[] s_neutral =
    [
        "Write down what done looks like before you start. It saves a lot of back and forth later.",
        "Keep the first version small enough to finish in a week, then improve it with real feedback.",
        "Make the default easy: templates, checklists and shared notes beat good intentions.",
        "Say no to one thing for every new thing you take on. Capacity is not infinite.",
        "Review what happened, not what was planned. The gap is where the lessons are.",
        "Talk to the people doing the work. They usually know where the time goes.",
        "Document the decision and the reason for it, so the next person does not have to guess.",
        "Celebrate the boring wins. Consistency compounds.",
    ];

    private static readonly string[] s_strongClosings =
    [
        "What is one {0} habit you would keep? Tell me in the comments.",
        "Which of these would you try first?",
        "Save this for your next planning session and share it with one colleague who needs it.",
        "How does your team handle {0}? Reply and let me know.",
        "Agree or disagree? I read every comment.",
        "Try one of these this week, then tell me what happened.",
        "What would you add to this list?",
        "Follow for more on {0}, and drop your best tip in the comments.",
    ];

    private static readonly string[] s_newsletterClosings =
    [
        "P.S. Hit reply and tell me: what is your biggest {0} question right now?",
        "P.S. Which idea from this issue will you try first? Just reply to this email.",
        "P.S. Forward this to one colleague who would find it useful, and reply with your own tip.",
    ];

    private static readonly string[] s_weakClosings =
    [
        "That's all for now.",
        "Just something to think about.",
        "Anyway, that is my take on {0}.",
        "More on this another time.",
        "Food for thought.",
    ];

    private static readonly string[] s_greetings = ["Hi there,", "Hello friends,", "Hi everyone,", "Welcome back,"];

    private static readonly string[] s_headings = ["The idea", "What we saw", "How to start", "What to watch for", "In practice", "The numbers"];

    private static readonly string[] s_signOffs = ["Until next time,\nThe team", "See you next week,\nThe team", "Talk soon,\nThe team"];

    private static readonly string[] s_emoji = ["\U0001F680", "\U0001F4A1", "\u2705", "\U0001F4C8", "\U0001F525", "\U0001F447", "\U0001F3AF", "\u2728"];

    private static readonly string[] s_genericTags =
    [
        "Tips", "Growth", "Learning", "Strategy", "Leadership", "Innovation", "Teamwork", "Ideas",
        "Insights", "Community", "Business", "HowTo", "Lessons", "Careers", "FutureOfWork", "Mindset",
    ];

    private static readonly string[] s_stopWords =
    [
        "a", "an", "and", "the", "of", "to", "for", "in", "on", "at", "by", "with", "from", "about", "into", "your", "you",
        "our", "we", "is", "are", "it", "its", "how", "why", "what", "when", "that", "this", "vs", "or", "not", "but",
        "versus", "make", "makes", "says", "more", "most", "than", "then", "step", "will", "just", "some", "very", "really",
    ];

    private enum Structure
    {
        Paragraphs,
        Arrows,
        Numbered,
    }

    /// <summary>Writes the post.</summary>
    public static string Write(OfflinePostRequest request)
    {
        var seed = StableHash.Fnv1a(request.Index.ToString(CultureInfo.InvariantCulture));
        seed = StableHash.Fnv1a(request.PlatformName, StableHash.Separator(seed));
        seed = StableHash.Fnv1a(request.Topic, StableHash.Separator(seed));
        seed = StableHash.Fnv1a(request.Angle, StableHash.Separator(seed));
        var plan = new Plan(request, seed);
        return plan.Render();
    }

    /// <summary>Whether an aspect is done well: always when a learning names it, otherwise by hash.</summary>
    internal static bool IsStrong(OfflinePostRequest request, ulong seed, QualityCriterion criterion) =>
        request.HasLearning(criterion) || StableHash.Pick(seed, 100 + (ulong)criterion, 100) >= WeakPercent;

    private static string Fill(string template, object[] args) => string.Format(CultureInfo.InvariantCulture, template, args);

    private static string Pick(string[] options, ulong seed, ulong salt) => options[StableHash.Pick(seed, salt, options.Length)];

    private static string UpperFirst(string text) =>
        text.Length == 0 || char.IsUpper(text[0]) ? text : string.Concat(char.ToUpperInvariant(text[0]).ToString(), text.AsSpan(1));

    private static string LowerFirst(string text) =>
        text.Length < 2 || !char.IsUpper(text[0]) || char.IsUpper(text[1]) ? text : string.Concat(char.ToLowerInvariant(text[0]).ToString(), text.AsSpan(1));

    private static bool IsStopWord(string word)
    {
        foreach (var stop in s_stopWords)
        {
            if (word.Equals(stop, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static List<string> Words(string text)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var isWordChar = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (isWordChar && start < 0)
            {
                start = i;
            }
            else if (!isWordChar && start >= 0)
            {
                words.Add(text[start..i]);
                start = -1;
            }
        }

        return words;
    }

    private static void AddTag(List<string> tags, string tag)
    {
        if (tag.Length < 2)
        {
            return;
        }

        foreach (var existing in tags)
        {
            if (existing.Equals(tag, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }
        }

        tags.Add(tag);
    }

    /// <summary>Cuts text at a word boundary so that it is at most <paramref name="max"/> characters long.</summary>
    internal static string Truncate(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        if (max <= 1)
        {
            return text[..Math.Max(0, max)];
        }

        var cut = text.LastIndexOf(' ', max - 1);
        if (cut < max / 2)
        {
            cut = max - 1;
        }

        return string.Concat(text.AsSpan(0, cut).TrimEnd(), "\u2026");
    }

    /// <summary>The choices for one post, and the rendering that fits them to the platform's limits.</summary>
    private sealed class Plan
    {
        private readonly OfflinePostRequest _request;
        private readonly bool _newsletter;
        private readonly bool _strongClarity;
        private readonly bool _strongReadability;
        private readonly Structure _structure;
        private readonly string _hook;
        private readonly string _greeting;
        private readonly string _intro;
        private readonly List<string> _candidates;
        private readonly string _closing;
        private readonly string _signOff;
        private readonly string? _closingEmoji;
        private readonly List<string> _tags;
        private readonly int _target;
        private readonly int _softMax;
        private readonly ulong _seed;
        private int _tagCount;

        public Plan(OfflinePostRequest request, ulong seed)
        {
            _request = request;
            _seed = seed;
            _newsletter = request.IsNewsletter;
            var strongHook = IsStrong(request, seed, QualityCriterion.Hook);
            _strongClarity = IsStrong(request, seed, QualityCriterion.Clarity);
            var strongSpecificity = IsStrong(request, seed, QualityCriterion.Specificity);
            var strongCallToAction = IsStrong(request, seed, QualityCriterion.CallToAction);
            var strongFit = IsStrong(request, seed, QualityCriterion.PlatformFit);
            _strongReadability = IsStrong(request, seed, QualityCriterion.Readability);

            var topic = request.Topic.Trim();
            var angle = LowerFirst(request.Angle.Trim().TrimEnd('.'));
            if (angle.Length == 0)
            {
                angle = "what works in practice";
            }

            var args = new object[]
            {
                topic,
                UpperFirst(topic),
                angle,
                Number(1, 12, 60),
                Number(2, 3, 7),
                Number(3, 2, 10),
                Number(4, 20, 480),
                Number(5, 6, 12),
                Number(6, 2, 4),
                Number(7, 15, 31),
                Number(8, 18, 40),
                Number(9, 2, 3),
                Number(10, 3, 10),
                Number(11, 2, 5),
                Number(12, 12, 29),
                Number(13, 20, 21),
                Number(14, 5, 10),
            };

            // Emoji: never more than the rules allow; none when the brand voice says so.
            var voice = request.BrandVoice;
            var noEmoji = voice is not null && (voice.Contains("no emoji", StringComparison.OrdinalIgnoreCase)
                || voice.Contains("without emoji", StringComparison.OrdinalIgnoreCase));
            var emojiCount = noEmoji ? 0 : Math.Min(request.MaxEmoji, StableHash.Pick(seed, 20, 3));
            var emojiStart = StableHash.Pick(seed, 21, s_emoji.Length);
            var hookEmoji = emojiCount >= 1 ? s_emoji[emojiStart] : null;
            _closingEmoji = emojiCount >= 2 ? s_emoji[(emojiStart + 1) % s_emoji.Length] : null;

            var hook = Fill(strongHook ? Pick(s_strongHooks, seed, 1) : Pick(s_weakHooks, seed, 2), args);
            if (hookEmoji is not null)
            {
                hook = string.Concat(hook, " ", hookEmoji);
            }

            _hook = _newsletter ? "Subject: " + hook : hook;
            _greeting = _newsletter ? Pick(s_greetings, seed, 3) : string.Empty;
            _signOff = _newsletter ? Pick(s_signOffs, seed, 4) : string.Empty;

            _intro = Fill(Pick(s_angleIntros, seed, 5), args);
            if (!_strongClarity)
            {
                _intro = "In today's fast-paced world, " + LowerFirst(_intro) + " At the end of the day, it is really very important.";
            }

            // Body: the specific (or vague) pool first, then neutral advice, each in a hash-chosen order.
            // Short platforms get short sentences, so that a figure still fits next to the hook and the closing.
            var compact = request.MaxLength < 600;
            var primary = strongSpecificity ? (compact ? s_shortSpecific : s_specific) : s_vague;
            var neutral = compact ? s_shortNeutral : s_neutral;
            _candidates = new List<string>(primary.Length + neutral.Length);
            AddRotated(_candidates, primary, args, 6);
            AddRotated(_candidates, neutral, args, 7);

            // A newsletter without a call to action simply ends with its sign-off.
            _closing = strongCallToAction ? Fill(_newsletter ? Pick(s_newsletterClosings, seed, 8) : Pick(s_strongClosings, seed, 9), args)
                : _newsletter ? string.Empty
                : Fill(Pick(s_weakClosings, seed, 10), args);

            _structure = !_strongReadability || _newsletter || request.MaxLength < 600 ? Structure.Paragraphs : (Structure)StableHash.Pick(seed, 11, 3);

            // Hashtags: the topic as one tag, its words, the angle's longer words, then generic tags in a hash-chosen order.
            _tags = new List<string>(s_genericTags.Length + 6);
            if (!_newsletter)
            {
                var topicWords = Words(topic);
                var pascal = new StringBuilder(topic.Length);
                foreach (var word in topicWords)
                {
                    pascal.Append(UpperFirst(word));
                }

                AddTag(_tags, pascal.ToString());
                foreach (var word in topicWords)
                {
                    if (!IsStopWord(word))
                    {
                        AddTag(_tags, UpperFirst(word));
                    }
                }

                var angleTags = 0;
                foreach (var word in Words(request.Angle))
                {
                    if (angleTags < 2 && word.Length >= 4 && !IsStopWord(word) && char.IsLetter(word[0]))
                    {
                        AddTag(_tags, UpperFirst(word));
                        angleTags++;
                    }
                }

                var start = StableHash.Pick(seed, 12, s_genericTags.Length);
                for (var i = 0; i < s_genericTags.Length; i++)
                {
                    AddTag(_tags, s_genericTags[(start + i) % s_genericTags.Length]);
                }
            }

            // Platform fit: a well-fitted post aims inside the ideal range with a hashtag count inside the rules;
            // a weak one gets the hashtag count wrong or misses the ideal length (but never the hard limit).
            var idealMax = Math.Min(request.IdealMaxLength, request.IdealMinLength + 1200);
            var idealMin = request.IdealMinLength;
            var tagCount = request.MinHashtags + StableHash.Pick(seed, 13, request.MaxHashtags - request.MinHashtags + 1);
            _target = idealMin + (int)((idealMax - idealMin) * (35 + StableHash.Pick(seed, 14, 41)) / 100L);
            _softMax = idealMax;
            if (!strongFit)
            {
                var wrongTags = !_newsletter && request.MaxHashtags > 0 && StableHash.Pick(seed, 15, 2) == 0;
                if (wrongTags)
                {
                    tagCount = request.MinHashtags > 1 && StableHash.Pick(seed, 16, 2) == 0 ? request.MinHashtags - 1 : request.MaxHashtags + 1;
                }
                else if (StableHash.Pick(seed, 17, 2) == 0)
                {
                    _target = idealMin / 2;
                    _softMax = _target;
                }
                else
                {
                    _target = Math.Min(request.MaxLength, idealMax + Math.Max(40, (idealMax - idealMin) / 2));
                    _softMax = _target;
                }
            }
            else if (_newsletter)
            {
                tagCount = 0;
            }

            _tagCount = Math.Min(tagCount, _tags.Count);
        }

        public string Render()
        {
            var max = _request.MaxLength;
            var softMax = Math.Min(max, Math.Max(_softMax, _target));

            // The first candidate (a figure when specificity is strong) comes first, then the angle's introduction,
            // then more candidates until the target is reached, without passing the soft maximum.
            var chosen = new List<string>(_candidates.Count) { _candidates[0] };
            var includeIntro = true;
            var length = Build(chosen, includeIntro, _tagCount, _hook).Length;
            if (length > softMax)
            {
                includeIntro = false;
                length = Build(chosen, includeIntro, _tagCount, _hook).Length;
            }

            for (var i = 1; i < _candidates.Count && length < _target; i++)
            {
                var estimate = length + _candidates[i].Length + (_newsletter ? 20 : 6);
                if (estimate <= softMax)
                {
                    chosen.Add(_candidates[i]);
                    length = estimate;
                }
            }

            var text = Build(chosen, includeIntro, _tagCount, _hook);
            while (text.Length > softMax && Shrink(chosen, ref includeIntro, keepFirst: true))
            {
                text = Build(chosen, includeIntro, _tagCount, _hook);
            }

            while (text.Length > max && Shrink(chosen, ref includeIntro, keepFirst: false))
            {
                text = Build(chosen, includeIntro, _tagCount, _hook);
            }

            // The hard limit always wins: fewer hashtags, then a shorter hook, then a cut at a word boundary.
            if (text.Length > max)
            {
                _tagCount = Math.Min(_tagCount, _request.MinHashtags);
                text = Build(chosen, includeIntro, _tagCount, _hook);
            }

            if (text.Length > max)
            {
                var hook = Truncate(_hook, Math.Max(20, _hook.Length - (text.Length - max)));
                text = Build(chosen, includeIntro, _tagCount, hook);
            }

            return Truncate(text, max);
        }

        /// <summary>Drops the last extra paragraph, then the introduction, then (unless kept) the first paragraph; false when nothing more can go.</summary>
        private static bool Shrink(List<string> chosen, ref bool includeIntro, bool keepFirst)
        {
            if (chosen.Count > 1)
            {
                chosen.RemoveAt(chosen.Count - 1);
            }
            else if (includeIntro)
            {
                includeIntro = false;
            }
            else if (chosen.Count == 1 && !keepFirst)
            {
                chosen.RemoveAt(0);
            }
            else
            {
                return false;
            }

            return true;
        }

        private string Number(ulong salt, int min, int count) => (min + StableHash.Pick(_seed, 200 + salt, count)).ToString(CultureInfo.InvariantCulture);

        private string Build(List<string> chosen, bool includeIntro, int tagCount, string hook)
        {
            var body = new List<string>(chosen.Count + 1);
            if (includeIntro)
            {
                body.Add(_intro);
            }

            body.AddRange(chosen);
            var builder = new StringBuilder(2048);
            builder.Append(hook);
            if (_newsletter)
            {
                builder.Append("\n\n").Append(_greeting);
            }

            if (body.Count > 0)
            {
                builder.Append("\n\n");
                if (_strongReadability)
                {
                    AppendReadable(builder, body);
                }
                else
                {
                    AppendRunOn(builder, body);
                }
            }

            if (_newsletter)
            {
                builder.Append("\n\n").Append(_signOff);
            }

            if (_closing.Length > 0)
            {
                builder.Append("\n\n");
                if (_closingEmoji is not null)
                {
                    builder.Append(_closingEmoji).Append(' ');
                }

                builder.Append(_closing);
            }
            if (tagCount > 0)
            {
                builder.Append("\n\n");
                for (var i = 0; i < tagCount; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(' ');
                    }

                    builder.Append('#').Append(_tags[i]);
                }
            }

            return builder.ToString();
        }

        private void AppendReadable(StringBuilder builder, List<string> body)
        {
            var headingStart = StableHash.Pick(_seed, 18, s_headings.Length);
            for (var i = 0; i < body.Count; i++)
            {
                if (i > 0)
                {
                    builder.Append(_structure == Structure.Paragraphs || i == 1 ? "\n\n" : "\n");
                }

                if (_newsletter && i % 2 == 1 && i / 2 < s_headings.Length)
                {
                    builder.Append(s_headings[(headingStart + (i / 2)) % s_headings.Length]).Append('\n');
                }

                if (i > 0 && _structure == Structure.Arrows)
                {
                    builder.Append("\u2192 ");
                }
                else if (i > 0 && _structure == Structure.Numbered)
                {
                    builder.Append(i.ToString(CultureInfo.InvariantCulture)).Append(". ");
                }

                builder.Append(body[i]);
            }
        }

        private static void AppendRunOn(StringBuilder builder, List<string> body)
        {
            for (var i = 0; i < body.Count; i++)
            {
                var sentence = body[i].AsSpan().TrimEnd('.');
                if (i > 0)
                {
                    builder.Append(", and ");
                    if (sentence.Length > 1 && char.IsUpper(sentence[0]) && !char.IsUpper(sentence[1]))
                    {
                        builder.Append(char.ToLowerInvariant(sentence[0]));
                        sentence = sentence[1..];
                    }
                }

                builder.Append(sentence);
            }

            builder.Append('.');
        }

        private void AddRotated(List<string> target, string[] pool, object[] args, ulong salt)
        {
            // A hash-chosen start and a step coprime with the pool size give a permutation without allocating.
            var count = pool.Length;
            var start = StableHash.Pick(_seed, salt, count);
            var step = 1 + StableHash.Pick(_seed, salt + 50, count - 1);
            while (Gcd(step, count) != 1)
            {
                step++;
            }

            for (var i = 0; i < count; i++)
            {
                target.Add(Fill(pool[(start + (i * step)) % count], args));
            }
        }

        private static int Gcd(int a, int b)
        {
            while (b != 0)
            {
                (a, b) = (b, a % b);
            }

            return a;
        }
    }
}
