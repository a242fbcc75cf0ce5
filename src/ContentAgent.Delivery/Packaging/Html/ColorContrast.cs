using System.Globalization;

namespace ContentAgent.Delivery.Packaging.Html;

/// <summary>
/// WCAG 2 contrast for <c>#RRGGBB</c> colours: relative luminance, contrast ratio, the text colour for a brand background,
/// and a brand colour darkened (or lightened) just enough to be read as text.
/// </summary>
internal static class ColorContrast
{
    /// <summary>The WCAG 2 AA minimum for normal text (success criterion 1.4.3).</summary>
    public const double MinimumTextContrast = 4.5;

    public const string White = "#FFFFFF";

    public const string Black = "#000000";

    /// <summary>Gets the relative luminance of a colour, from 0 (black) to 1 (white).</summary>
    public static double Luminance(string color)
    {
        var (r, g, b) = Parse(color);
        return (0.2126 * Linear(r)) + (0.7152 * Linear(g)) + (0.0722 * Linear(b));

        static double Linear(byte channel)
        {
            var c = channel / 255.0;
            return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }
    }

    /// <summary>Gets the contrast ratio of two colours, from 1 (none) to 21 (black on white).</summary>
    public static double Ratio(string first, string second)
    {
        var a = Luminance(first);
        var b = Luminance(second);
        return (Math.Max(a, b) + 0.05) / (Math.Min(a, b) + 0.05);
    }

    /// <summary>Gets white or black, whichever reads better on <paramref name="background"/> (at least 4.58:1 for any colour).</summary>
    public static string TextOn(string background) => Ratio(background, White) >= Ratio(background, Black) ? White : Black;

    /// <summary>
    /// Gets <paramref name="color"/> when it reaches <paramref name="minimum"/> against <paramref name="background"/>;
    /// otherwise the colour mixed toward black (on a light background) or white (on a dark one) in the smallest step that
    /// does, so the hue stays recognisably the brand's.
    /// </summary>
    public static string Readable(string color, string background, double minimum = MinimumTextContrast)
    {
        if (Ratio(color, background) >= minimum)
        {
            return color;
        }

        var target = TextOn(background);
        for (var step = 1; step <= 100; step++)
        {
            var candidate = Mix(color, target, step / 100.0);
            if (Ratio(candidate, background) >= minimum)
            {
                return candidate;
            }
        }

        return target;
    }

    /// <summary>Gets <paramref name="color"/> moved toward <paramref name="target"/> by <paramref name="amount"/> (0 to 1).</summary>
    public static string Mix(string color, string target, double amount)
    {
        var (r1, g1, b1) = Parse(color);
        var (r2, g2, b2) = Parse(target);
        return Format(Channel(r1, r2), Channel(g1, g2), Channel(b1, b2));

        byte Channel(byte from, byte to) => (byte)Math.Round(from + ((to - from) * amount), MidpointRounding.AwayFromZero);
    }

    private static (byte R, byte G, byte B) Parse(string color)
    {
        if (color is not { Length: 7 } || color[0] != '#')
        {
            throw new ArgumentException($"'{color}' is not a #RRGGBB colour.", nameof(color));
        }

        return (Hex(color.AsSpan(1, 2)), Hex(color.AsSpan(3, 2)), Hex(color.AsSpan(5, 2)));

        static byte Hex(ReadOnlySpan<char> digits) => byte.Parse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    private static string Format(byte r, byte g, byte b) => string.Create(CultureInfo.InvariantCulture, $"#{r:X2}{g:X2}{b:X2}");
}
