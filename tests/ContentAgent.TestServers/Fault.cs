namespace ContentAgent.Tests.Servers;

/// <summary>The failures <see cref="LocalLlmServer"/> can inject into a request.</summary>
public enum FaultKind
{
    /// <summary>429 with an OpenAI-shaped <c>rate_limit_error</c>; <c>Retry-After</c> and <c>retry-after-ms</c> when <see cref="Fault.RetryAfter"/> is set.</summary>
    RateLimited,

    /// <summary>500 with an error body.</summary>
    ServerError,

    /// <summary>No answer at all until the client gives up (or the server is disposed).</summary>
    Hang,

    /// <summary>The connection is aborted without a response.</summary>
    DropConnection,

    /// <summary>200 <c>application/json</c> whose body is a truncated chat completion.</summary>
    MalformedJson,

    /// <summary>200 with a valid completion whose finish reason is <c>content_filter</c> and whose content is null.</summary>
    ContentFilter,

    /// <summary>400 <c>invalid_request_error</c>.</summary>
    BadRequest,

    /// <summary>401 <c>invalid_api_key</c>.</summary>
    Unauthorized,

    /// <summary>503 with an error body; <c>Retry-After</c> when <see cref="Fault.RetryAfter"/> is set.</summary>
    ServiceUnavailable,
}

/// <summary>A failure to inject into one request.</summary>
/// <param name="Kind">What goes wrong.</param>
/// <param name="RetryAfter">When set, sent as <c>Retry-After</c> (whole seconds, rounded up) and <c>retry-after-ms</c>.</param>
public sealed record Fault(FaultKind Kind, TimeSpan? RetryAfter = null)
{
    /// <summary>429, with <c>Retry-After</c>/<c>retry-after-ms</c> when <paramref name="retryAfter"/> is given.</summary>
    public static Fault RateLimited(TimeSpan? retryAfter = null) => new(FaultKind.RateLimited, retryAfter);

    /// <summary>500.</summary>
    public static Fault ServerError() => new(FaultKind.ServerError);

    /// <summary>503, with <c>Retry-After</c>/<c>retry-after-ms</c> when <paramref name="retryAfter"/> is given.</summary>
    public static Fault ServiceUnavailable(TimeSpan? retryAfter = null) => new(FaultKind.ServiceUnavailable, retryAfter);

    /// <summary>No answer until the client disconnects.</summary>
    public static Fault Hang() => new(FaultKind.Hang);

    /// <summary>Connection aborted without a response.</summary>
    public static Fault DropConnection() => new(FaultKind.DropConnection);

    /// <summary>200 with a truncated JSON body.</summary>
    public static Fault MalformedJson() => new(FaultKind.MalformedJson);

    /// <summary>200 with <c>finish_reason: content_filter</c> and no content.</summary>
    public static Fault ContentFilter() => new(FaultKind.ContentFilter);

    /// <summary>400.</summary>
    public static Fault BadRequest() => new(FaultKind.BadRequest);

    /// <summary>401.</summary>
    public static Fault Unauthorized() => new(FaultKind.Unauthorized);
}

/// <summary>Ready-made fault plans for <see cref="LocalLlmServer.Faults"/>. Each counts chat requests only
/// (<see cref="LlmRequest.IsChat"/>); other requests (model lists, version) never get a fault from them.</summary>
public static class FaultSchedule
{
    /// <summary>The same fault for every chat request.</summary>
    public static Func<LlmRequest, Fault?> Always(Fault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        return request => request.IsChat ? fault : null;
    }

    /// <summary>The i-th chat request (in arrival order) gets <paramref name="faults"/>[i]; null entries and
    /// requests past the end get none. E.g. <c>Sequence(Fault.RateLimited(1s), Fault.ServerError())</c>
    /// fails the first two calls and lets the rest through.</summary>
    public static Func<LlmRequest, Fault?> Sequence(params Fault?[] faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        var copy = faults.ToArray();
        var count = 0;
        return request =>
        {
            if (!request.IsChat)
            {
                return null;
            }

            var index = Interlocked.Increment(ref count) - 1;
            return index < copy.Length ? copy[index] : null;
        };
    }

    /// <summary>The first <paramref name="count"/> chat requests get <paramref name="fault"/>, the rest none.</summary>
    public static Func<LlmRequest, Fault?> FirstRequests(int count, Fault fault)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(fault);
        return Sequence(Enumerable.Repeat<Fault?>(fault, count).ToArray());
    }
}
