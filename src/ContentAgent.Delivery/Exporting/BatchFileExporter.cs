using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ContentAgent.Batches;
using ContentAgent.Quality;

namespace ContentAgent.Delivery.Exporting;

/// <summary>Writes <c>posts.json</c>, <c>posts.md</c> and <c>summary.json</c>, each atomically.</summary>
internal sealed class BatchFileExporter : IBatchExporter
{
    public const string PostsJson = "posts.json";
    public const string PostsMarkdown = "posts.md";
    public const string SummaryJson = "summary.json";

    // Files for people and tools, not HTML: keep emoji, accents and other scripts readable instead of \u-escaped.
    private static readonly ExportJsonContext Json = new(new JsonSerializerOptions(ExportJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public async Task<BatchExport> ExportAsync(BatchResult result, string outputDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        if (result.Plan.PlanId.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || result.Plan.PlanId is "." or "..")
        {
            throw new ArgumentException($"The plan id '{result.Plan.PlanId}' cannot name a folder.", nameof(result));
        }

        var directory = Path.GetFullPath(Path.Combine(outputDirectory, result.Plan.PlanId));
        Directory.CreateDirectory(directory);
        var posts = result.Posts.Select(ToDocument).ToList();
        var files = new List<string>(3)
        {
            await AtomicFile.WriteAsync(directory, PostsJson, JsonSerializer.SerializeToUtf8Bytes(posts, Json.ListPostDocument), cancellationToken).ConfigureAwait(false),
            await AtomicFile.WriteAsync(directory, PostsMarkdown, Encoding.UTF8.GetBytes(ToMarkdown(result)), cancellationToken).ConfigureAwait(false),
            await AtomicFile.WriteAsync(directory, SummaryJson, JsonSerializer.SerializeToUtf8Bytes(ToSummary(result), Json.SummaryDocument), cancellationToken).ConfigureAwait(false),
        };
        return new BatchExport(directory, files);
    }

    internal static SummaryDocument ToSummary(BatchResult result) =>
        new(
            result.Plan.PlanId,
            result.Plan.TenantId,
            result.Plan.Brief,
            result.Status.ToString(),
            result.Posts.Count,
            result.Succeeded,
            result.Failed,
            Round(result.AverageScore, 1),
            result.Trend.ToString(),
            new ContextTokensDocument(
                result.Context.Total,
                result.Context.LargestPerPost,
                new UncompactedTokensDocument(result.Context.UncompactedTotal, result.Context.UncompactedLargestPerPost),
                Round(result.Context.Savings, 3)),
            result.Compactions,
            result.InputTokens,
            result.OutputTokens,
            result.TotalTokens,
            result.EstimatedCost,
            result.StopReason,
            Round(result.Duration.TotalSeconds, 3),
            result.Plan.CreatedAt,
            [.. result.Learnings.Select(static l => $"{l.Kind}: {l.Text}")]);

    private static PostDocument ToDocument(PostResult post) =>
        new(
            post.Index,
            post.Spec.Platform.ToString(),
            post.Spec.Topic,
            post.Spec.Angle,
            post.Status.ToString(),
            post.Text,
            post.Score is null ? null : Round(post.Score.Overall, 1),
            post.Score?.Breakdown.ToDictionary(static c => CriterionKey(c.Criterion), static c => Round(c.Score, 1)),
            post.Score?.Breakdown.ToDictionary(static c => CriterionKey(c.Criterion), static c => c.Reason),
            post.Score?.Scorer,
            post.Attempts,
            post.Error,
            post.PriorErrors ?? [],
            [.. post.Learnings.Select(static l => $"{l.Kind}: {l.Text}")],
            post.ContextTokens,
            post.UncompactedContextTokens,
            post.InputTokens,
            post.OutputTokens,
            post.Cost,
            Round(post.Duration.TotalMilliseconds, 1),
            post.CompletedAt);

    private static double Round(double value, int digits) => Math.Round(value, digits, MidpointRounding.AwayFromZero);

    private static string CriterionKey(QualityCriterion criterion) => JsonNamingPolicy.CamelCase.ConvertName(criterion.ToString());

    private static string ToMarkdown(BatchResult result)
    {
        var culture = CultureInfo.InvariantCulture;
        var text = new StringBuilder(result.Posts.Count * 1024);
        text.Append("# ").Append(result.Plan.Brief.ReplaceLineEndings(" ")).Append("\n\n")
            .Append(culture, $"Plan `{result.Plan.PlanId}` · {result.Status} · {result.Succeeded} done, {result.Failed} failed of {result.Posts.Count}")
            .Append(culture, $" · average score {result.AverageScore:F1}/100 ({result.Trend.ToString().ToLowerInvariant()})\n\n")
            .Append(culture, $"Learning context: {result.Context.Total:N0} tokens in all (largest prompt {result.Context.LargestPerPost:N0}); ")
            .Append(culture, $"without compaction {result.Context.UncompactedTotal:N0} (largest {result.Context.UncompactedLargestPerPost:N0}).\n\n");
        foreach (var post in result.Posts)
        {
            text.Append(culture, $"## {post.Index}. {post.Spec.Topic} · {post.Spec.Platform} · {post.Spec.Angle}\n\n");
            switch (post.Status)
            {
                case PostStatus.Done:
                    text.Append(culture, $"**Score {post.Score!.Overall:F1}/100**: ")
                        .AppendJoin(", ", post.Score.Breakdown.Select(c => string.Create(culture, $"{c.Criterion} {c.Score:F1}")))
                        .Append("\n\n").Append(post.Text).Append("\n\n");
                    break;
                case PostStatus.Failed:
                    text.Append("**Failed**: ").Append(post.Error).Append("\n\n");
                    break;
                default:
                    text.Append("*Not written (").Append(post.Status.ToString().ToLowerInvariant()).Append(").*\n\n");
                    break;
            }
        }

        if (result.Learnings.Count > 0)
        {
            text.Append("## Learnings\n\n");
            foreach (var learning in result.Learnings)
            {
                text.Append("- ").Append(learning.Kind.ToString()).Append(": ").Append(learning.Text).Append('\n');
            }
        }

        return text.ToString();
    }
}
