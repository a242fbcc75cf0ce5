using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ContentAgent.Batches;
using ContentAgent.Delivery.Execution.Email;

namespace ContentAgent.Delivery.Execution;

/// <summary>Turns a finished batch into items: one per done post, channel and target, scheduled one interval apart.</summary>
internal static class ExecutionPlanner
{
    public const string Email = "email";
    public const string Social = "social";
    public const string Crm = "crm";

    public static readonly IReadOnlyList<string> KnownChannels = [Email, Social, Crm];

    /// <param name="batch">The batch.</param>
    /// <param name="options">The channels, targets and schedule.</param>
    /// <param name="recipients">The run's email recipients (<see cref="Recipients"/>).</param>
    /// <param name="now">When the schedule starts, unless the options set it.</param>
    public static IReadOnlyList<ExecutionItem> Plan(BatchResult batch, ExecutionOptions options, IReadOnlyList<string> recipients, DateTimeOffset now)
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
                foreach (var target in Targets(channel, options, recipients))
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

    /// <summary>
    /// The email recipients of a run: the request's, else the configured ones; trimmed, without repeats. A request's
    /// addresses are checked here, before anything is planned or sent (the configured ones were checked at start).
    /// </summary>
    /// <exception cref="ArgumentException">A request's recipient is not an email address.</exception>
    public static IReadOnlyList<string> Recipients(ExecutionOptions options, ExecutionRequest? request)
    {
        if (request?.EmailRecipients is { } requested)
        {
            var invalid = requested.Where(static r => !EmailAddress.IsValid(r)).ToList();
            if (invalid.Count > 0)
            {
                throw new ArgumentException(
                    $"The run's email recipients (ExecutionRequest.EmailRecipients; console: execute --to) hold what is not an email address: {string.Join(", ", invalid.Select(static r => $"'{r}'"))}. Use for example ana@contoso.com.");
            }
        }

        return [.. (request?.EmailRecipients ?? [.. options.Email.To]).Select(static t => t.Trim()).Where(static t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    private static IEnumerable<string> Targets(string channel, ExecutionOptions options, IReadOnlyList<string> recipients) => channel switch
    {
        Email => recipients,
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
