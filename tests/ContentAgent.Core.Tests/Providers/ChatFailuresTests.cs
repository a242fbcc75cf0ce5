using System.Net;
using ContentAgent.Providers;

namespace ContentAgent.Tests.Providers;

public sealed class ChatFailuresTests
{
    [Theory]
    [InlineData(408, true)]
    [InlineData(409, true)]
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
        var failure = ChatFailures.Classify(new HttpRequestException("boom", null, (HttpStatusCode)status), secret: null, TimeProvider.System);

        Assert.NotNull(failure);
        Assert.Equal(transient, failure.IsTransient);
        Assert.Equal(status, failure.StatusCode);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_401_NamesTheSettingToFix()
    {
        var failure = ChatFailures.Classify(new HttpRequestException("Unauthorized", null, HttpStatusCode.Unauthorized), secret: null, TimeProvider.System);

        Assert.Contains("ContentAgent:Chat:ApiKey", failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_ConnectionFailures_AreTransient()
    {
        Assert.True(ChatFailures.Classify(new HttpRequestException("Connection refused"), null, TimeProvider.System)!.IsTransient);
        Assert.True(ChatFailures.Classify(new IOException("reset"), null, TimeProvider.System)!.IsTransient);
        Assert.True(ChatFailures.Classify(new System.Text.Json.JsonException("bad"), null, TimeProvider.System)!.IsTransient);
        Assert.True(ChatFailures.Classify(new TaskCanceledException("timeout", new TimeoutException()), null, TimeProvider.System)!.IsTransient);
    }

    [Fact]
    public void Classify_CancellationAndUnknownExceptions_AreNotProviderFailures()
    {
        Assert.Null(ChatFailures.Classify(new OperationCanceledException(), null, TimeProvider.System));
        Assert.Null(ChatFailures.Classify(new InvalidOperationException("ours"), null, TimeProvider.System));
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
        var failure = ChatFailures.Classify(new HttpRequestException($"Incorrect API key provided: {Key}", null, HttpStatusCode.Unauthorized), Key, TimeProvider.System);

        Assert.DoesNotContain(Key, failure!.Message, StringComparison.Ordinal);
    }
}
