using System.Text.Json.Serialization;

namespace ContentAgent.Delivery.Exporting;

/// <summary>One post as <c>posts.json</c> carries it.</summary>
internal sealed record PostDocument(
    int Index,
    string Platform,
    string Topic,
    string Angle,
    string Status,
    string? Text,
    double? Score,
    IReadOnlyDictionary<string, double>? Breakdown,
    IReadOnlyDictionary<string, string>? Reasons,
    string? Scorer,
    int Attempts,
    string? Error,
    IReadOnlyList<string> PriorErrors,
    IReadOnlyList<string> Learnings,
    int ContextTokens,
    long UncompactedContextTokens,
    long InputTokens,
    long OutputTokens,
    decimal? Cost,
    double DurationMs,
    DateTimeOffset? CompletedAt);

/// <summary>The batch as <c>summary.json</c> carries it.</summary>
internal sealed record SummaryDocument(
    string PlanId,
    string TenantId,
    string Brief,
    string Status,
    int Posts,
    int Succeeded,
    int Failed,
    double AverageScore,
    string Trend,
    ContextTokensDocument LearningContextTokens,
    int Compactions,
    long InputTokens,
    long OutputTokens,
    long TotalTokens,
    decimal? EstimatedCost,
    string? StopReason,
    double DurationSeconds,
    DateTimeOffset CreatedAt,
    IReadOnlyList<string> Learnings);

/// <summary>The learning-context token figures of <c>summary.json</c>.</summary>
internal sealed record ContextTokensDocument(long Total, int LargestPerPost, UncompactedTokensDocument WithoutCompaction, double Savings);

/// <summary>The token figures the batch would have had without compaction.</summary>
internal sealed record UncompactedTokensDocument(long Total, long LargestPerPost);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(List<PostDocument>))]
[JsonSerializable(typeof(SummaryDocument))]
internal sealed partial class ExportJsonContext : JsonSerializerContext;
