using System.Net;
using ContentAgent.Providers;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace ContentAgent.Tests.Providers;

public sealed class ChatFailuresTests
{
    [Theory]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    public void Classify_HttpStatus_IsTransientOnlyForTimeoutsThrottlingAndServerErrors(int status, bool transient)
    {
        var failure = ChatFailures.Classify(new HttpRequestException("boom", null, (HttpStatusCode)status), secret: null);

        Assert.NotNull(failure);
        Assert.Equal(transient, failure.IsTransient);
        Assert.Equal(status, failure.StatusCode);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_401_NamesTheSettingToFix()
    {
        var failure = ChatFailures.Classify(new HttpRequestException("Unauthorized", null, HttpStatusCode.Unauthorized), secret: null);

        Assert.Contains("ContentAgent:Chat:ApiKey", failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_ConnectionFailures_AreTransient()
    {
        Assert.True(ChatFailures.Classify(new HttpRequestException("Connection refused"), null)!.IsTransient);
        Assert.True(ChatFailures.Classify(new IOException("reset"), null)!.IsTransient);
        Assert.True(ChatFailures.Classify(new System.Text.Json.JsonException("bad"), null)!.IsTransient);
        Assert.True(ChatFailures.Classify(new TaskCanceledException("timeout", new TimeoutException()), null)!.IsTransient);
    }

    [Fact]
    public void Classify_CancellationAndUnknownExceptions_AreNotProviderFailures()
    {
        Assert.Null(ChatFailures.Classify(new OperationCanceledException(), null));
        Assert.Null(ChatFailures.Classify(new InvalidOperationException("ours"), null));
    }

    [Fact]
    public void IsTransient_DecidesRetriesForEveryKindOfFailure()
    {
        Assert.True(ChatFailures.IsTransient(new TimeoutRejectedException()));
        Assert.True(ChatFailures.IsTransient(new InvalidOperationException("The chat client returned an empty post.")));
        Assert.True(ChatFailures.IsTransient(new ChatProviderException("503", isTransient: true)));
        Assert.False(ChatFailures.IsTransient(new ChatProviderException("400", isTransient: false)));
        Assert.False(ChatFailures.IsTransient(ChatFailures.ContentFiltered()));
        Assert.False(ChatFailures.IsTransient(new BrokenCircuitException()));
        Assert.False(ChatFailures.IsTransient(new OperationCanceledException()));
        Assert.False(ChatFailures.IsTransient(new ArgumentException("a bug")));
    }

    [Fact]
    public void RetryAfter_ReadsMillisecondsSecondsAndDates()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(1500), ChatFailures.RetryAfter(name => name == "retry-after-ms" ? "1500" : "9"));
        Assert.Equal(TimeSpan.FromSeconds(7), ChatFailures.RetryAfter(name => name == "Retry-After" ? "7" : null));
        var date = TimeProvider.System.GetUtcNow().AddSeconds(30).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(ChatFailures.RetryAfter(name => name == "Retry-After" ? date : null)!.Value, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(31));
        Assert.Null(ChatFailures.RetryAfter(_ => null));
        Assert.Null(ChatFailures.RetryAfter(name => name == "Retry-After" ? "soon" : null));
    }

    [Fact]
    public void Scrub_RemovesTheKeyAndKeyShapedStrings()
    {
        const string Key = "ca-live-0123456789abcdef";
        var text = ChatFailures.Scrub($"Incorrect API key provided: {Key}. Also sk-proj-abcdefghijkl and Bearer abcdefghijk.", Key);

        Assert.DoesNotContain(Key, text, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-proj-abcdefghijkl", text, StringComparison.Ordinal);
        Assert.DoesNotContain("abcdefghijk", text, StringComparison.Ordinal);
        Assert.Contains("[redacted]", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_ProviderMessageHoldingTheKey_IsScrubbed()
    {
        const string Key = "ca-live-0123456789abcdef";
        var failure = ChatFailures.Classify(new HttpRequestException($"Incorrect API key provided: {Key}", null, HttpStatusCode.Unauthorized), Key);

        Assert.DoesNotContain(Key, failure!.Message, StringComparison.Ordinal);
    }
}
