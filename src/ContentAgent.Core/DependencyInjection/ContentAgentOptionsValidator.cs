using Microsoft.Extensions.Options;

namespace ContentAgent;

/// <summary>Validates <see cref="ContentAgentOptions"/>' data annotations (source-generated, no reflection).</summary>
[OptionsValidator]
internal sealed partial class ContentAgentOptionsValidator : IValidateOptions<ContentAgentOptions>
{
}

/// <summary>Validates the rules of <see cref="ContentAgentOptions"/> that span several fields.</summary>
internal sealed class ContentAgentOptionsCrossValidator : IValidateOptions<ContentAgentOptions>
{
    public ValidateOptionsResult Validate(string? name, ContentAgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.CompactionTargetTokens >= options.LearningContextTokenBudget)
        {
            failures.Add(
                $"ContentAgent:CompactionTargetTokens ({options.CompactionTargetTokens}) must be below ContentAgent:LearningContextTokenBudget ({options.LearningContextTokenBudget}); lower the target or raise the budget.");
        }

        if (options.MaxParallelPosts > options.MaxPostsPerBatch)
        {
            failures.Add(
                $"ContentAgent:MaxParallelPosts ({options.MaxParallelPosts}) cannot exceed ContentAgent:MaxPostsPerBatch ({options.MaxPostsPerBatch}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
