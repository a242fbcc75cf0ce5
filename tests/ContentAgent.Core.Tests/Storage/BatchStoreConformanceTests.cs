using ContentAgent.Batches;
using ContentAgent.Learning;
using ContentAgent.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ContentAgent.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="IBatchStore"/> must have. A store implementation's tests derive from this class and
/// say how to create a fresh, empty store; every test here then runs against it.
/// </summary>
public abstract class BatchStoreConformanceTests
{
    /// <summary>Creates a fresh, empty store.</summary>
    protected abstract IBatchStore Store();

    private static PostResult Done(int index) =>
        new(TestSupport.Plan(index).Posts[index - 1], PostStatus.Done, $"post {index}", TestSupport.Score(8), 1, null, [], 10, 20, 100, 50, TimeSpan.FromSeconds(1), DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task SavePlanAsync_SamePlanTwice_ChangesNothing()
    {
        var store = Store();
        var plan = TestSupport.Plan(3);
        var key = new BatchKey("default", "plan-1");
        await store.SavePlanAsync(plan);
        await store.SavePostAsync(key, Done(1));

        await store.SavePlanAsync(plan);
        await store.SavePlanAsync((await store.GetPlanAsync(key))!);
        await store.SavePlanAsync(plan with { Posts = [.. plan.Posts] });

        Assert.Equal(plan.Brief, (await store.GetPlanAsync(key))!.Brief);
        Assert.Single(await store.GetPostsAsync(key));
    }

    [Fact]
    public async Task SavePlanAsync_DifferentPlanUnderAnExistingId_IsAConflictAndChangesNothing()
    {
        var store = Store();
        var plan = TestSupport.Plan(3);
        var key = new BatchKey("default", "plan-1");
        await store.SavePlanAsync(plan);
        await store.SavePostAsync(key, Done(1));

        var changedBrief = await Assert.ThrowsAsync<StoreConflictException>(async () => await store.SavePlanAsync(plan with { Brief = "changed" }));
        await Assert.ThrowsAsync<StoreConflictException>(async () => await store.SavePlanAsync(TestSupport.Plan(4)));

        Assert.Equal("default/plan-1", changedBrief.Key);
        Assert.Contains("default/plan-1", changedBrief.Message, StringComparison.Ordinal);
        var stored = (await store.GetPlanAsync(key))!;
        Assert.Equal(plan.Brief, stored.Brief);
        Assert.Equal(3, stored.Posts.Count);
        Assert.Single(await store.GetPostsAsync(key));

        // The same id under another tenant is another batch.
        await store.SavePlanAsync(TestSupport.Plan(4, tenantId: "acme"));
        Assert.Equal(4, (await store.GetPlanAsync(new BatchKey("acme", "plan-1")))!.Posts.Count);
    }

    [Fact]
    public async Task SavePostAsync_SameIndex_ReplacesAndKeepsIndexOrder()
    {
        var store = Store();
        var key = new BatchKey("default", "plan-1");
        await store.SavePlanAsync(TestSupport.Plan(3));

        await store.SavePostAsync(key, Done(3));
        await store.SavePostAsync(key, Done(1) with { Status = PostStatus.Writing });
        await store.SavePostAsync(key, Done(1));

        var posts = await store.GetPostsAsync(key);
        Assert.Equal([1, 3], posts.Select(p => p.Index));
        Assert.Equal(PostStatus.Done, posts[0].Status);
    }

    [Fact]
    public async Task Batches_AreKeyedByTenant()
    {
        var store = Store();
        await store.SavePlanAsync(TestSupport.Plan(2, tenantId: "acme"));
        await store.SavePostAsync(new BatchKey("acme", "plan-1"), Done(1));

        Assert.Null(await store.GetPlanAsync(new BatchKey("globex", "plan-1")));
        Assert.Empty(await store.GetPostsAsync(new BatchKey("globex", "plan-1")));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.SavePostAsync(new BatchKey("globex", "plan-1"), Done(1)));
    }

    [Fact]
    public async Task DeleteAsync_RemovesEverythingOnce()
    {
        var store = Store();
        var key = new BatchKey("default", "plan-1");
        await store.SavePlanAsync(TestSupport.Plan(2));
        await store.SavePostAsync(key, Done(1));

        Assert.True(await store.DeleteAsync(key));
        Assert.False(await store.DeleteAsync(key));
        Assert.Null(await store.GetPlanAsync(key));
        Assert.Empty(await store.GetPostsAsync(key));
    }

