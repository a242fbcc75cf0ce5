using System.Net;
using ContentAgent.Batches;
using ContentAgent.Providers;
using ContentAgent.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace ContentAgent.Tests.Providers;

/// <summary>The runner with ContentAgent's chat middleware around a scripted client: budgets, cost, the circuit breaker.</summary>
public sealed class LiveBatchTests
{
    private static ServiceProvider Services(TestChatClient client, IBatchStore store, Action<ContentAgentOptions>? configure = null, Action<ChatProviderOptions>? chat = null, bool logs = false)
    {
        var collection = new ServiceCollection();
        if (logs)
        {
            collection.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace)).AddFakeLogging();
        }

        collection.AddSingleton(store);
        collection.AddChatClient(client).UseContentAgentRateLimits().UseContentAgentResilience();
        collection.AddContentAgent(options =>
        {
            options.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
            configure?.Invoke(options);
        }).UseChatProvider(options => chat?.Invoke(options));
        return collection.BuildServiceProvider();
    }

    [Fact]
    public async Task RunAsync_BatchBudgetReached_SuspendsWithTheReasonAndResumesWithALargerBudget()
    {
        var store = new InMemoryBatchStore(TimeProvider.System);
        using var client = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromResult(TestSupport.Reply("A post. Agree?")) };
        BatchResult first;
        await using (var services = Services(client, store, o => o.MaxTokensPerBatch = 1000))
        {
            first = await services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(10));
        }

        // 150 tokens a post (as reported): the first post is estimated from its prompt and the output limit, the rest from the average.
        Assert.Equal(BatchStatus.Suspended, first.Status);
        Assert.Equal(6, first.Succeeded);
        Assert.Equal(900, first.TotalTokens);
        Assert.Contains("ContentAgent:MaxTokensPerBatch = 1,000", first.StopReason, StringComparison.Ordinal);
        Assert.Equal(BatchStatus.Suspended, (await store.GetRunStateAsync(new BatchKey("default", "plan-1")))!.Status);

        await using (var services = Services(client, store, o => o.MaxTokensPerBatch = 5000))
        {
            var resumed = await services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(10));
            Assert.Equal(BatchStatus.Completed, resumed.Status);
            Assert.Equal(1500, resumed.TotalTokens);
            Assert.Null(resumed.StopReason);
        }

        Assert.Equal(10, TestSupport.PostCalls(client));
    }

    [Fact]
    public async Task RunAsync_PostBudget_GivesTheProviderWhatIsLeftAsItsOutputLimit()
    {
        using var client = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromResult(TestSupport.Reply("A post. Agree?")) };
        await using var services = Services(client, new InMemoryBatchStore(TimeProvider.System), o => o.MaxTokensPerPost = 600);

        var result = await services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(1));

        Assert.Equal(PostStatus.Done, result.Posts[0].Status);
        Assert.InRange(client.Requests[0].Options!.MaxOutputTokens!.Value, 16, 599);
    }

    [Fact]
    public async Task RunAsync_PostBudget_ReconciledWithReportedUsageAcrossAttempts()
    {
        // The first answer is empty but reports 100 + 50 tokens: the retry gets 150 fewer.
        var attempt = 0;
        using var client = new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, _) => Task.FromResult(TestSupport.Reply(Interlocked.Increment(ref attempt) == 1 ? " " : "A post. Agree?")),
        };
        await using var services = Services(client, new InMemoryBatchStore(TimeProvider.System), o => o.MaxTokensPerPost = 700);

        var result = await services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(1));

        Assert.Equal(PostStatus.Done, result.Posts[0].Status);
        Assert.Equal(300, result.Posts[0].InputTokens + result.Posts[0].OutputTokens);
        Assert.Equal(150, client.Requests[0].Options!.MaxOutputTokens - client.Requests[1].Options!.MaxOutputTokens);
    }

    [Fact]
    public async Task RunAsync_PostBudgetSmallerThanThePrompt_FailsThePostWithoutACall()
    {
        using var client = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromResult(TestSupport.Reply("A post. Agree?")) };
        await using var services = Services(client, new InMemoryBatchStore(TimeProvider.System), o => o.MaxTokensPerPost = 40);

        var result = await services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(2));

        Assert.Equal(0, client.Calls);
        Assert.All(result.Posts, p => Assert.Equal(PostStatus.Failed, p.Status));
        Assert.Contains("ContentAgent:MaxTokensPerPost = 40", result.Posts[0].Error, StringComparison.Ordinal);
        Assert.Equal(1, result.Posts[0].Attempts);
    }

    [Fact]
    public async Task RunAsync_PriceTable_EstimatesTheCostOfEveryPost()
    {
        using var client = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromResult(TestSupport.Reply("A post. Agree?")) };
        await using var services = Services(client, new InMemoryBatchStore(TimeProvider.System), chat: o => o.Prices["test-model"] = new ModelPrice { InputPerMillionTokens = 1m, OutputPerMillionTokens = 2m });

        var result = await services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(3));

        // 100 input tokens at 1 per million and 50 output tokens at 2 per million, per post.
        Assert.All(result.Posts, p => Assert.Equal(0.0002m, p.Cost));
        Assert.Equal(0.0006m, result.EstimatedCost);
    }

    [Fact]
    public async Task RunAsync_NoPrice_HasNoCostEstimate()
    {
        using var client = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromResult(TestSupport.Reply("A post. Agree?")) };
        await using var services = Services(client, new InMemoryBatchStore(TimeProvider.System));

        var result = await services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(2));

        Assert.Null(result.EstimatedCost);
        Assert.Equal(300, result.TotalTokens);
    }

    [Fact]
    public async Task RunAsync_DeadProvider_OpensTheCircuitAndSuspendsInsteadOfBurningRetries()
    {
        var store = new InMemoryBatchStore(TimeProvider.System);
        using var client = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => throw new HttpRequestException("Connection refused") };
        await using var services = Services(client, store, chat: o => o.CircuitBreaker.MinimumThroughput = 4);

        var result = await services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(20));

        Assert.Equal(BatchStatus.Suspended, result.Status);
        Assert.Contains("circuit breaker opened", result.StopReason, StringComparison.Ordinal);
        Assert.InRange(client.Calls, 4, 6);
        Assert.True(result.Posts.Count(p => p.Status == PostStatus.Planned) >= 18, "the posts the circuit stopped stay unwritten, to be resumed");
        Assert.All(result.Posts.Where(p => p.Status == PostStatus.Failed), p => Assert.Contains("Connection refused", p.Error, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized)]
    public async Task RunAsync_NonTransientFailure_FailsThePostAtOnce(HttpStatusCode status)
    {
        using var client = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => throw new HttpRequestException("no", null, status) };
        await using var services = Services(client, new InMemoryBatchStore(TimeProvider.System));

        var result = await services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(1));

        Assert.Equal(1, client.Calls);
        Assert.Equal(1, result.Posts[0].Attempts);
        Assert.Contains(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), result.Posts[0].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ContentFilter_FailsThePostAtOnceWithTheReason()
    {
        using var client = new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, string.Empty)) { FinishReason = ChatFinishReason.ContentFilter }),
        };
        await using var services = Services(client, new InMemoryBatchStore(TimeProvider.System));

        var result = await services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(1));

        Assert.Equal(1, client.Calls);
        Assert.Contains("content filter", result.Posts[0].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_RetryAfter_WaitsAsLongAsTheProviderAsked()
    {
        var calls = new List<DateTimeOffset>();
        using var client = new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, _) =>
            {
                lock (calls)
                {
                    calls.Add(TimeProvider.System.GetUtcNow());
                    if (calls.Count == 1)
                    {
                        throw new ChatProviderException("429", isTransient: true, 429, TimeSpan.FromMilliseconds(600));
                    }
                }

                return Task.FromResult(TestSupport.Reply("A post. Agree?"));
            },
        };
        await using var services = Services(client, new InMemoryBatchStore(TimeProvider.System));

        var result = await services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(1));

        Assert.Equal(PostStatus.Done, result.Posts[0].Status);
        Assert.True(calls[1] - calls[0] >= TimeSpan.FromMilliseconds(550), $"retried after {(calls[1] - calls[0]).TotalMilliseconds} ms; Retry-After asked 600 ms");
    }

    [Fact]
    public async Task RunAsync_CircuitOpens_LogsTheBreakerAndTheSuspensionAsWarnings()
    {
        using var client = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => throw new HttpRequestException("busy", null, HttpStatusCode.ServiceUnavailable) };
        await using var services = Services(client, new InMemoryBatchStore(TimeProvider.System), chat: o => o.CircuitBreaker.MinimumThroughput = 2, logs: true);

        await services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(5));

        var records = services.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(records, r => r.Id.Id == 13 && r.Level == LogLevel.Warning);
        var suspended = Assert.Single(records, r => r.Id.Id == 11);
        Assert.Equal(LogLevel.Warning, suspended.Level);
        Assert.Contains("circuit breaker opened", suspended.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatPipeline_TracesEachCallUnderTheContentAgentSourceWithoutContent()
    {
        var stopped = new List<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == ContentAgent.Diagnostics.ContentAgentTelemetry.Name,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (stopped)
                {
                    stopped.Add(activity);
                }
            },
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        await using var services = TestSupport.Services();
        var planId = $"trace-{Guid.NewGuid():N}";

        await services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(2, planId));

        List<System.Diagnostics.Activity> snapshot;
        lock (stopped)
        {
            snapshot = [.. stopped];
        }

        var batch = snapshot.Single(a => a.OperationName == "contentagent.batch" && (string?)a.GetTagItem("contentagent.plan_id") == planId);
        var posts = snapshot.Where(a => a.OperationName == "contentagent.post" && a.ParentSpanId == batch.SpanId).ToList();
        var calls = snapshot.Where(a => posts.Any(p => p.SpanId == a.ParentSpanId) && a.GetTagItem("gen_ai.operation.name") is "chat").ToList();
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c => Assert.Equal("offline", c.GetTagItem("gen_ai.provider.name") ?? c.GetTagItem("gen_ai.system")));
        Assert.All(calls, c => Assert.DoesNotContain(c.Tags, t => t.Key.Contains("content", StringComparison.Ordinal) || t.Key.Contains("messages", StringComparison.Ordinal)));
    }
}
