using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContentAgent.Tests.Servers;

/// <summary>A request <see cref="LocalHttpApiServer"/> received, recorded before any fault or answer.</summary>
/// <param name="Sequence">1-based, in arrival order over the server's life.</param>
/// <param name="ReceivedAt">When it arrived (from <see cref="LocalHttpApiServerOptions.TimeProvider"/>).</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The request path, e.g. <c>/api/v1/statuses</c>.</param>
/// <param name="Headers">Every request header (multiple values joined with ","), case-insensitive keys.</param>
/// <param name="Body">The body as received.</param>
public sealed record HttpApiRequest(int Sequence, DateTimeOffset ReceivedAt, string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>A header's value, or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The body parsed as JSON, or null when it is not JSON.</summary>
    public JsonNode? Json()
    {
        try
        {
            return string.IsNullOrWhiteSpace(Body) ? null : JsonNode.Parse(Body);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>Something <see cref="LocalHttpApiServer"/> created: a webhook delivery, a Mastodon status, a HubSpot note.
/// A request answered from Mastodon's idempotency cache, or refused, or faulted, creates nothing.</summary>
/// <param name="Api"><c>"webhook"</c>, <c>"mastodon"</c> or <c>"hubspot"</c>.</param>
/// <param name="Id">The id the server answered with.</param>
/// <param name="RequestSequence">The <see cref="HttpApiRequest.Sequence"/> of the request that created it.</param>
/// <param name="Path">The request path (for webhooks, <c>/webhook/{name}</c>).</param>
/// <param name="IdempotencyKey">The request's <c>Idempotency-Key</c>, if any.</param>
/// <param name="Fields">The body's fields as strings: the webhook's top-level properties; Mastodon's form or JSON
/// parameters (<c>status</c>, <c>visibility</c>, <c>scheduled_at</c>, ...); HubSpot's <c>properties</c>.</param>
/// <param name="CreatedAt">When it was created.</param>
public sealed record HttpApiObject(string Api, string Id, int RequestSequence, string Path, string? IdempotencyKey, IReadOnlyDictionary<string, string?> Fields, DateTimeOffset CreatedAt);
