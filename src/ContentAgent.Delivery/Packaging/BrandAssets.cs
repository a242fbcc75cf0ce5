using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using SkiaSharp;

namespace ContentAgent.Delivery.Packaging;

/// <summary>
/// The branding of a package, checked once before any renderer runs: a colour that is not a colour, a logo that is not a
/// readable PNG or JPEG, or a font file that is not a font falls back to the default and becomes one clear error naming
/// the setting, so the package is still made.
/// </summary>
internal sealed partial class BrandAssets
{
    private const string Prefix = "ContentAgent:Packaging:";
    private static readonly Lazy<byte[]> DefaultRegular = new(() => Resource("DejaVuSans.ttf"));
    private static readonly Lazy<byte[]> DefaultBold = new(() => Resource("DejaVuSans-Bold.ttf"));

    private BrandAssets()
    {
    }

    public string AgencyName { get; private init; } = "ContentAgent";

    public string? ClientName { get; private init; }

    public string PrimaryColor { get; private set; } = "#1F3A5F";

    public string AccentColor { get; private set; } = "#E07A1F";

    public ReadOnlyMemory<byte>? Logo { get; private set; }

    public string? LogoMediaType { get; private set; }

    public ReadOnlyMemory<byte> Font { get; private set; } = DefaultRegular.Value;

    public ReadOnlyMemory<byte> BoldFont { get; private set; } = DefaultBold.Value;

    public string FontFamily { get; private set; } = "DejaVu Sans";

    public static async Task<BrandAssets> LoadAsync(PackagingOptions options, List<PackageError> errors, CancellationToken cancellationToken)
    {
        var defaults = new PackagingOptions();
        var brand = new BrandAssets
        {
            AgencyName = string.IsNullOrWhiteSpace(options.AgencyName) ? defaults.AgencyName : options.AgencyName.Trim(),
            ClientName = string.IsNullOrWhiteSpace(options.ClientName) ? null : options.ClientName.Trim(),
        };
        brand.PrimaryColor = Color(options.PrimaryColor, "PrimaryColor", defaults.PrimaryColor, errors);
        brand.AccentColor = Color(options.AccentColor, "AccentColor", defaults.AccentColor, errors);

        if (!string.IsNullOrWhiteSpace(options.LogoPath))
        {
            var bytes = await ReadAsync(options.LogoPath, "LogoPath", errors, cancellationToken).ConfigureAwait(false);
            if (bytes is not null)
            {
                var mediaType = ImageType(bytes);
                using var data = SKData.CreateCopy(bytes);
                using var codec = mediaType is null ? null : SKCodec.Create(data);
                using var image = codec is null ? null : SKBitmap.Decode(codec);
                if (image is null || image.Width == 0 || image.Height == 0)
                {
                    errors.Add(new PackageError("branding", $"{Prefix}LogoPath: '{options.LogoPath}' is not a readable PNG or JPEG image; the package was made without a logo."));
                }
                else
                {
                    brand.Logo = bytes;
                    brand.LogoMediaType = mediaType;
                }
            }
        }

        if (!string.IsNullOrWhiteSpace(options.FontPath))
        {
            var bytes = await ReadAsync(options.FontPath, "FontPath", errors, cancellationToken).ConfigureAwait(false);
            if (bytes is not null)
            {
                using var data = SKData.CreateCopy(bytes);
                using var typeface = SKTypeface.FromData(data);
                if (typeface is null || typeface.GlyphCount == 0)
                {
                    errors.Add(new PackageError("branding", $"{Prefix}FontPath: '{options.FontPath}' is not a TrueType or OpenType font; the package uses DejaVu Sans."));
                }
                else
                {
                    brand.Font = bytes;
                    brand.BoldFont = bytes;
                    brand.FontFamily = typeface.FamilyName;
                }
            }
        }

        return brand;
    }

    /// <summary>Reads <c>#RRGGBB</c> or <c>#RGB</c> (case ignored) into <c>#RRGGBB</c>.</summary>
    internal static bool TryParseColor(string? text, out string color)
    {
        color = string.Empty;
        if (text is null || !HexColor().IsMatch(text.Trim()))
        {
            return false;
        }

        var hex = text.Trim()[1..].ToUpperInvariant();
        color = "#" + (hex.Length == 3 ? string.Concat(hex.Select(static c => $"{c}{c}")) : hex);
        return true;
    }

    private static string Color(string? text, string setting, string fallback, List<PackageError> errors)
    {
        if (TryParseColor(text, out var color))
        {
            return color;
        }

        errors.Add(new PackageError("branding", string.Create(CultureInfo.InvariantCulture, $"{Prefix}{setting}: '{text}' is not a colour; use #RRGGBB or #RGB (for example {fallback}). The package uses {fallback}.")));
        return fallback;
    }

    private static async Task<byte[]?> ReadAsync(string path, string setting, List<PackageError> errors, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            errors.Add(new PackageError("branding", $"{Prefix}{setting}: '{path}' cannot be read ({ex.Message.ReplaceLineEndings(" ")}); the package was made without it."));
            return null;
        }
    }

    private static string? ImageType(ReadOnlySpan<byte> bytes) =>
        bytes.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? "image/png"
        : bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "image/jpeg"
        : null;

    private static byte[] Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"ContentAgent.Delivery.Fonts.{name}")
            ?? throw new InvalidOperationException($"The embedded font {name} is missing from ContentAgent.Delivery.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [GeneratedRegex("^#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")]
    private static partial Regex HexColor();
}
