using Polly;
using Polly.Retry;

namespace ContentAgent.Resilience;

/// <summary>The one retry ContentAgent builds: transient failures only, exponential backoff with jitter, a provider's <c>Retry-After</c> first.</summary>
public static class TransientRetryExtensions
{
    /// <summary>
    /// Adds retries of transient failures (<see cref="TransientFailures.IsTransient(Exception)"/>): up to
    /// <paramref name="maxAttempts"/> attempts in all, exponential backoff with jitter from <paramref name="baseDelay"/>,
    /// or the wait the failure asked for (<see cref="TransientFailures.RetryAfter(Exception)"/>). With one attempt nothing is added.
    /// </summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="maxAttempts">The attempts in all, the first one included.</param>
    /// <param name="baseDelay">The first retry's delay; later ones grow exponentially.</param>
    /// <returns>The builder.</returns>
    public static ResiliencePipelineBuilder AddTransientRetry(this ResiliencePipelineBuilder builder, int maxAttempts, TimeSpan baseDelay)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfNegative(baseDelay.Ticks, nameof(baseDelay));
        if (maxAttempts <= 1)
        {
            return builder;
        }

        return builder.AddRetry(new RetryStrategyOptions
        {
            Name = "TransientRetry",
            MaxRetryAttempts = maxAttempts - 1,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = baseDelay,
            ShouldHandle = new PredicateBuilder().Handle<Exception>(TransientFailures.IsTransient),
            DelayGenerator = static args => new ValueTask<TimeSpan?>(TransientFailures.RetryAfter(args.Outcome.Exception)),
        });
    }
}
