using System.Net;
using System.Net.Sockets;
using ContentAgent.Providers;
using ContentAgent.Resilience;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace ContentAgent.Tests.Resilience;

public sealed class TransientFailuresTests
{
    [Theory]
    [InlineData(408, true)]
    [InlineData(409, true)]
    [InlineData(425, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(599, true)]
    [InlineData(200, false)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    [InlineData(422, false)]
    [InlineData(600, false)]
    public void IsTransientStatus_OneRuleForChatAndGateways(int status, bool transient) =>
        Assert.Equal(transient, TransientFailures.IsTransientStatus(status));

    [Fact]
    public void IsTransient_DecidesRetriesForEveryKindOfFailure()
    {
        Assert.True(TransientFailures.IsTransient(new TimeoutRejectedException()));
        Assert.True(TransientFailures.IsTransient(new InvalidOperationException("The chat client returned an empty post.")));
        Assert.True(TransientFailures.IsTransient(new ChatProviderException("503", isTransient: true)));
        Assert.True(TransientFailures.IsTransient(new HttpRequestException("boom", null, HttpStatusCode.BadGateway)));
        Assert.True(TransientFailures.IsTransient(new SocketException((int)SocketError.ConnectionReset)));
        Assert.True(TransientFailures.IsTransient(new IOException("reset")));
        Assert.False(TransientFailures.IsTransient(new HttpRequestException("boom", null, HttpStatusCode.BadRequest)));
        Assert.False(TransientFailures.IsTransient(new ChatProviderException("400", isTransient: false)));
        Assert.False(TransientFailures.IsTransient(ChatFailures.ContentFiltered()));
        Assert.False(TransientFailures.IsTransient(new BrokenCircuitException()));
        Assert.False(TransientFailures.IsTransient(new OperationCanceledException()));
        Assert.False(TransientFailures.IsTransient(new ArgumentException("a bug")));
        Assert.False(TransientFailures.IsTransient(new Failure(isTransient: false, null)));
        Assert.True(TransientFailures.IsTransient(new Failure(isTransient: true, null)));
    }

    [Fact]
    public void RetryAfter_IsReadFromTheTypedShapeOfTheFailureOrWhatItWraps()
    {
        Assert.Equal(TimeSpan.FromSeconds(3), TransientFailures.RetryAfter(new ChatProviderException("429", isTransient: true, 429, TimeSpan.FromSeconds(3))));
        Assert.Equal(TimeSpan.FromSeconds(4), TransientFailures.RetryAfter(new InvalidOperationException("wrapped", new Failure(true, TimeSpan.FromSeconds(4)))));
        Assert.Null(TransientFailures.RetryAfter(new IOException("no header")));
        Assert.Null(TransientFailures.RetryAfter(null));
    }

    [Fact]
    public void ParseRetryAfter_ReadsMillisecondsSecondsAndDates()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), TransientFailures.ParseRetryAfter(name => name == "retry-after-ms" ? "1500" : "9", time));
        Assert.Equal(TimeSpan.FromSeconds(7), TransientFailures.ParseRetryAfter(name => name == "Retry-After" ? "7" : null, time));
        var date = time.GetUtcNow().AddSeconds(30).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromSeconds(30), TransientFailures.ParseRetryAfter(name => name == "Retry-After" ? date : null, time));
        var past = time.GetUtcNow().AddSeconds(-30).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.Zero, TransientFailures.ParseRetryAfter(name => name == "Retry-After" ? past : null, time));
        Assert.Null(TransientFailures.ParseRetryAfter(_ => null, time));
        Assert.Null(TransientFailures.ParseRetryAfter(name => name == "Retry-After" ? "soon" : null, time));
        Assert.Null(TransientFailures.ParseRetryAfter(name => name == "Retry-After" ? "-5" : null, time));
    }

    [Fact]
    public void ParseRetryAfter_ReadsAnHttpResponse()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        response.Headers.TryAddWithoutValidation("Retry-After", "12");

        Assert.Equal(TimeSpan.FromSeconds(12), TransientFailures.ParseRetryAfter(response, TimeProvider.System));
    }

    [Fact]
    public async Task AddTransientRetry_RetriesTransientFailuresOnly_AndWaitsWhatTheFailureAsked()
    {
        var time = new FakeTimeProvider();
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = time }.AddTransientRetry(3, TimeSpan.FromHours(1)).Build();
        var attempts = 0;

        var run = pipeline.ExecuteAsync(async _ =>
        {
            await Task.Yield();
            return ++attempts < 3 ? throw new Failure(true, TimeSpan.FromSeconds(2)) : attempts;
        }).AsTask();
        for (var i = 0; i < 100 && !run.IsCompleted; i++)
        {
            await Task.Delay(10);
            time.Advance(TimeSpan.FromSeconds(2));
        }

        Assert.Equal(3, await run.WaitAsync(TimeSpan.FromSeconds(10)));

        attempts = 0;
        await Assert.ThrowsAsync<Failure>(async () => await pipeline.ExecuteAsync(_ => { attempts++; throw new Failure(false, null); }));
        Assert.Equal(1, attempts);
    }

    [Fact]
    public void AddTransientRetry_OneAttempt_AddsNothing()
    {
        var builder = new ResiliencePipelineBuilder().AddTransientRetry(1, TimeSpan.FromSeconds(1));
        Assert.Same(ResiliencePipeline.Empty.GetType(), builder.Build().GetType());
    }

    private sealed class Failure(bool isTransient, TimeSpan? retryAfter) : Exception("test failure"), ITransientFailure
    {
        public bool IsTransient { get; } = isTransient;

        public TimeSpan? RetryAfter { get; } = retryAfter;
    }
}
