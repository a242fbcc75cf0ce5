using SkiaSharp;

namespace ContentAgent.Delivery.Packaging.Pdf;

/// <summary>Something placed on a page by the layout, drawn once every page is known.</summary>
internal abstract class PageItem
{
    public abstract void Draw(SKCanvas canvas, SKPaint paint);
}

/// <summary>A line of text with its left edge at <see cref="X"/> and the top of its line box at <see cref="Top"/>.</summary>
internal sealed class TextItem(TextLine line, float x, float top, SKColor color) : PageItem
{
    public TextLine Line { get; } = line;

    public float X { get; } = x;

    public float Top { get; } = top;

    public override void Draw(SKCanvas canvas, SKPaint paint)
    {
        paint.Style = SKPaintStyle.Fill;
        paint.Color = color;
        Line.Draw(canvas, X, Top + Line.Baseline, paint);
    }
}

/// <summary>A filled rectangle, rounded when <paramref name="radius"/> is positive.</summary>
internal sealed class RectItem(SKRect rect, SKColor color, float radius = 0) : PageItem
{
    public override void Draw(SKCanvas canvas, SKPaint paint)
    {
        paint.Style = SKPaintStyle.Fill;
        paint.Color = color;
        if (radius > 0)
        {
            canvas.DrawRoundRect(rect, radius, radius, paint);
        }
        else
        {
            canvas.DrawRect(rect, paint);
        }
    }
}

/// <summary>A straight stroke.</summary>
internal sealed class RuleItem(SKPoint from, SKPoint to, SKColor color, float width) : PageItem
{
    public override void Draw(SKCanvas canvas, SKPaint paint)
    {
        paint.Style = SKPaintStyle.Stroke;
        paint.StrokeWidth = width;
        paint.Color = color;
        canvas.DrawLine(from, to, paint);
    }
}

/// <summary>An image scaled into a rectangle.</summary>
internal sealed class ImageItem(SKImage image, SKRect rect) : PageItem
{
    public override void Draw(SKCanvas canvas, SKPaint paint)
    {
        canvas.DrawImage(image, rect, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None), paint: null);
    }
}

/// <summary>A page: what the layout placed on it, in drawing order.</summary>
internal sealed class PdfPage
{
    public List<PageItem> Items { get; } = [];
}

/// <summary>
/// The flow of the document on A4 pages: a cursor that moves down the body area and starts a new page when the next
/// piece does not fit. Pieces are placed, never drawn, so the page count is known before the first page is drawn.
/// </summary>
internal sealed class PageFlow
{
    public const float PageWidth = 595.28f;
    public const float PageHeight = 841.89f;
    public const float Margin = 56.7f;
    public const float BodyTop = 80f;
    public const float BodyBottom = PageHeight - 62f;

    private readonly List<PdfPage> _pages = [];

    public IReadOnlyList<PdfPage> Pages => _pages;

    public PdfPage Page { get; private set; } = null!;

    public float Y { get; set; }

    public static float Left => Margin;

    public static float Width => PageWidth - (2 * Margin);

    public static float Right => PageWidth - Margin;

    /// <summary>Gets the height of the body area.</summary>
    public static float Height => BodyBottom - BodyTop;

    public float Remaining => BodyBottom - Y;

    public PdfPage NewPage()
    {
        Page = new PdfPage();
        _pages.Add(Page);
        Y = BodyTop;
        return Page;
    }

    /// <summary>Starts a new page unless <paramref name="height"/> fits below the cursor or the page is still empty.</summary>
    public void EnsureRoom(float height)
    {
        if (Y + height > BodyBottom && Y > BodyTop + 0.5f)
        {
            NewPage();
        }
    }

    public void Add(PageItem item) => Page.Items.Add(item);

    /// <summary>Places lines one under the other from the cursor, moving to a new page when a line does not fit.</summary>
    public void Lines(IReadOnlyList<TextLine> lines, float left, float width, SKColor color)
    {
        foreach (var line in lines)
        {
            EnsureRoom(line.Style.LineHeight);
            Place(line, left, width, Y, color);
            Y += line.Style.LineHeight;
        }
    }

    /// <summary>Places one line in a box, aligned to the right when it runs right to left.</summary>
    public void Place(TextLine line, float left, float width, float top, SKColor color, bool alignRight = false)
    {
        if (!line.IsEmpty)
        {
            var x = line.Rtl || alignRight ? left + width - line.Width : left;
            Add(new TextItem(line, x, top, color));
        }
    }
}
