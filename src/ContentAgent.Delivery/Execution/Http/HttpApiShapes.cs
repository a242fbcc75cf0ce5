using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ContentAgent.Delivery.Execution.Http;

/// <summary>The requests of the HTTP API shapes: a generic JSON webhook, Mastodon's statuses API, HubSpot's notes API.</summary>
internal static class HttpApiShapes
{
    /// <summary>Mastodon's default status length, in characters (grapheme clusters).</summary>
    public const int MastodonMaxLength = 500;

    /// <summary>Mastodon refuses a <c>scheduled_at</c> that is not more than five minutes ahead; nearer items are posted at once.</summary>
    public static readonly TimeSpan MastodonMinimumSchedule = TimeSpan.FromMinutes(5);

    /// <summary>
    /// What a scheduled item keeps ahead of Mastodon's five minutes, for the request's way there and clock skew: an item
    /// five to six minutes ahead is scheduled six minutes ahead (a little late) rather than refused for good with a 422.
    /// </summary>
    public static readonly TimeSpan MastodonScheduleMargin = TimeSpan.FromMinutes(1);

    private const string IdempotencyKey = "Idempotency-Key";

    /// <summary>A JSON POST of the whole item to the webhook, with its idempotency key and, when configured, a bearer token.</summary>
    public static HttpGatewayCall Webhook(Uri endpoint, string? token, ExecutionItem item) => new(
        "webhook",
        () => Post(endpoint, token, item.Key, writer =>
        {
            writer.WriteString("key", item.Key);
            writer.WriteString("planId", item.PlanId);
            writer.WriteString("tenantId", item.TenantId);
            writer.WriteNumber("postIndex", item.PostIndex);
            writer.WriteString("channel", item.Channel);
            writer.WriteString("platform", item.Platform);
            writer.WriteString("subject", item.Subject);
            writer.WriteString("text", item.Text);
            writer.WriteString("scheduledAt", Iso(item.ScheduledAt));
        }),
        [token, item.Text],
        IdFromHeaders: true);

    /// <summary>
    /// <c>POST /api/v1/statuses</c>: the text (shortened to 500 characters), public, scheduled when the item is at least five
    /// minutes ahead. Mastodon honours <c>Idempotency-Key</c>: a repeated key returns the first status.
    /// </summary>
    public static HttpGatewayCall Mastodon(Uri endpoint, string token, ExecutionItem item, DateTimeOffset now)
    {
        var status = Shorten(item.Text, MastodonMaxLength);
        var earliest = now + MastodonMinimumSchedule + MastodonScheduleMargin;
        var scheduledAt = item.ScheduledAt - now < MastodonMinimumSchedule ? null
            : Iso(item.ScheduledAt > earliest ? item.ScheduledAt : earliest);
        return new(
            "mastodon",
            () => Post(Combine(endpoint, "api/v1/statuses"), token, item.Key, writer =>
            {
                writer.WriteString("status", status);
                writer.WriteString("visibility", "public");
                if (scheduledAt is not null)
                {
                    writer.WriteString("scheduled_at", scheduledAt);
                }
            }),
            [token, item.Text, status],
            IdFromHeaders: false);
    }

    /// <summary><c>POST /crm/v3/objects/notes</c> with <c>hs_timestamp</c> and <c>hs_note_body</c>. HubSpot ignores idempotency keys.</summary>
    public static HttpGatewayCall HubSpot(Uri endpoint, string token, ExecutionItem item)
    {
        var body = string.IsNullOrWhiteSpace(item.Subject) ? item.Text : $"{item.Subject}\n\n{item.Text}";
        return new(
            "hubspot",
            () => Post(Combine(endpoint, "crm/v3/objects/notes"), token, item.Key, writer =>
            {
                writer.WriteStartObject("properties");
                writer.WriteString("hs_timestamp", Iso(item.ScheduledAt));
                writer.WriteString("hs_note_body", body);
                writer.WriteEndObject();
            }),
            [token, item.Text, body],
            IdFromHeaders: false);
    }

    /// <summary>ISO 8601 in UTC, to the millisecond: <c>2026-11-23T07:00:00.000Z</c>.</summary>
    public static string Iso(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The text itself when it has at most <paramref name="max"/> characters (grapheme clusters, as Mastodon counts); else its start and an ellipsis, <paramref name="max"/> in all.</summary>
    public static string Shorten(string text, int max)
    {
        var info = new StringInfo(text);
        if (info.LengthInTextElements <= max)
        {
            return text;
        }

        return info.SubstringByTextElements(0, max - 1).TrimEnd() + "\u2026";
    }

    /// <summary>A path under a base address, whether or not the base ends with a slash.</summary>
    public static Uri Combine(Uri endpoint, string relative)
    {
        var root = endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        return new Uri(root, relative);
    }

    private static HttpRequestMessage Post(Uri uri, string? token, string key, Action<Utf8JsonWriter> properties)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            properties(writer);
            writer.WriteEndObject();
        }

        var content = new ByteArrayContent(buffer.WrittenSpan.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.TryAddWithoutValidation(IdempotencyKey, key);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }
}
