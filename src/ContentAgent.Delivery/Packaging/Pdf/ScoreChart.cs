using System.Globalization;
using ContentAgent.Batches;
using SkiaSharp;

namespace ContentAgent.Delivery.Packaging.Pdf;

/// <summary>
/// A bar chart of the posts' overall scores in index order, with the batch average as a line and the best post in the
/// accent colour: gridlines every 25 points, index labels under the bars (thinned out when there are many), a legend.
/// </summary>
internal static class ScoreChart
{
    private const float PlotHeight = 170f;
    private const float AxisWidth = 26f;
    private static readonly TextStyle Label = new(7f, 9f);
    private static readonly TextStyle Legend = new(8f, 11f);

    public static float Height => PlotHeight + 48f;

    /// <summary>Places the chart at the flow's cursor (on a new page if it does not fit) and moves the cursor below it.</summary>
    public static void Place(PageFlow flow, TextShaper shaper, PdfPalette palette, IReadOnlyList<PostResult> posts, double average)
    {
        flow.EnsureRoom(Height);
        var culture = CultureInfo.InvariantCulture;
        var left = PageFlow.Left + AxisWidth;
        var right = PageFlow.Right;
        var top = flow.Y + 6;
        var bottom = top + PlotHeight;
        float YOf(double score) => bottom - (float)(Math.Clamp(score, 0, 100) / 100 * PlotHeight);

        for (var value = 0; value <= 100; value += 25)
        {
            var y = YOf(value);
            flow.Add(new RuleItem(new SKPoint(left, y), new SKPoint(right, y), value == 0 ? PdfPalette.Muted : PdfPalette.Rule, value == 0 ? 0.8f : 0.5f));
            var label = shaper.Shape(value.ToString(culture), Label).Wrap(AxisWidth)[0];
            flow.Place(label, PageFlow.Left, AxisWidth - 4, y - (Label.LineHeight / 2), PdfPalette.Muted, alignRight: true);
        }

        var count = Math.Max(1, posts.Count);
        var slot = (right - left) / count;
        var barWidth = Math.Max(0.6f, slot * 0.72f);
        var best = posts.Where(static p => p.Score is not null).MaxBy(static p => p.Score!.Overall);
        var step = posts.Count switch
        {
            <= 20 => 1,
            <= 60 => 5,
            <= 200 => 10,
            _ => 50,
        };

        for (var i = 0; i < posts.Count; i++)
        {
            var post = posts[i];
            var x = left + (i * slot) + ((slot - barWidth) / 2);
            var score = post.Score?.Overall ?? 0;
            if (score > 0)
            {
                flow.Add(new RectItem(new SKRect(x, YOf(score), x + barWidth, bottom), post == best ? palette.Accent : palette.Primary));
            }

            if (i == 0 || post.Index % step == 0)
            {
                var label = shaper.Shape(post.Index.ToString(culture), Label).Wrap(float.MaxValue)[0];
                flow.Place(label, x + (barWidth / 2) - (label.Width / 2), label.Width, bottom + 2, PdfPalette.Muted);
            }
        }

        var averageY = YOf(average);
        flow.Add(new RuleItem(new SKPoint(left, averageY), new SKPoint(right, averageY), palette.Accent, 1.2f));

        // Legend: what the bars, the accent bar and the line mean.
        var legendTop = bottom + 18;
        var legendX = left;
        void Key(SKColor color, bool line, string text)
        {
            var keyTop = legendTop + (Legend.LineHeight / 2) - 4;
            flow.Add(line
                ? new RectItem(new SKRect(legendX, keyTop + 3, legendX + 14, keyTop + 5), color)
                : new RectItem(new SKRect(legendX, keyTop, legendX + 8, keyTop + 8), color));
            legendX += line ? 18 : 12;
            var shaped = shaper.Shape(text, Legend).Wrap(float.MaxValue)[0];
            flow.Place(shaped, legendX, shaped.Width, legendTop, PdfPalette.Ink);
            legendX += shaped.Width + 16;
        }

        Key(palette.Primary, line: false, "Overall score of a post (0 to 100), by post number");
        if (best is not null)
        {
            Key(palette.Accent, line: false, string.Create(culture, $"Best: #{best.Index}"));
        }

        Key(palette.Accent, line: true, string.Create(culture, $"Average {average:F1}"));
        flow.Y = legendTop + Legend.LineHeight + 6;
    }
}
