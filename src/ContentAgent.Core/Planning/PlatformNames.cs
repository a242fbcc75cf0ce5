using System.Collections.Frozen;

namespace ContentAgent.Planning;

/// <summary>The names people use for the platforms, and the one list of them every message shows.</summary>
internal static class PlatformNames
{
    public const string KnownList = "LinkedIn, X (Twitter), Instagram, Facebook, Threads, email newsletter";

    private static readonly FrozenDictionary<string, Platform> Aliases = new Dictionary<string, Platform>(StringComparer.OrdinalIgnoreCase)
    {
        ["linkedin"] = Platform.LinkedIn,
        ["linked-in"] = Platform.LinkedIn,
        ["x"] = Platform.X,
        ["twitter"] = Platform.X,
        ["tweet"] = Platform.X,
        ["tweets"] = Platform.X,
        ["x/twitter"] = Platform.X,
        ["instagram"] = Platform.Instagram,
        ["ig"] = Platform.Instagram,
        ["insta"] = Platform.Instagram,
        ["facebook"] = Platform.Facebook,
        ["fb"] = Platform.Facebook,
        ["threads"] = Platform.Threads,
        ["email"] = Platform.EmailNewsletter,
        ["emails"] = Platform.EmailNewsletter,
        ["newsletter"] = Platform.EmailNewsletter,
        ["newsletters"] = Platform.EmailNewsletter,
        ["email newsletter"] = Platform.EmailNewsletter,
        ["email newsletters"] = Platform.EmailNewsletter,
        ["emailnewsletter"] = Platform.EmailNewsletter,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Reads a platform name or alias ("LinkedIn", "Twitter", "tweets", "IG", "newsletter", …), ignoring case.</summary>
    public static bool TryParse(string? text, out Platform platform)
    {
        platform = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim().Trim('(', ')', '.', ',', ';', ':', '!', '?', '"', '\'');
        if (Aliases.TryGetValue(trimmed, out platform))
        {
            return true;
        }

        return Enum.TryParse(trimmed, ignoreCase: true, out platform) && Enum.IsDefined(platform) && !int.TryParse(trimmed, out _);
    }
}
