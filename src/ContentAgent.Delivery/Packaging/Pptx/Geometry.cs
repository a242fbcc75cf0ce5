namespace ContentAgent.Delivery.Packaging.Pptx;

/// <summary>A rectangle on a slide, in EMU (914,400 to the inch, 12,700 to the point).</summary>
internal readonly record struct Box(long X, long Y, long Width, long Height)
{
    /// <summary>Gets the inside of a text box of this size with the given insets, in points.</summary>
    public TextFrame Frame(long horizontalInset = Geometry.InsetX, long verticalInset = Geometry.InsetY) =>
        new((Width - (2 * horizontalInset)) / (double)Geometry.Point, (Height - (2 * verticalInset)) / (double)Geometry.Point);
}

/// <summary>Where everything sits on a 16:9 slide (13.33 × 7.5 in), and the type sizes in hundredths of a point.</summary>
internal static class Geometry
{
    public const long Inch = 914400;
    public const long Point = 12700;
    public const long SlideWidth = 12192000;
    public const long SlideHeight = 6858000;
    public const long NotesHeight = 9144000;
    public const long Margin = Inch * 6 / 10;
    public const long ContentWidth = SlideWidth - (2 * Margin);
    public const long InsetX = 91440;
    public const long InsetY = 45720;

    public const int TitleSize = 2800;
    public const int BodySize = 1800;

    /// <summary>Where the body, the overview table and the score panel end; the footer starts 0.23 in lower.</summary>
    public static readonly long BodyBottom = In(6.7);

    public static readonly Box Kicker = new(Margin, In(0.32), ContentWidth, In(0.4));
    public static readonly Box Title = new(Margin, In(0.72), ContentWidth, In(1.15));
    public static readonly Box Rule = new(Margin + InsetX, In(1.93), In(1.2), In(0.06));
    public static readonly Box Body = new(Margin, In(2.15), ContentWidth, In(4.55));
    public static readonly Box PostBody = new(Margin, In(2.15), In(8.9), In(4.55));
    public static readonly Box ScorePanel = new(Margin + In(9.3), In(2.15), ContentWidth - In(9.3), In(4.55));
    public static readonly Box FooterLeft = new(Margin, In(6.93), ContentWidth - In(1.6), In(0.36));
    public static readonly Box FooterRight = new(SlideWidth - Margin - In(1.5), In(6.93), In(1.5), In(0.36));

    public static readonly Box CoverBand = new(0, 0, SlideWidth, In(4.55));
    public static readonly Box CoverStrip = new(0, In(4.55), SlideWidth, In(0.1));
    public static readonly Box CoverTitle = new(Margin, In(0.7), ContentWidth, In(2.6));
    public static readonly Box CoverSubtitle = new(Margin, In(3.4), ContentWidth, In(1.0));
    public static readonly Box CoverDate = new(Margin, In(4.95), In(8.4), In(0.5));
    public static readonly Box CoverFacts = new(Margin, In(5.5), In(8.4), In(1.2));
    public static readonly Box CoverLogo = new(Margin + In(8.8), In(4.95), ContentWidth - In(8.8), In(1.9));

    public static long In(double inches) => (long)Math.Round(inches * Inch);
}
