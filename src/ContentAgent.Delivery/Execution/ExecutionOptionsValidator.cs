using System.Globalization;
using ContentAgent.Delivery.Execution.Email;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ContentAgent.Delivery.Execution;

/// <summary>Validates <see cref="ExecutionOptions"/>' data annotations (source-generated).</summary>
[OptionsValidator]
internal sealed partial class ExecutionOptionsValidator : IValidateOptions<ExecutionOptions>
{
}

/// <summary>
/// Reads <c>EXECUTION_ENABLED</c>, <c>EXECUTION_DRY_RUN</c> and <c>EXECUTION_CHANNELS</c> over the bound section; a value that
/// cannot be read is kept for the validator, which names it.
/// </summary>
internal sealed class ExecutionEnvironment(IConfiguration configuration) : IPostConfigureOptions<ExecutionOptions>
{
    public void PostConfigure(string? name, ExecutionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (configuration["EXECUTION_ENABLED"] is { } enabled)
        {
            options.Enabled = Flag("EXECUTION_ENABLED", enabled, options.Enabled, options);
        }

        if (configuration["EXECUTION_DRY_RUN"] is { } dryRun)
        {
            options.DryRun = Flag("EXECUTION_DRY_RUN", dryRun, options.DryRun, options);
        }

        if (configuration["EXECUTION_CHANNELS"] is { } channels)
        {
            options.Channels.Clear();
            foreach (var channel in channels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                options.Channels.Add(channel);
            }
        }
    }

    private static bool Flag(string variable, string value, bool current, ExecutionOptions options)
    {
        switch (value.Trim().ToLowerInvariant())
        {
            case "true" or "1" or "yes" or "on":
                return true;
            case "false" or "0" or "no" or "off":
                return false;
            default:
                options.EnvironmentErrors.Add($"{variable}: '{value}' is not true or false (use true/false, 1/0, yes/no or on/off).");
                return current;
        }
    }
}

/// <summary>Validates the rules of <see cref="ExecutionOptions"/> that span fields; a channel's settings only matter when execution is enabled and the channel is used.</summary>
internal sealed class ExecutionOptionsCrossValidator : IValidateOptions<ExecutionOptions>
{
    private const string Prefix = "ContentAgent:Execution:";

    public ValidateOptionsResult Validate(string? name, ExecutionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>(options.EnvironmentErrors);
        var channels = ExecutionPlanner.Channels(options);
        foreach (var channel in channels.Where(static c => !ExecutionPlanner.KnownChannels.Contains(c)))
        {
            failures.Add($"{Prefix}Channels (or EXECUTION_CHANNELS): '{channel}' is not a channel; use {string.Join(", ", ExecutionPlanner.KnownChannels)}.");
        }

        if (channels.Count == 0)
        {
            failures.Add($"{Prefix}Channels (or EXECUTION_CHANNELS) is empty; name at least one of {string.Join(", ", ExecutionPlanner.KnownChannels)}.");
        }

        if (options.Enabled)
        {
            if (channels.Contains(ExecutionPlanner.Email))
            {
                Email(options.Email, failures);
            }

            if (channels.Contains(ExecutionPlanner.Social))
            {
                Http(options.Social, "Social", ["Webhook", "Mastodon"], tokenRequiredFor: ["Mastodon"], failures);
            }

            if (channels.Contains(ExecutionPlanner.Crm))
            {
                Http(options.Crm, "Crm", ["Webhook", "HubSpot", "Csv"], tokenRequiredFor: ["HubSpot"], failures);
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Email(EmailChannelOptions email, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(email.Host))
        {
            failures.Add($"{Prefix}Email:Host is required when execution is enabled with the email channel; set the SMTP server's host name.");
        }

        if (!Enum.TryParse<MailKit.Security.SecureSocketOptions>(email.Tls, ignoreCase: true, out _))
        {
            failures.Add($"{Prefix}Email:Tls: '{email.Tls}' is not a TLS mode; use None, StartTls, StartTlsWhenAvailable, SslOnConnect or Auto.");
        }

        if (!EmailAddress.IsValid(email.From))
        {
            failures.Add($"{Prefix}Email:From: '{email.From}' is not an email address; use for example news@contoso.com or \"Contoso\" <news@contoso.com>.");
        }

        // No recipient here is allowed: a run can bring its own (ExecutionRequest.EmailRecipients); a run with none has its
        // email channel fail in the report, naming both places.
        foreach (var to in email.To.Where(static t => !EmailAddress.IsValid(t)))
        {
            failures.Add($"{Prefix}Email:To: '{to}' is not an email address.");
        }
    }

    private static void Http(HttpChannelOptions http, string channel, string[] kinds, string[] tokenRequiredFor, List<string> failures)
    {
        var kind = kinds.FirstOrDefault(k => string.Equals(k, http.Kind, StringComparison.OrdinalIgnoreCase));
        if (kind is null)
        {
            failures.Add($"{Prefix}{channel}:Kind: '{http.Kind}' is not supported; use {string.Join(", ", kinds)}.");
            return;
        }

        if (kind == "Csv")
        {
            if (string.IsNullOrWhiteSpace(http.CsvPath))
            {
                failures.Add($"{Prefix}{channel}:CsvPath is required for the Csv kind; name the file the CRM imports.");
            }

            return;
        }

        if (http.Endpoint is not { IsAbsoluteUri: true } endpoint || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Prefix}{channel}:Endpoint must be an absolute http or https address for the {kind} kind."));
        }

        if (tokenRequiredFor.Contains(kind) && string.IsNullOrWhiteSpace(http.AccessToken))
        {
            failures.Add($"{Prefix}{channel}:AccessToken is required for the {kind} kind; set it from the environment (ContentAgent__Execution__{channel}__AccessToken).");
        }
    }
}
