namespace ContentAgent.Planning;

/// <summary>The writing rules of a platform: length limit, hashtag and emoji habits, link handling.</summary>
/// <param name="Platform">The platform the rules are for.</param>
/// <param name="DisplayName">The platform's name as people write it.</param>
/// <param name="MaxLength">The hard length limit of a post, in characters.</param>
/// <param name="IdealMinLength">The shortest length that usually performs well, in characters.</param>
/// <param name="IdealMaxLength">The longest length that usually performs well, in characters.</param>
/// <param name="MinHashtags">The fewest hashtags a post should carry.</param>
/// <param name="MaxHashtags">The most hashtags a post should carry.</param>
/// <param name="MaxEmoji">The most emoji a post should carry.</param>
/// <param name="LinkHandling">Where links go, in one sentence the writer can follow.</param>
public sealed record PlatformRules(
    Platform Platform,
    string DisplayName,
    int MaxLength,
    int IdealMinLength,
    int IdealMaxLength,
    int MinHashtags,
    int MaxHashtags,
    int MaxEmoji,
    string LinkHandling)
{
    private static readonly PlatformRules[] All =
    [
        new(Platform.LinkedIn, "LinkedIn", 3000, 600, 1300, 3, 5, 2, "Do not put links in the body; say the link is in the first comment."),
        new(Platform.X, "X", 280, 120, 260, 1, 2, 1, "At most one link, at the end; it counts as 23 characters."),
        new(Platform.Instagram, "Instagram", 2200, 300, 1200, 5, 15, 5, "Links are not clickable in captions; point to the link in bio."),
        new(Platform.Facebook, "Facebook", 63206, 200, 800, 0, 3, 3, "One link at the end, with a reason to click it."),
        new(Platform.Threads, "Threads", 500, 150, 450, 0, 1, 2, "At most one link, at the end."),
        new(Platform.EmailNewsletter, "Email newsletter", 20000, 1200, 4000, 0, 0, 1, "Links inline with descriptive anchor text; one main call-to-action link."),
    ];

    /// <summary>Gets the rules of a platform.</summary>
    /// <param name="platform">The platform.</param>
    /// <returns>The platform's rules.</returns>
    public static PlatformRules For(Platform platform)
    {
        var index = (int)platform;
        if ((uint)index >= (uint)All.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(platform), platform, "Unknown platform.");
        }

        return All[index];
    }
}