    [Fact]
    public async Task GetResultAsync_BuildsTheBatchFromWhatIsStored()
    {
        var store = Store();
        var key = new BatchKey("default", "plan-1");
        await store.SavePlanAsync(TestSupport.Plan(4));
        await store.SavePostAsync(key, Done(1));
        await store.SavePostAsync(key, Done(2) with { Status = PostStatus.Writing, Text = null, Score = null });
        await store.SavePostAsync(key, Done(3) with { Status = PostStatus.Failed, Text = null, Score = null, Error = "boom" });
        ContentAgent.Learning.Learning[] learnings = [new(LearningKind.Keep, "Hook: numbers", null, 1)];
        await store.SaveRunStateAsync(key, new BatchRunState(BatchStatus.Paused, learnings, 1, 2, 1, DateTimeOffset.UnixEpoch));

        var result = await store.GetResultAsync(key);

        Assert.NotNull(result);
        Assert.Equal(BatchStatus.Paused, result.Status);
        Assert.Equal([PostStatus.Done, PostStatus.Planned, PostStatus.Failed, PostStatus.Planned], result.Posts.Select(p => p.Status));
        Assert.Equal(1, result.Succeeded);
        Assert.Equal(1, result.Failed);
        Assert.Equal(2, result.Compactions);
        Assert.Equal(learnings, result.Learnings);
        Assert.Equal(20, result.Context.Total);
        Assert.Equal(40, result.Context.UncompactedTotal);
        Assert.Equal(BatchStatus.Cancelled, (await store.GetResultAsync(key, BatchStatus.Cancelled))!.Status);
        Assert.Null(await store.GetResultAsync(new BatchKey("default", "missing")));
    }

