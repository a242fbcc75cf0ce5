using Microsoft.Extensions.Options;

namespace ContentAgent.Providers;

/// <summary>Validates <see cref="ChatProviderOptions"/>' data annotations, nested ones included (source-generated).</summary>
[OptionsValidator]
internal sealed partial class ChatProviderOptionsValidator : IValidateOptions<ChatProviderOptions>
{
}

/// <summary>Validates the rules of <see cref="ChatProviderOptions"/> that span fields, naming the setting to fix. The key's value is never shown.</summary>
internal sealed class ChatProviderOptionsCrossValidator : IValidateOptions<ChatProviderOptions>
{
    private const string Prefix = "ContentAgent:Chat:";

    public ValidateOptionsResult Validate(string? name, ChatProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Endpoint is { } endpoint && (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)))
        {
            failures.Add($"{Prefix}Endpoint must be an absolute http or https address, for example https://api.openai.com/v1/ or http://localhost:11434/.");
        }

        if (options.Mode == ChatMode.Live)
        {
            if (string.IsNullOrWhiteSpace(options.Model))
            {
                failures.Add($"{Prefix}Model is required in live mode (for example gpt-4o-mini or llama3.1); set it in appsettings.json or the environment variable ContentAgent__Chat__Model.");
            }

            if (options.Provider == ChatProvider.OpenAI && string.IsNullOrWhiteSpace(options.ApiKey))
            {
                failures.Add($"{Prefix}ApiKey is required in live mode with the OpenAI-compatible provider; set the environment variable ContentAgent__Chat__ApiKey (a local server that checks no key accepts any value).");
            }
        }

        var limits = options.RateLimits;
        if (limits.Tokens > 0 && limits.Tokens < options.MaxOutputTokens * 2)
        {
            failures.Add($"{Prefix}RateLimits:Tokens ({limits.Tokens}) cannot hold one call (its prompt plus {Prefix}MaxOutputTokens = {options.MaxOutputTokens}); raise it to at least {options.MaxOutputTokens * 2} or set 0 for no limit.");
        }

        foreach (var (model, price) in options.Prices)
        {
            if (price is null || price.InputPerMillionTokens < 0 || price.OutputPerMillionTokens < 0)
            {
                failures.Add($"{Prefix}Prices:{model} must have InputPerMillionTokens and OutputPerMillionTokens of 0 or more.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
