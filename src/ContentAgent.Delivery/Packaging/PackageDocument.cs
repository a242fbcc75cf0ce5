using System.Globalization;
using ContentAgent.Batches;
using ContentAgent.Planning;

namespace ContentAgent.Delivery.Packaging;

/// <summary>
/// What every renderer of a package draws from: the batch, its done posts (by index and by platform), an executive
/// summary, and the branding with its assets already checked (colours parsed, logo decodable, font loadable).
/// </summary>
public sealed class PackageDocument
{
    internal PackageDocument(BatchResult batch, BrandAssets brand, DateTimeOffset createdAt)
    {
        Batch = batch;
        CreatedAt = createdAt;
        AgencyName = brand.AgencyName;
        ClientName = brand.ClientName;
        PrimaryColor = brand.PrimaryColor;
        AccentColor = brand.AccentColor;
        Logo = brand.Logo;
        LogoMediaType = brand.LogoMediaType;
        Font = brand.Font;
        BoldFont = brand.BoldFont;
        FontFamily = brand.FontFamily;
        Posts = [.. batch.Posts.Where(static p => p.Status == PostStatus.Done && p.Text is not null).OrderBy(static p => p.Index)];
        Platforms = [.. Posts.GroupBy(static p => p.Spec.Platform).OrderBy(static g => g.Min(static p => p.Index)).Select(static g => new PlatformSection(g.Key, [.. g]))];
        Title = ClientName is null ? "Content strategy" : $"Content strategy for {ClientName}";
        ExecutiveSummary = Summarize(batch, Posts);
    }

    /// <summary>Gets the batch being packaged.</summary>
    public BatchResult Batch { get; }

    /// <summary>Gets the document title, for example "Content strategy for Acme".</summary>
    public string Title { get; }

    /// <summary>Gets when the package was made.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Gets the agency that delivers the package.</summary>
    public string AgencyName { get; }

    /// <summary>Gets the client the package is for, if named.</summary>
    public string? ClientName { get; }

    /// <summary>Gets the main colour as <c>#RRGGBB</c>.</summary>
    public string PrimaryColor { get; }

    /// <summary>Gets the accent colour as <c>#RRGGBB</c>.</summary>
    public string AccentColor { get; }

    /// <summary>Gets the logo (a decodable PNG or JPEG), if any.</summary>
    public ReadOnlyMemory<byte>? Logo { get; }

    /// <summary>Gets the logo's media type, <c>image/png</c> or <c>image/jpeg</c>, if there is a logo.</summary>
    public string? LogoMediaType { get; }

    /// <summary>Gets the regular text font (TrueType or OpenType): the configured one, else DejaVu Sans.</summary>
    public ReadOnlyMemory<byte> Font { get; }

    /// <summary>Gets the bold font: DejaVu Sans Bold, or the configured font when one is set.</summary>
    public ReadOnlyMemory<byte> BoldFont { get; }

    /// <summary>Gets the font's family name, for formats that name fonts instead of embedding them.</summary>
    public string FontFamily { get; }

    /// <summary>Gets the done posts, in index order.</summary>
    public IReadOnlyList<PostResult> Posts { get; }

    /// <summary>Gets the done posts by platform, platforms in the order they first appear.</summary>
    public IReadOnlyList<PlatformSection> Platforms { get; }

    /// <summary>Gets the executive summary, one paragraph an item, made from the batch's figures.</summary>
    public IReadOnlyList<string> ExecutiveSummary { get; }

    private static string[] Summarize(BatchResult batch, IReadOnlyList<PostResult> posts)
    {
        var culture = CultureInfo.InvariantCulture;
        var platforms = string.Join(", ", posts.Select(static p => PlatformSection.DisplayName(p.Spec.Platform)).Distinct());
        var topics = string.Join(", ", posts.Select(static p => p.Spec.Topic).Distinct(StringComparer.OrdinalIgnoreCase));
        var best = posts.MaxBy(static p => p.Score?.Overall ?? 0);
        var paragraphs = new List<string>
        {
            string.Create(culture, $"This package holds {posts.Count} ready-to-publish posts for {platforms}, about {topics}, written from the brief \"{batch.Plan.Brief}\"."),
            string.Create(culture, $"Every post was scored on six criteria (hook, clarity, specificity, call to action, platform fit, readability): the average is {batch.AverageScore:F1} out of 100 and the trend over the batch is {batch.Trend.ToString().ToLowerInvariant()}."),
        };
        if (best?.Score is { } score)
        {
            paragraphs.Add(string.Create(culture, $"The strongest post is #{best.Index} ({PlatformSection.DisplayName(best.Spec.Platform)}, {best.Spec.Topic}) at {score.Overall:F1}."));
        }

        if (batch.Learnings.Count > 0)
        {
            paragraphs.Add(string.Create(culture, $"{batch.Learnings.Count} learnings were carried from post to post and are listed at the end; they guide the next batch."));
        }

        if (batch.Failed > 0)
        {
            paragraphs.Add(batch.Failed == 1
                ? "One planned post could not be written and is not included."
                : string.Create(culture, $"{batch.Failed} planned posts could not be written and are not included."));
        }

        return [.. paragraphs];
    }
}

/// <summary>The done posts of one platform.</summary>
/// <param name="Platform">The platform.</param>
/// <param name="Posts">Its posts, in index order.</param>
public sealed record PlatformSection(Platform Platform, IReadOnlyList<PostResult> Posts)
{
    /// <summary>Gets the platform's name for people, for example "LinkedIn" or "X (Twitter)".</summary>
    public string Name => DisplayName(Platform);

    internal static string DisplayName(Platform platform) => platform switch
    {
        Platform.X => "X (Twitter)",
        Platform.EmailNewsletter => "Email newsletter",
        _ => platform.ToString(),
    };
}