    [Fact]
    public async Task ListAsync_ShowsTheTenantsBatchesNewestFirstWithCounts()
    {
        var store = Store();
        var older = TestSupport.Plan(3, planId: "older") with { CreatedAt = DateTimeOffset.UnixEpoch };
        var newer = TestSupport.Plan(5, planId: "newer") with { CreatedAt = DateTimeOffset.UnixEpoch.AddDays(1), Brief = "Create 5 posts" };
        await store.SavePlanAsync(older);
        await store.SavePlanAsync(newer);
        await store.SavePlanAsync(TestSupport.Plan(2, planId: "elsewhere", tenantId: "acme"));
        await store.SavePostAsync(new BatchKey("default", "newer"), Done(1));
        await store.SavePostAsync(new BatchKey("default", "newer"), Done(2) with { Status = PostStatus.Failed, Text = null, Score = null, Error = "x" });
        await store.SaveRunStateAsync(new BatchKey("default", "newer"), new BatchRunState(BatchStatus.Paused, [], 0, 0, 1, DateTimeOffset.UnixEpoch));

        var list = await store.ListAsync("default");

        Assert.Equal(["newer", "older"], list.Select(b => b.PlanId));
        var first = list[0];
        Assert.Equal((BatchStatus.Paused, 5, 1, 1, "Create 5 posts"), (first.Status, first.Total, first.Done, first.Failed, first.Brief));
        Assert.Equal(BatchStatus.Running, list[1].Status);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddDays(1), first.CreatedAt);
        Assert.Empty(await store.ListAsync("nobody"));
    }

    [Fact]
    public async Task PruneAsync_DeletesOnlyOldBatchesInTheGivenStatusesOfTheTenant()
    {
        var store = Store();
        await store.SavePlanAsync(TestSupport.Plan(1, planId: "done"));
        await store.SaveRunStateAsync(new BatchKey("default", "done"), new BatchRunState(BatchStatus.Completed, [], 0, 0, 0, DateTimeOffset.UnixEpoch));
        await store.SavePlanAsync(TestSupport.Plan(1, planId: "paused"));
        await store.SaveRunStateAsync(new BatchKey("default", "paused"), new BatchRunState(BatchStatus.Paused, [], 0, 0, 0, DateTimeOffset.UnixEpoch));
        await store.SavePlanAsync(TestSupport.Plan(1, planId: "done", tenantId: "acme"));

        Assert.Equal(0, await store.PruneAsync("default", DateTimeOffset.UnixEpoch)); // nothing is that old
        Assert.Equal(1, await store.PruneAsync("default", DateTimeOffset.MaxValue, [BatchStatus.Completed]));
        Assert.Equal(["paused"], (await store.ListAsync("default")).Select(b => b.PlanId));
        Assert.Single(await store.ListAsync("acme"));
        Assert.Equal(1, await store.PruneAsync("default", DateTimeOffset.MaxValue));
        Assert.Empty(await store.ListAsync("default"));
    }

    [Fact]
    public async Task DeleteAndPrune_RemoveTheBatchsLease()
    {
        var store = Store();
        var leases = (ContentAgent.Leasing.ILeaseStore)store;
        await store.SavePlanAsync(TestSupport.Plan(1));
        await store.SavePlanAsync(TestSupport.Plan(1, planId: "plan-2"));
        var first = new ContentAgent.Leasing.LeaseKey("default", ContentAgent.Leasing.LeaseScopes.Batch, "plan-1");
        var second = first with { Id = "plan-2" };
        await leases.AcquireAsync(first, "a", TimeSpan.FromMinutes(5));
        await leases.AcquireAsync(second, "a", TimeSpan.FromMinutes(5));

        await store.DeleteAsync(new BatchKey("default", "plan-1"));
        Assert.Null(await leases.GetAsync(first));
        Assert.NotNull(await leases.GetAsync(second));

        await store.PruneAsync("default", DateTimeOffset.MaxValue);
        Assert.Null(await leases.GetAsync(second));
    }

    [Fact]
    public async Task Methods_HonourCancellation()
    {
        var store = Store();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.SavePlanAsync(TestSupport.Plan(1), cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.GetPostsAsync(new BatchKey("default", "plan-1"), cancelled.Token));
    }

    [Fact]
    public async Task SendLedger_BeginCompleteAndBeginAgain_NeverLetsASentItemGoTwice()
    {
        var store = Store();
        var ledger = Assert.IsAssignableFrom<ISendLedger>(store);
        var key = new BatchKey("default", "plan-1");
        await store.SavePlanAsync(TestSupport.Plan(2));
        var item = new SendItem("k-1", "email", "ana@example.com");

        Assert.Null(await ledger.BeginAsync(key, item));
        var pending = Assert.Single(await ledger.GetSendsAsync(key));
        Assert.Equal(SendStatus.Pending, pending.Status);
        Assert.Equal(1, pending.Attempts);

        await ledger.CompleteAsync(key, "k-1", SendStatus.Sent, "msg-42", null);
        var before = await ledger.BeginAsync(key, item);

        Assert.Equal(SendStatus.Sent, before!.Status);
        var sent = Assert.Single(await ledger.GetSendsAsync(key));
        Assert.Equal(SendStatus.Sent, sent.Status);
        Assert.Equal("msg-42", sent.ProviderMessageId);
        Assert.Equal(1, sent.Attempts);
    }

    [Fact]
    public async Task SendLedger_FailedOrPendingItem_IsBegunAgainWithOneMoreAttempt()
    {
        var store = Store();
        var ledger = Assert.IsAssignableFrom<ISendLedger>(store);
        var key = new BatchKey("default", "plan-1");
        await store.SavePlanAsync(TestSupport.Plan(2));
        var item = new SendItem("k-2", "social", "https://social.example/api");
        await ledger.BeginAsync(key, item);
        await ledger.CompleteAsync(key, "k-2", SendStatus.Failed, null, "503 busy");

        var afterFailure = await ledger.BeginAsync(key, item);
        var afterCrash = await ledger.BeginAsync(key, item); // a run that stopped while sending left it pending

        Assert.Equal(SendStatus.Failed, afterFailure!.Status);
        Assert.Equal("503 busy", afterFailure.Error);
        Assert.Equal(SendStatus.Pending, afterCrash!.Status);
        Assert.Equal(3, (await ledger.GetSendsAsync(key))[0].Attempts);
    }

    [Fact]
    public async Task SendLedger_IsKeptPerBatchAndGoesWithIt()
    {
        var store = Store();
        var ledger = Assert.IsAssignableFrom<ISendLedger>(store);
        var one = new BatchKey("default", "plan-1");
        var two = new BatchKey("default", "plan-2");
        await store.SavePlanAsync(TestSupport.Plan(1));
        await store.SavePlanAsync(TestSupport.Plan(1, "plan-2"));
        await ledger.BeginAsync(one, new SendItem("same", "email", "a@example.com"));
        await ledger.BeginAsync(two, new SendItem("same", "email", "a@example.com"));
        await ledger.CompleteAsync(two, "same", SendStatus.Sent, "m", null);

        await store.DeleteAsync(one);

        Assert.Empty(await ledger.GetSendsAsync(one));
        Assert.Equal(SendStatus.Sent, Assert.Single(await ledger.GetSendsAsync(two)).Status);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await ledger.BeginAsync(new BatchKey("default", "missing"), new SendItem("x", "email", "a@example.com")));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await ledger.CompleteAsync(two, "never-begun", SendStatus.Sent, null, null));
    }

    [Fact]
    public async Task SendLedger_HandOver_CountsAsSentUntilTheOutcomeIsRecorded()
    {
        var store = Store();
        var ledger = Assert.IsAssignableFrom<ISendLedger>(store);
        var key = new BatchKey("default", "plan-1");
        await store.SavePlanAsync(TestSupport.Plan(1));
        var item = new SendItem("k-3", "email", "a@example.com");
        await ledger.BeginAsync(key, item);

        await ledger.HandOverAsync(key, "k-3");

        var handedOver = (await ledger.BeginAsync(key, item))!; // a re-run would not send it, and changes nothing
        Assert.Equal(SendStatus.HandedOver, handedOver.Status);
        Assert.Equal(SendStatus.HandedOver, Assert.Single(await ledger.GetSendsAsync(key)).Status);
        await ledger.CompleteAsync(key, "k-3", SendStatus.Sent, "<k-3@contentagent>", null);
        var record = Assert.Single(await ledger.GetSendsAsync(key));
        Assert.Equal(SendStatus.Sent, record.Status);
        Assert.Equal("<k-3@contentagent>", record.ProviderMessageId);
        Assert.Equal(1, record.Attempts);
    }
}
