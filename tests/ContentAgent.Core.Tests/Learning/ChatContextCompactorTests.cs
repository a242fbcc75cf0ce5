using ContentAgent.Learning;
using ContentAgent.Quality;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace ContentAgent.Tests.Learning;

public sealed class ChatContextCompactorTests
{
    private static readonly ContentAgent.Learning.Learning[] Learnings =
    [
        new(LearningKind.Keep, "Hook: opens with a concrete number (9/10 on post 1, X)", QualityCriterion.Hook, 1),
        new(LearningKind.Avoid, "Call to action: no ask at the end (3/10 on post 2, LinkedIn)", QualityCriterion.CallToAction, 2),
        new(LearningKind.Keep, "Hook: opens with a question (9/10 on post 3, X)", QualityCriterion.Hook, 3),
    ];

    private static (IContextCompactor Compactor, FakeLogCollector Logs) Create(TestChatClient client)
    {
        var services = TestSupport.Services(services: s => s.AddSingleton<IChatClient>(client).AddLogging(b => b.SetMinimumLevel(LogLevel.Debug)).AddFakeLogging());
        return (services.GetRequiredService<IContextCompactor>(), services.GetFakeLogCollector());
    }

    [Fact]
    public async Task CompactAsync_OfflineClient_UsesTheDeterministicMergeWithoutCallingIt()
    {
        using var client = new TestChatClient { Metadata = new ChatClientMetadata("offline", null, "m") };
        var (compactor, _) = Create(client);

        var result = await compactor.CompactAsync(new CompactionRequest(Learnings, 200));

        Assert.Equal("offline", result.Method);
        Assert.Equal(0, client.Calls);
        Assert.Equal(2, result.Learnings.Count);
        Assert.Equal(2, result.Learnings[0].Weight);
    }

    [Fact]
    public async Task CompactAsync_LiveClient_UsesTheModelsSummary()
    {
        using var client = new TestChatClient
        {
            GetResponseAsyncCallback = (_, options, _) => Task.FromResult(TestSupport.Reply(
                """{"learnings":[{"text":"Hook: open with a number or a question","avoid":false,"weight":2},{"text":"Call to action: always end with an ask","avoid":true,"weight":1}]}""")),
        };
        var (compactor, _) = Create(client);

        var result = await compactor.CompactAsync(new CompactionRequest(Learnings, 200));

        Assert.Equal("llm", result.Method);
        Assert.Equal(1, client.Calls);
        Assert.IsType<ChatResponseFormatJson>(client.Requests[0].Options?.ResponseFormat);
        Assert.Contains("opens with a question", client.Requests[0].Messages[^1].Text, StringComparison.Ordinal);
        Assert.Equal([LearningKind.Keep, LearningKind.Avoid], result.Learnings.Select(l => l.Kind));
        Assert.Equal("Hook: open with a number or a question", result.Learnings[0].Text);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"learnings":[]}""")]
    [InlineData("""{"learnings":[{"text":"Hook: this summary is far too long for the target because it goes on and on and on and on and on about every detail of every post that was ever written in the batch, which defeats the purpose of compaction entirely","avoid":false,"weight":3}]}""")]
    public async Task CompactAsync_ModelAnswerUnusable_FallsBackToTheOfflineMergeAndLogsIt(string answer)
    {
        using var client = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromResult(TestSupport.Reply(answer)) };
        var (compactor, logs) = Create(client);

        var result = await compactor.CompactAsync(new CompactionRequest(Learnings, 40));

        Assert.Equal("offline", result.Method);
        var warning = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 7);
        Assert.Equal(LogLevel.Warning, warning.Level);
    }

    [Fact]
    public async Task CompactAsync_ModelThrows_FallsBackToTheOfflineMerge()
    {
        using var client = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => throw new HttpRequestException("503") };
        var (compactor, _) = Create(client);

        var result = await compactor.CompactAsync(new CompactionRequest(Learnings, 200));

        Assert.Equal("offline", result.Method);
        Assert.NotEmpty(result.Learnings);
    }

    [Fact]
    public async Task CompactAsync_Cancelled_Throws()
    {
        using var client = new TestChatClient { GetResponseAsyncCallback = (_, _, token) => Task.FromCanceled<ChatResponse>(token) };
        var (compactor, _) = Create(client);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => compactor.CompactAsync(new CompactionRequest(Learnings, 200), cancelled.Token));
    }
}
