using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ContentAgent.Batches;

namespace ContentAgent.Delivery.Execution;

/// <summary>Turns a finished batch into items: one per done post, channel and target, scheduled one interval apart.</summary>
internal static class ExecutionPlanner
{
    public const string Email = "email";
    public const string Social = "social";
    public const string Crm = "crm";

    public static readonly IReadOnlyList<string> KnownChannels = [Email, Social, Crm];

    public static IReadOnlyList<ExecutionItem> Plan(BatchResult batch, ExecutionOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var channels = Channels(options);
        var start = options.ScheduleStart ?? now;
        var items = new List<ExecutionItem>();
        var ordinal = 0;
        foreach (var post in batch.Posts.Where(static p => p.Status == PostStatus.Done && p.Text is not null).OrderBy(static p => p.Index))
        {
            var scheduledAt = start + (options.ScheduleInterval * ordinal++);
            var platform = post.Spec.Platform.ToString();
            var subject = string.Create(CultureInfo.InvariantCulture, $"{platform} post {post.Index}: {OneLine(post.Spec.Topic)}");
            foreach (var channel in channels)
            {
                foreach (var target in Targets(channel, options))
                {
                    items.Add(new ExecutionItem(Key(batch.Plan.TenantId, batch.Plan.PlanId, post.Index, channel, target), batch.Plan.PlanId, batch.Plan.TenantId, post.Index, channel, target, platform, subject, post.Text!, scheduledAt));
                }
            }
        }

        return items;
    }

    /// <summary>The channels, lower case, without repeats, in the order given.</summary>
    public static IReadOnlyList<string> Channels(ExecutionOptions options) =>
        [.. options.Channels.Select(static c => c.Trim().ToLowerInvariant()).Where(static c => c.Length > 0).Distinct(StringComparer.Ordinal)];

    /// <summary>The deterministic idempotency key: the same tenant, plan, post, channel and target always give the same key.</summary>
    public static string Key(string tenantId, string planId, int postIndex, string channel, string target) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{tenantId}\n{planId}\n{postIndex}\n{channel}\n{target}"))))[..32];

    private static IEnumerable<string> Targets(string channel, ExecutionOptions options) => channel switch
    {
        Email => options.Email.To.Select(static t => t.Trim()).Where(static t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase),
        Social => [options.Social.Endpoint?.ToString() ?? Social],
        Crm => [string.Equals(options.Crm.Kind, "Csv", StringComparison.OrdinalIgnoreCase) ? options.Crm.CsvPath ?? Crm : options.Crm.Endpoint?.ToString() ?? Crm],
        _ => [],
    };

    private static string OneLine(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= 80 ? line : string.Concat(line.AsSpan(0, 79), "…");
    }
}
