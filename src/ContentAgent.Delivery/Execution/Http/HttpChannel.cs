namespace ContentAgent.Delivery.Execution.Http;

/// <summary>What the gateways of one HTTP channel share: its name, its configuration keys, and its API shapes.</summary>
internal sealed class HttpChannel
{
    public const string Webhook = "Webhook";
    public const string Mastodon = "Mastodon";
    public const string HubSpot = "HubSpot";
    public const string Csv = "Csv";

    public static readonly HttpChannel Social = new("social", "social", "Social", [Webhook, Mastodon]);
    public static readonly HttpChannel Crm = new("crm", "CRM", "Crm", [Webhook, HubSpot, Csv]);

    private readonly string[] _kinds;

    private HttpChannel(string name, string displayName, string section, string[] kinds)
    {
        Name = name;
        DisplayName = displayName;
        Section = section;
        _kinds = kinds;
    }

    /// <summary>Gets the channel's name, as <see cref="IExecutionGateway.Channel"/>.</summary>
    public string Name { get; }

    /// <summary>Gets the name messages use (<c>social</c>, <c>CRM</c>).</summary>
    public string DisplayName { get; }

    /// <summary>Gets the options section under <c>ContentAgent:Execution</c>.</summary>
    public string Section { get; }

    /// <summary>Gets the configuration key of one of the channel's settings, for messages.</summary>
    public string Key(string setting) => $"ContentAgent:{ExecutionOptions.SectionName}:{Section}:{setting}";

    /// <summary>Gets the canonical spelling of a configured kind (case-insensitive), or <see langword="null"/> when the channel has no such shape.</summary>
    public string? Resolve(string? kind) =>
        Array.Find(_kinds, k => string.Equals(k, kind?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Gets the kind for reports: the shape in lower case, or what was configured when it is unknown.</summary>
    public string Describe(string? kind) => Resolve(kind) switch
    {
        Webhook => "webhook",
        Mastodon => "mastodon",
        HubSpot => "hubspot",
        Csv => "csv",
        _ => kind ?? string.Empty,
    };

    /// <summary>Gets the error for a kind the channel does not have (not transient: the configuration must change).</summary>
    public GatewayException UnknownKind(string? kind) =>
        new($"{Key("Kind")} is '{kind}', which the {DisplayName} channel does not know; use one of {string.Join(", ", _kinds)}.", isTransient: false);

    /// <summary>Gets the error for a setting the kind needs and the configuration lacks.</summary>
    public GatewayException Missing(string setting, string kind) =>
        new($"{Key(setting)} is not set; the {DisplayName} channel's {kind} kind needs it.", isTransient: false);
}
