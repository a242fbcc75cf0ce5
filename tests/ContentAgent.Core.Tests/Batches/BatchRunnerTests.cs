using ContentAgent.Batches;
using ContentAgent.Leasing;
using ContentAgent.Planning;
using ContentAgent.Quality;
using ContentAgent.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ContentAgent.Tests.Batches;

public sealed class BatchRunnerTests
{
    private static TestChatClient Writer(Func<int, int, CancellationToken, Task<ChatResponse>>? behaviour = null)
    {
        var attemptsPerPost = new Dictionary<int, int>();
        var client = new TestChatClient();
        client.GetResponseAsyncCallback = (messages, _, token) =>
        {
            var index = TestSupport.IndexOf(messages);
            int attempt;
            lock (attemptsPerPost)
            {
                attempt = attemptsPerPost[index] = attemptsPerPost.GetValueOrDefault(index) + 1;
            }

            return behaviour?.Invoke(index, attempt, token) ?? Task.FromResult(TestSupport.Reply($"Post {index}: 3 ways to ship faster. What would you add?"));
        };
        return client;
    }

    [Fact]
    public async Task RunAsync_ClientThrowsOnPost3AndHangsOnPost7_OtherPostsAreDone()
    {
        var client = Writer(async (index, _, token) =>
        {
            if (index == 3)
            {
                throw new InvalidOperationException("model exploded");
            }

            if (index == 7)
            {
                await Task.Delay(Timeout.Infinite, token);
            }

            return TestSupport.Reply($"Post {index}: 5 lessons. What do you think?");
        });
        await using var services = TestSupport.Services(o => o.PostTimeout = TimeSpan.FromMilliseconds(300), s => s.AddSingleton<IChatClient>(client));

        var events = await TestSupport.CollectAsync(services.GetRequiredService<IBatchRunner>().RunAsync(TestSupport.Plan(9)));

        var result = Assert.IsType<BatchCompleted>(events[^1]).Result;
        Assert.Equal(BatchStatus.CompletedWithFailures, result.Status);
        Assert.Equal(7, result.Succeeded);
        Assert.Equal(2, result.Failed);
        var post3 = result.Posts[2];
        Assert.Equal(PostStatus.Failed, post3.Status);
        Assert.Equal(3, post3.Attempts);
        Assert.Contains("model exploded", post3.Error, StringComparison.Ordinal);
        var post7 = result.Posts[6];
        Assert.Equal(PostStatus.Failed, post7.Status);
        Assert.Contains("Timed out", post7.Error, StringComparison.Ordinal);
        Assert.Equal([3, 7], events.OfType<PostFailed>().Select(e => e.Post.Index));
        Assert.All(result.Posts.Where(p => p.Index is not (3 or 7)), p => Assert.Equal(PostStatus.Done, p.Status));
    }

    [Fact]
    public async Task RunAsync_ClientIgnoresCancellation_PostStillTimesOut()
    {
        var never = new TaskCompletionSource<ChatResponse>();
        var client = Writer((index, _, _) => index == 2 ? never.Task : Task.FromResult(TestSupport.Reply("Fine post. Agree?")));
        await using var services = TestSupport.Services(o => o.PostTimeout = TimeSpan.FromMilliseconds(200), s => s.AddSingleton<IChatClient>(client));

        var result = await services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(3));

