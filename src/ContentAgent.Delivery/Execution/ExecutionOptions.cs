using System.ComponentModel.DataAnnotations;

using Microsoft.Extensions.Options;

namespace ContentAgent.Delivery.Execution;

/// <summary>
/// Options of plan execution, bound from <c>ContentAgent:Execution</c> and the environment (<c>EXECUTION_ENABLED</c>,
/// <c>EXECUTION_DRY_RUN</c>, <c>EXECUTION_CHANNELS</c>) and validated at start. Safe by default: disabled, dry-run, email only.
/// </summary>
public sealed class ExecutionOptions
{
    /// <summary>The configuration section, under <c>ContentAgent</c>, the options bind from.</summary>
    public const string SectionName = "Execution";

    /// <summary>Gets or sets whether execution may send anything at all. When off, a run sends nothing and its report says so.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Enabled { get; set; }

    /// <summary>Gets or sets whether a run only says what it would send. A run can override it.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool DryRun { get; set; } = true;

    /// <summary>Gets the channels a run uses: <c>email</c>, <c>social</c>, <c>crm</c>.</summary>
    /// <value>The default value is <c>email</c> only.</value>
    public IList<string> Channels { get; } = ["email"];

    /// <summary>Gets or sets when the first item is scheduled; <see langword="null"/> is the time of the run.</summary>
    public DateTimeOffset? ScheduleStart { get; set; }

    /// <summary>Gets or sets the time between consecutive posts' schedule times.</summary>
    /// <value>The default value is one day.</value>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan ScheduleInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Gets or sets the longest one send may take before it counts as a transient failure.</summary>
    /// <value>The default value is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how many times a send is attempted when it fails transiently (timeouts, 408/429/5xx, SMTP 4xx, dropped connections).</summary>
    /// <value>The default value is 3.</value>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Gets or sets the first retry delay; later ones grow exponentially, with jitter.</summary>
    /// <value>The default value is 1 second.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets the environment values that could not be read, for the validator to name.</summary>
    internal List<string> EnvironmentErrors { get; } = [];

    /// <summary>Gets the email channel's settings.</summary>
    [ValidateObjectMembers]
    public EmailChannelOptions Email { get; } = new();

    /// <summary>Gets the social channel's settings.</summary>
    public HttpChannelOptions Social { get; } = new();

    /// <summary>Gets the CRM channel's settings.</summary>
    public HttpChannelOptions Crm { get; } = new();
}

/// <summary>How email goes out: an SMTP server, through MailKit.</summary>
public sealed class EmailChannelOptions
{
    /// <summary>Gets or sets the SMTP server's host name. Required when email is used and execution is enabled.</summary>
    public string? Host { get; set; }

    /// <summary>Gets or sets the SMTP port.</summary>
    /// <value>The default value is 587.</value>
    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>Gets or sets the TLS mode: <c>None</c>, <c>StartTls</c>, <c>StartTlsWhenAvailable</c>, <c>SslOnConnect</c> or <c>Auto</c>.</summary>
    /// <value>The default value is <c>StartTls</c>.</value>
    public string Tls { get; set; } = "StartTls";

    /// <summary>Gets or sets the user name, when the server wants one.</summary>
    public string? UserName { get; set; }

    /// <summary>Gets or sets the password (from the environment or a secret store; never logged or reported).</summary>
    public string? Password { get; set; }

    /// <summary>Gets or sets the sender address, for example <c>"Contoso Marketing" &lt;news@contoso.com&gt;</c>.</summary>
    public string? From { get; set; }

    /// <summary>Gets the recipients every post goes to (one item per recipient).</summary>
    public IList<string> To { get; } = [];

    /// <summary>Gets or sets text put before each subject.</summary>
    [MaxLength(200)]
    public string? SubjectPrefix { get; set; }
}

/// <summary>How a channel posts over HTTP.</summary>
public sealed class HttpChannelOptions
{
    /// <summary>
    /// Gets or sets the API shape: <c>Webhook</c> (a JSON POST with an <c>Idempotency-Key</c> header) for either channel;
    /// <c>Mastodon</c> (statuses API) for social; <c>HubSpot</c> (notes API) or <c>Csv</c> (a file for CRMs that import) for CRM.
    /// </summary>
    /// <value>The default value is <c>Webhook</c>.</value>
    public string Kind { get; set; } = "Webhook";

    /// <summary>Gets or sets the endpoint: the webhook URL, or the API's base address (for example <c>https://mastodon.social/</c>).</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Gets or sets the bearer token (never logged or reported).</summary>
    public string? AccessToken { get; set; }

    /// <summary>Gets or sets the file a <c>Csv</c> CRM export writes (text a spreadsheet would run as a formula is written with a leading apostrophe).</summary>
    public string? CsvPath { get; set; }
}
