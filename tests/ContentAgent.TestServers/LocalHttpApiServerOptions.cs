namespace ContentAgent.Tests.Servers;

/// <summary>How a <see cref="LocalHttpApiServer"/> behaves.</summary>
public sealed class LocalHttpApiServerOptions
{
    /// <summary>When set, <c>POST /api/v1/statuses</c> answers 401 unless <c>Authorization: Bearer &lt;token&gt;</c>; when null, any request is accepted.</summary>
    public string? MastodonAccessToken { get; init; }

    /// <summary>When set, <c>POST /crm/v3/objects/notes</c> answers 401 unless <c>Authorization: Bearer &lt;token&gt;</c>;
    /// when null, any bearer token is accepted (but one is required, as HubSpot requires one).</summary>
    public string? HubSpotAccessToken { get; init; }

    /// <summary>When set, <c>POST /webhook/{name}</c> answers 401 unless <c>Authorization: Bearer &lt;token&gt;</c>; when null, no check.</summary>
    public string? WebhookAccessToken { get; init; }

    /// <summary>The clock for <see cref="HttpApiRequest.ReceivedAt"/>, timestamps in answers, and Mastodon's "at least five minutes ahead" rule for <c>scheduled_at</c>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
