using System.Globalization;
using System.Text;
using ContentAgent.Learning;
using ContentAgent.Planning;
using Microsoft.Extensions.AI;

namespace ContentAgent.Generation;

/// <summary>
/// Builds the messages that ask a chat client for one post: the spec, the platform's rules, the brand voice and the
/// learning context. The layout is plain Markdown with "Key: value" lines, which any LLM follows and which the
/// <see cref="OfflineChatClient"/> reads back.
/// </summary>
internal static class PostPrompt
{
    public const string PostSection = "## Post";
    public const string RulesSection = "## Platform rules";
    public const string VoiceSection = "## Brand voice";
    public const string LearningsSection = "## Learnings from earlier posts";
    public const string IndexKey = "Index";
    public const string PlatformKey = "Platform";
    public const string TopicKey = "Topic";
    public const string AngleKey = "Angle";
    public const string MaxLengthKey = "Max length";
    public const string IdealLengthKey = "Ideal length";
    public const string HashtagsKey = "Hashtags";
    public const string EmojiKey = "Emoji";
    public const string LinksKey = "Links";
    public const string KeepPrefix = "- Keep: ";
    public const string AvoidPrefix = "- Avoid: ";
    public const string Closing = "Write the post now. Return only its text.";

    public const string SystemPrompt =
        "You are ContentAgent's writer. You write one social media post at a time, ready to publish. " +
        "Follow the platform rules exactly, apply the learnings from earlier posts, and keep the brand voice. " +
        "Return only the post text: no preamble, no quotes around it, no Markdown headings.";

    /// <summary>Renders the learning context as the prompt carries it (empty when there are no learnings).</summary>
    public static string RenderLearnings(IReadOnlyList<ContentAgent.Learning.Learning> learnings)
    {
        if (learnings.Count == 0)
        {
            return string.Empty;
        }

        var builder = new StringBuilder(learnings.Count * 96);
        builder.Append(LearningsSection).Append('\n');
        foreach (var learning in learnings)
        {
            AppendLine(builder, learning);
        }

        return builder.ToString();
    }

    /// <summary>Renders one learning as its line of the context, newline included.</summary>
    public static string RenderLine(ContentAgent.Learning.Learning learning) =>
        string.Concat(learning.Kind == LearningKind.Keep ? KeepPrefix : AvoidPrefix, learning.Text, "\n");

    private static void AppendLine(StringBuilder builder, ContentAgent.Learning.Learning learning) =>
        builder.Append(learning.Kind == LearningKind.Keep ? KeepPrefix : AvoidPrefix).Append(learning.Text).Append('\n');

    /// <summary>Builds the system and user messages for one post.</summary>
    public static List<ChatMessage> Build(PostSpec spec, string? brandVoice, string renderedLearnings)
    {
        var rules = PlatformRules.For(spec.Platform);
        var user = new StringBuilder(512 + renderedLearnings.Length);
        user.Append(PostSection).Append('\n')
            .Append(IndexKey).Append(": ").Append(spec.Index.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(PlatformKey).Append(": ").Append(rules.DisplayName).Append('\n')
            .Append(TopicKey).Append(": ").Append(spec.Topic).Append('\n')
            .Append(AngleKey).Append(": ").Append(spec.Angle).Append("\n\n")
            .Append(RulesSection).Append('\n')
            .Append(MaxLengthKey).Append(": ").Append(rules.MaxLength.ToString(CultureInfo.InvariantCulture)).Append(" characters\n")
            .Append(IdealLengthKey).Append(": ").Append(rules.IdealMinLength.ToString(CultureInfo.InvariantCulture))
            .Append('-').Append(rules.IdealMaxLength.ToString(CultureInfo.InvariantCulture)).Append(" characters\n")
            .Append(HashtagsKey).Append(": ").Append(rules.MinHashtags.ToString(CultureInfo.InvariantCulture))
            .Append('-').Append(rules.MaxHashtags.ToString(CultureInfo.InvariantCulture)).Append(", at the end\n")
            .Append(EmojiKey).Append(": at most ").Append(rules.MaxEmoji.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(LinksKey).Append(": ").Append(rules.LinkHandling).Append("\n\n");
        if (!string.IsNullOrWhiteSpace(brandVoice))
        {
            user.Append(VoiceSection).Append('\n').Append(brandVoice.Trim()).Append("\n\n");
        }

        if (renderedLearnings.Length > 0)
        {
            user.Append(renderedLearnings).Append('\n');
        }

        user.Append(Closing);
        return [new ChatMessage(ChatRole.System, SystemPrompt), new ChatMessage(ChatRole.User, user.ToString())];
    }
}