        Assert.Equal(PostStatus.Failed, result.Posts[1].Status);
        Assert.Contains("Timed out", result.Posts[1].Error, StringComparison.Ordinal);
        Assert.Equal(PostStatus.Done, result.Posts[2].Status);
    }

    [Fact]
    public async Task RunAsync_TransientFailureOnce_PostSucceedsOnSecondAttempt()
    {
        var client = Writer((index, attempt, _) => index == 2 && attempt == 1
            ? throw new HttpRequestException("connection reset")
            : Task.FromResult(TestSupport.Reply("Recovered. Thoughts?")));
        await using var services = TestSupport.Services(services: s => s.AddSingleton<IChatClient>(client));

        var result = await services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(3));

        Assert.Equal(BatchStatus.Completed, result.Status);
        Assert.Equal(2, result.Posts[1].Attempts);
        Assert.Equal(1, result.Posts[0].Attempts);
    }

    [Fact]
    public async Task RunAsync_EmptyReply_IsRetriedThenFailed()
    {
        var client = Writer((_, _, _) => Task.FromResult(TestSupport.Reply("   ")));
        await using var services = TestSupport.Services(o => o.MaxAttempts = 2, s => s.AddSingleton<IChatClient>(client));

        var result = await services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(1));

        Assert.Equal(PostStatus.Failed, result.Posts[0].Status);
        Assert.Equal(2, result.Posts[0].Attempts);
        Assert.Contains("empty post", result.Posts[0].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Parallel_RunsAtMostMaxParallelPostsAtOnce()
    {
        var running = 0;
        var peak = 0;
        var client = Writer(async (index, _, token) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            await Task.Delay(20, token);
            Interlocked.Decrement(ref running);
            return TestSupport.Reply($"Post {index}: 4 ideas. Which one?");
        });
        await using var services = TestSupport.Services(o => o.MaxParallelPosts = 4, s => s.AddSingleton<IChatClient>(client));

        var events = await TestSupport.CollectAsync(services.GetRequiredService<IBatchRunner>().RunAsync(TestSupport.Plan(20)));

        var result = Assert.IsType<BatchCompleted>(events[^1]).Result;
        Assert.Equal(20, result.Succeeded);
        Assert.Equal(4, peak);

        // Waves never straddle the checkpoint after post 10: 1-4, 5-8, 9-10, 11-14, 15-18, 19-20.
        var waves = new List<List<int>>();
        BatchEvent? previous = null;
        foreach (var batchEvent in events)
        {
            if (batchEvent is PostStarted started)
            {
                if (previous is not PostStarted)
                {
                    waves.Add([]);
                }

                waves[^1].Add(started.Post.Index);
            }

            previous = batchEvent;
        }

        Assert.Equal([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10], [11, 12, 13, 14], [15, 16, 17, 18], [19, 20]], waves);
    }

    [Fact]
    public async Task RunAsync_Parallel_PostsOfAWaveShareOneContextAndLearningsMergeInIndexOrder()
    {
        var client = Writer(async (index, _, token) =>
        {
            await Task.Delay((5 - (index % 4)) * 5, token); // later posts of a wave finish first
            return TestSupport.Reply($"Post {index}");
        });
        var scorer = new CallbackScorer((spec, _) => TestSupport.Score(spec.Index % 2 == 0 ? 9.5 : 2));
        await using var services = TestSupport.Services(
            o => o.MaxParallelPosts = 4,
            s => s.AddSingleton<IChatClient>(client).AddSingleton<IQualityScorer>(scorer));

        var result = await services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(8));

        Assert.Single(result.Posts.Take(4).Select(p => p.ContextTokens).Distinct());
        Assert.Single(result.Posts.Skip(4).Select(p => p.ContextTokens).Distinct());
        Assert.Equal(0, result.Posts[0].ContextTokens);
        Assert.True(result.Posts[4].ContextTokens > 0);
        Assert.Equal(result.Posts.SelectMany(p => p.Learnings).Select(l => l.SourcePost), result.Learnings.Select(l => l.SourcePost));
    }

    [Fact]
    public async Task RunAsync_FewerPostsThanCheckpointEvery_AsksNoCheckpoint()
    {
        var gate = new RecordingGate();
        await using var services = TestSupport.Services(services: s => s.AddSingleton<ICheckpointGate>(gate));

        var events = await TestSupport.CollectAsync(services.GetRequiredService<IBatchRunner>().RunAsync(TestSupport.Plan(9)));

        Assert.Empty(gate.Seen);
        Assert.Empty(events.OfType<CheckpointReached>());
    }

    [Fact]
    public async Task RunAsync_25Posts_AsksAfter10And20ButNotAtTheEnd()
    {
        var gate = new RecordingGate();
        await using var services = TestSupport.Services(services: s => s.AddSingleton<ICheckpointGate>(gate));

        var events = await TestSupport.CollectAsync(services.GetRequiredService<IBatchRunner>().RunAsync(TestSupport.Plan(25)));

        Assert.Equal([10, 20], gate.Seen.Select(s => s.Done + s.Failed));
        Assert.Equal([1, 2], gate.Seen.Select(s => s.Number));
        Assert.Equal([15, 5], gate.Seen.Select(s => s.Remaining));
        Assert.Equal(2, events.OfType<CheckpointReached>().Count());
    }

    [Fact]
    public async Task RunAsync_CheckpointEveryConfigured_AsksAtThatInterval()
    {
        var gate = new RecordingGate();
        await using var services = TestSupport.Services(o => o.CheckpointEvery = 4, s => s.AddSingleton<ICheckpointGate>(gate));

        await services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(10));

        Assert.Equal([4, 8], gate.Seen.Select(s => s.Done));
    }

    [Theory]
    [InlineData(CheckpointDecision.Pause, BatchStatus.Paused)]
    [InlineData(CheckpointDecision.Stop, BatchStatus.Stopped)]
    public async Task RunAsync_GateSaysPauseOrStop_RemainingPostsAreNotWritten(CheckpointDecision decision, BatchStatus expected)
    {
        var client = Writer();
        var gate = new RecordingGate(_ => decision);
        await using var services = TestSupport.Services(services: s => s.AddSingleton<IChatClient>(client).AddSingleton<ICheckpointGate>(gate));

        var result = await services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(15));

        Assert.Equal(expected, result.Status);
        Assert.Equal(10, result.Succeeded);
        Assert.All(result.Posts.Skip(10), p => Assert.Equal(PostStatus.Planned, p.Status));
        Assert.Equal(10, TestSupport.PostCalls(client));
        var state = await services.GetRequiredService<IBatchStore>().GetRunStateAsync(new BatchKey("default", "plan-1"));
        Assert.Equal(expected, state!.Status);
    }

    [Fact]
    public async Task RunAsync_CheckpointStats_CountAverageTrendAndEta()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var client = Writer((index, _, _) =>
        {
            time.Advance(TimeSpan.FromSeconds(2));
            return index == 4 ? throw new ArgumentException("bad") : Task.FromResult(TestSupport.Reply($"Post {index}"));
        });
        var scorer = new CallbackScorer((spec, _) => TestSupport.Score(Math.Min(10, 3 + (spec.Index * 0.5))));
        var gate = new RecordingGate();
        await using var services = TestSupport.Services(
            o => o.MaxAttempts = 1,
            s => s.AddSingleton<IChatClient>(client).AddSingleton<IQualityScorer>(scorer).AddSingleton<ICheckpointGate>(gate).AddSingleton<TimeProvider>(time));

        await services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(25));

        var first = gate.Seen[0];
        Assert.Equal(9, first.Done);
        Assert.Equal(1, first.Failed);
        Assert.Equal(QualityTrend.Improving, first.Trend);
        var expectedAverage = new[] { 1, 2, 3, 5, 6, 7, 8, 9, 10 }.Average(i => Math.Min(10, 3 + (i * 0.5)) * 10);
        Assert.Equal(expectedAverage, first.AverageScore, 6);
        Assert.Equal(TimeSpan.FromSeconds(20), first.Elapsed);
        Assert.Equal(TimeSpan.FromSeconds(30), first.EstimatedRemaining);
    }

    [Fact]
    public async Task RunAsync_Cancelled_StopsAndKeepsFinishedPosts()
    {
        using var cancellation = new CancellationTokenSource();
        var client = Writer((index, _, _) =>
        {
            if (index == 4)
            {
                cancellation.Cancel();
            }

            return Task.FromResult(TestSupport.Reply($"Post {index}"));
        });
        await using var services = TestSupport.Services(services: s => s.AddSingleton<IChatClient>(client));
        var runner = services.GetRequiredService<IBatchRunner>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunToCompletionAsync(TestSupport.Plan(10), cancellation.Token));

        var stored = await services.GetRequiredService<IBatchStore>().GetPostsAsync(new BatchKey("default", "plan-1"));
        Assert.Equal([1, 2, 3], stored.Where(p => p.Status == PostStatus.Done).Select(p => p.Index));
        Assert.True(TestSupport.PostCalls(client) <= 4);
    }

    [Fact]
    public async Task RunAsync_StoreHasFinishedPosts_DoesNotWriteThemAgain()
    {
        var client = Writer();
        await using var services = TestSupport.Services(services: s => s.AddSingleton<IChatClient>(client));
        var runner = services.GetRequiredService<IBatchRunner>();
        var plan = TestSupport.Plan(12);
        var gate = services.GetRequiredService<IBatchStore>();
        await gate.SavePlanAsync(plan);
        foreach (var index in new[] { 1, 2, 5 })
        {
            await gate.SavePostAsync(new BatchKey("default", "plan-1"), new PostResult(plan.Posts[index - 1], PostStatus.Done, "earlier", TestSupport.Score(8), 1, null, [], 0, 0, 0, 0, TimeSpan.Zero, DateTimeOffset.UnixEpoch));
        }

        var events = await TestSupport.CollectAsync(runner.RunAsync(plan));

        Assert.Equal(3, Assert.IsType<BatchStarted>(events[0]).AlreadyFinished);
        Assert.Equal(9, TestSupport.PostCalls(client));
        Assert.DoesNotContain(events.OfType<PostStarted>(), e => e.Post.Index is 1 or 2 or 5);
        Assert.Equal("earlier", Assert.IsType<BatchCompleted>(events[^1]).Result.Posts[4].Text);
    }

    [Fact]
    public async Task RunAsync_Events_StartWithBatchStartedEndWithBatchCompletedAndPairEveryPost()
    {
        await using var services = TestSupport.Services();

        var events = await TestSupport.CollectAsync(services.GetRequiredService<IBatchRunner>().RunAsync(TestSupport.Plan(12)));

        Assert.IsType<BatchStarted>(events[0]);
        Assert.IsType<BatchCompleted>(events[^1]);
        for (var index = 1; index <= 12; index++)
        {
            var started = events.FindIndex(e => e is PostStarted s && s.Post.Index == index);
            var completed = events.FindIndex(e => e is PostCompleted c && c.Post.Index == index);
            Assert.InRange(started, 1, completed - 1);
        }

        Assert.Equal(Enumerable.Range(1, 12), events.OfType<PostCompleted>().Select(e => e.Processed));
    }

    [Fact]
    public async Task RunAsync_EveryPostIsSavedWhenItFinishes()
    {
        var store = new RecordingStore();
        await using var services = TestSupport.Services(services: s => s.AddSingleton<IBatchStore>(store));

        await services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(3));

        Assert.Equal(
            [(1, PostStatus.Writing), (1, PostStatus.Done), (2, PostStatus.Writing), (2, PostStatus.Done), (3, PostStatus.Writing), (3, PostStatus.Done)],
            store.Saves);
    }

    [Fact]
    public async Task RunAsync_BadPlan_ThrowsArgumentException()
    {
        await using var services = TestSupport.Services();
        var runner = services.GetRequiredService<IBatchRunner>();
        var plan = TestSupport.Plan(3) with { Posts = [new PostSpec(1, Platform.X, "a", "b"), new PostSpec(3, Platform.X, "a", "b")] };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => runner.RunToCompletionAsync(plan));
        Assert.Contains("numbered 1 to 2", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => runner.RunToCompletionAsync(TestSupport.Plan(1) with { Posts = [] }));
    }

    [Fact]
    public async Task RunAsync_CompactEvery10_CompactsRightAfterPosts10And20()
    {
        await using var services = TestSupport.Services(o => { o.LearningContextTokenBudget = 100_000; o.CompactionTargetTokens = 160; });

        var events = await TestSupport.CollectAsync(services.GetRequiredService<IBatchRunner>().RunAsync(TestSupport.Plan(25)));

        var compactions = events.Select((e, i) => (e, i)).Where(x => x.e is ContextCompacted).Select(x => x.i).ToList();
        Assert.Equal(2, compactions.Count);
        Assert.Equal(10, Assert.IsType<PostCompleted>(events[compactions[0] - 1]).Processed);
        Assert.Equal(20, Assert.IsType<PostCompleted>(events[compactions[1] - 1]).Processed);
        var first = Assert.IsType<ContextCompacted>(events[compactions[0]]);
        Assert.True(first.TokensAfter < first.TokensBefore);
        Assert.True(first.TokensAfter <= 160);
        Assert.Equal("offline", first.Method);
        Assert.Equal(2, Assert.IsType<BatchCompleted>(events[^1]).Result.Compactions);
    }

    [Fact]
    public async Task RunAsync_ContextOverBudget_CompactsBeforeTheInterval()
    {
        await using var services = TestSupport.Services(o => { o.CompactEvery = 1_000; o.LearningContextTokenBudget = 120; o.CompactionTargetTokens = 60; });

        var events = await TestSupport.CollectAsync(services.GetRequiredService<IBatchRunner>().RunAsync(TestSupport.Plan(30)));

        Assert.NotEmpty(events.OfType<ContextCompacted>());
        Assert.All(events.OfType<PostStarted>(), e => Assert.InRange(e.ContextTokens, 0, 120));
    }

    [Fact]
    public async Task RunAsync_FiftyPosts_CompactedContextBeatsTheSeedTarget()
    {
        await using var services = TestSupport.Services();

        var result = await services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(50));

        Assert.Equal(50, result.Succeeded);
        Assert.InRange(result.Context.Total, 1, 24_999);
        Assert.True(result.Context.UncompactedTotal > 4 * result.Context.Total, $"{result.Context.UncompactedTotal} vs {result.Context.Total}");
        Assert.Equal(result.Posts.Sum(p => (long)p.ContextTokens), result.Context.Total);
        Assert.Equal(result.Posts.Max(p => p.ContextTokens), result.Context.LargestPerPost);
        Assert.True(result.Posts.Zip(result.Posts.Skip(1)).All(p => p.Second.UncompactedContextTokens > p.First.UncompactedContextTokens));
    }

    [Fact]
    public async Task RunAsync_OfflineWriter_IsDeterministicAcrossRuns()
    {
        await using var first = TestSupport.Services();
        await using var second = TestSupport.Services();

        var a = await first.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(20));
        var b = await second.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(20));

        Assert.Equal(a.Posts.Select(p => p.Text), b.Posts.Select(p => p.Text));
        Assert.Equal(a.Posts.Select(p => p.Score!.Overall), b.Posts.Select(p => p.Score!.Overall));
        Assert.Equal(20, a.Posts.Select(p => p.Text).Distinct().Count());
    }

    [Fact]
    public async Task RunAsync_DiesWhileACheckpointIsAsked_TheResumedRunAsksItAgainFirst()
    {
        var store = TestSupport.Services().GetRequiredService<IBatchStore>();
        using var dying = new CancellationTokenSource();
        var firstGate = new RecordingGate(_ =>
        {
            dying.Cancel();
            throw new OperationCanceledException(dying.Token);
        });
        await using (var first = TestSupport.Services(services: s => s.AddSingleton(store).AddSingleton<ICheckpointGate>(firstGate)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(15), dying.Token));
        }

        Assert.Equal(1, (await store.GetRunStateAsync(new BatchKey("default", "plan-1")))!.PendingCheckpoint);
        var secondGate = new RecordingGate();
        await using var second = TestSupport.Services(services: s => s.AddSingleton(store).AddSingleton<ICheckpointGate>(secondGate));

        var events = await TestSupport.CollectAsync(second.GetRequiredService<IBatchRunner>().RunAsync(TestSupport.Plan(15)));

        Assert.IsType<BatchStarted>(events[0]);
        Assert.Equal(1, Assert.IsType<CheckpointReached>(events[1]).Stats.Number);
        Assert.Equal(10, secondGate.Seen.Single().Done);
        Assert.Equal(Enumerable.Range(11, 5), events.OfType<PostCompleted>().Select(e => e.Post.Index));
        Assert.Null((await store.GetRunStateAsync(new BatchKey("default", "plan-1")))!.PendingCheckpoint);
    }

    [Fact]
    public async Task RunAsync_ResumingAPausedBatch_ContinuesWithoutAskingThePausedCheckpointAgain()
    {
        var store = TestSupport.Services().GetRequiredService<IBatchStore>();
        await using (var first = TestSupport.Services(services: s => s.AddSingleton(store).AddSingleton<ICheckpointGate>(new RecordingGate(_ => CheckpointDecision.Pause))))
        {
            Assert.Equal(BatchStatus.Paused, (await first.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(25))).Status);
        }

        var gate = new RecordingGate();
        await using var second = TestSupport.Services(services: s => s.AddSingleton(store).AddSingleton<ICheckpointGate>(gate));

        var result = await second.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(25));

        Assert.Equal(BatchStatus.Completed, result.Status);
        Assert.Equal([20], gate.Seen.Select(s => s.Done + s.Failed));
        Assert.Equal([2], gate.Seen.Select(s => s.Number));
    }

    [Fact]
    public async Task RunAsync_AnotherRunnerHoldsTheLease_FailsSayingWhoAndUntilWhen()
    {
        var shared = TestSupport.Services();
        var store = shared.GetRequiredService<IBatchStore>();
        var leases = shared.GetRequiredService<ILeaseStore>();
        var plan = TestSupport.Plan(3);
        var held = await leases.AcquireAsync(BatchLease("plan-1"), "host-a/42", TimeSpan.FromMinutes(5));
        await using var services = TestSupport.Services(services: s => s.AddSingleton(store).AddSingleton(leases));

        var error = await Assert.ThrowsAsync<LeaseException>(() => services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(plan));

        Assert.Equal("host-a/42", error.Owner);
        Assert.Equal(held.ExpiresAt, error.ExpiresAt);
        Assert.False(error.Lost);
        Assert.Contains("The batch 'plan-1' of tenant 'default' is being run by host-a until", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await store.GetPostsAsync(new BatchKey("default", "plan-1")), p => p.Status == PostStatus.Done);
    }

    [Fact]
    public async Task RunAsync_ReleasesItsLeaseAtTheEnd_SoTheNextRunCanStart()
    {
        await using var services = TestSupport.Services();
        var runner = services.GetRequiredService<IBatchRunner>();
        var leases = services.GetRequiredService<ILeaseStore>();

        await runner.RunToCompletionAsync(TestSupport.Plan(3));

        Assert.Null(await leases.GetAsync(BatchLease("plan-1")));
        Assert.True((await leases.AcquireAsync(BatchLease("plan-1"), "next", TimeSpan.FromSeconds(1))).IsHeldBy("next"));
    }

    [Fact]
    public async Task RunAsync_LeaseTakenOverMidRun_StopsWithALeaseExceptionSayingWho()
    {
        var shared = TestSupport.Services();
        var store = shared.GetRequiredService<IBatchStore>();
        var leases = shared.GetRequiredService<ILeaseStore>();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var key = new BatchKey("default", "plan-1");
        var client = Writer(async (index, _, token) =>
        {
            if (index == 2)
            {
                // Another process takes the lease over (as if ours had lapsed), then our renewal comes due.
                var ours = await leases.GetAsync(BatchLease("plan-1"), token);
                await leases.TakeOverAsync(BatchLease("plan-1"), ours!.Owner, "thief", TimeSpan.FromMinutes(10), token);
                time.Advance(TimeSpan.FromSeconds(11));
                await Task.Delay(Timeout.Infinite, token);
            }

            return TestSupport.Reply($"Post {index}");
        });
        await using var services = TestSupport.Services(
            o => o.PostTimeout = TimeSpan.FromHours(1),
            s => s.AddSingleton(store).AddSingleton(leases).AddSingleton<IChatClient>(client).AddSingleton<TimeProvider>(time));

        var error = await Assert.ThrowsAsync<LeaseException>(() => services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(5)));

        Assert.True(error.Lost);
        Assert.Contains("Batch plan-1 stopped: The lease on batch 'plan-1' was taken over by thief", error.Message, StringComparison.Ordinal);
        Assert.Equal(PostStatus.Done, (await store.GetPostsAsync(key))[0].Status);
    }

    private static LeaseKey BatchLease(string planId) => new("default", LeaseScopes.Batch, planId);

    [Fact]
    public async Task RetryFailedAsync_WritesOnlyTheFailedPostsAgainAndKeepsTheirHistory()
    {
        var store = TestSupport.Services().GetRequiredService<IBatchStore>();
        var failing = Writer((index, _, _) => index is 2 or 4 ? throw new InvalidOperationException($"flaky {index}") : Task.FromResult(TestSupport.Reply($"Post {index}")));
        await using (var first = TestSupport.Services(o => o.MaxAttempts = 2, s => s.AddSingleton(store).AddSingleton<IChatClient>(failing)))
        {
            Assert.Equal(BatchStatus.CompletedWithFailures, (await first.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(5))).Status);
        }

        var working = Writer();
        await using var second = TestSupport.Services(o => o.MaxAttempts = 2, s => s.AddSingleton(store).AddSingleton<IChatClient>(working));
        var runner = second.GetRequiredService<IBatchRunner>();

        var plain = await runner.RunToCompletionAsync(TestSupport.Plan(5));
        Assert.Equal(0, TestSupport.PostCalls(working)); // an ordinary resume leaves failed posts alone
        Assert.Equal(2, plain.Failed);

        BatchResult? result = null;
        await foreach (var batchEvent in runner.RetryFailedAsync(TestSupport.Plan(5)))
        {
            result = (batchEvent as BatchCompleted)?.Result ?? result;
        }

        Assert.Equal(BatchStatus.Completed, result!.Status);
        Assert.Equal(2, TestSupport.PostCalls(working));
        var post2 = result.Posts[1];
        Assert.Equal(PostStatus.Done, post2.Status);
        Assert.Equal(3, post2.Attempts);
        Assert.Contains("flaky 2", Assert.Single(post2.PriorErrors!), StringComparison.Ordinal);
        Assert.Null(result.Posts[0].PriorErrors);
        Assert.Equal(1, result.Posts[0].Attempts);
    }

    [Fact]
    public async Task RunAsync_TransientFailure_GetsOneMoreRoundAtTheEndOfTheRun()
    {
        // Post 2's first three attempts hit a 503; the round at the end finds the provider back.
        var order = new List<int>();
        using var client = Writer((index, attempt, _) =>
        {
            lock (order)
            {
                order.Add(index);
            }

            return index == 2 && attempt <= 3
                ? throw new HttpRequestException("busy", null, System.Net.HttpStatusCode.ServiceUnavailable)
                : Task.FromResult(TestSupport.Reply($"Post {index}. Agree?"));
        });
        await using var services = TestSupport.Services(o => o.RetryFailedPostsAtEnd = true, s => s.AddSingleton<IChatClient>(client));

        var events = await TestSupport.CollectAsync(services.GetRequiredService<IBatchRunner>().RunAsync(TestSupport.Plan(4)));

        var result = events.OfType<BatchCompleted>().Single().Result;
        Assert.Equal(BatchStatus.Completed, result.Status);
        Assert.Equal([1, 2, 2, 2, 3, 4, 2], order);
        var post2 = result.Posts[1];
        Assert.Equal(4, post2.Attempts);
        Assert.Contains("busy", Assert.Single(post2.PriorErrors!), StringComparison.Ordinal);
        Assert.Equal(100, post2.InputTokens); // the failed attempts reported no usage; the answer reported 100
    }

    [Fact]
    public async Task RunAsync_PermanentFailure_IsNotTriedAgainAtTheEnd()
    {
        using var client = Writer((index, _, _) => index == 2
            ? throw new HttpRequestException("bad request", null, System.Net.HttpStatusCode.BadRequest)
            : Task.FromResult(TestSupport.Reply($"Post {index}. Agree?")));
        await using var services = TestSupport.Services(o => o.RetryFailedPostsAtEnd = true, s => s.AddSingleton<IChatClient>(client));

        var result = await services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(3));

        Assert.Equal(BatchStatus.CompletedWithFailures, result.Status);
        Assert.Equal(3, client.Calls);
        Assert.Equal(1, result.Posts[1].Attempts);
    }

    [Fact]
    public async Task RunAsync_EndRoundTurnedOff_LeavesTransientFailuresFailed()
    {
        using var client = Writer((index, _, _) => index == 1
            ? throw new HttpRequestException("busy", null, System.Net.HttpStatusCode.ServiceUnavailable)
            : Task.FromResult(TestSupport.Reply($"Post {index}. Agree?")));
        await using var services = TestSupport.Services(o => o.RetryFailedPostsAtEnd = false, s => s.AddSingleton<IChatClient>(client));

        var result = await services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(2));

        Assert.Equal(PostStatus.Failed, result.Posts[0].Status);
        Assert.Equal(4, client.Calls);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private sealed class RecordingStore : IBatchStore
    {
        private readonly IBatchStore _inner = TestSupport.Services().GetRequiredService<IBatchStore>();

        public List<(int, PostStatus)> Saves { get; } = [];

        public ValueTask SavePlanAsync(BatchPlan plan, CancellationToken cancellationToken = default) => _inner.SavePlanAsync(plan, cancellationToken);

        public ValueTask<BatchPlan?> GetPlanAsync(BatchKey key, CancellationToken cancellationToken = default) => _inner.GetPlanAsync(key, cancellationToken);

        public ValueTask SavePostAsync(BatchKey key, PostResult post, CancellationToken cancellationToken = default)
        {
            lock (Saves)
            {
                Saves.Add((post.Index, post.Status));
            }

            return _inner.SavePostAsync(key, post, cancellationToken);
        }

        public ValueTask<IReadOnlyList<PostResult>> GetPostsAsync(BatchKey key, CancellationToken cancellationToken = default) => _inner.GetPostsAsync(key, cancellationToken);

        public ValueTask<bool> DeleteAsync(BatchKey key, CancellationToken cancellationToken = default) => _inner.DeleteAsync(key, cancellationToken);

        public ValueTask<IReadOnlyList<BatchSummary>> ListAsync(string tenantId, CancellationToken cancellationToken = default) => _inner.ListAsync(tenantId, cancellationToken);

        public ValueTask<int> PruneAsync(string tenantId, DateTimeOffset updatedBefore, IReadOnlyCollection<BatchStatus>? statuses = null, CancellationToken cancellationToken = default) =>
            _inner.PruneAsync(tenantId, updatedBefore, statuses, cancellationToken);

        public ValueTask SaveRunStateAsync(BatchKey key, BatchRunState state, CancellationToken cancellationToken = default) => _inner.SaveRunStateAsync(key, state, cancellationToken);

        public ValueTask<BatchRunState?> GetRunStateAsync(BatchKey key, CancellationToken cancellationToken = default) => _inner.GetRunStateAsync(key, cancellationToken);
    }
}
