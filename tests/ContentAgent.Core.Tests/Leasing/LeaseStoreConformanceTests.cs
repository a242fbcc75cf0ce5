using ContentAgent.Leasing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ContentAgent.Tests.Leasing;

/// <summary>
/// The behaviour every <see cref="ILeaseStore"/> must have (batches now; workflow runs, jobs and the Orleans sweeper next).
/// A store's tests derive from this class and say how to make a fresh store on the given clock.
/// </summary>
public abstract class LeaseStoreConformanceTests
{
    private static readonly LeaseKey Key = new("acme", LeaseScopes.Batch, "plan-1");

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));

    /// <summary>Creates a fresh, empty store on <see cref="Time"/>.</summary>
    protected abstract ILeaseStore Store();

    [Fact]
    public async Task AcquireAsync_OneOwnerAtATime_RenewableAndReleasable()
    {
        var store = Store();

        var first = await store.AcquireAsync(Key, "a", TimeSpan.FromMinutes(5));
        var second = await store.AcquireAsync(Key, "b", TimeSpan.FromMinutes(5));
        Time.Advance(TimeSpan.FromMinutes(1));
        var renewed = await store.AcquireAsync(Key, "a", TimeSpan.FromMinutes(10));

        Assert.True(first.IsHeldBy("a"));
        Assert.Equal(Key, first.Key);
        Assert.Equal(Time.GetUtcNow() - TimeSpan.FromMinutes(1) + TimeSpan.FromMinutes(5), first.ExpiresAt);
        Assert.True(second.IsHeldBy("a"));
        Assert.Equal(first.ExpiresAt, second.ExpiresAt);
        Assert.True(renewed.IsHeldBy("a"));
        Assert.Equal(Time.GetUtcNow() + TimeSpan.FromMinutes(10), renewed.ExpiresAt);

        await store.ReleaseAsync(Key, "b"); // not b's to give back
        Assert.True((await store.AcquireAsync(Key, "b", TimeSpan.FromMinutes(5))).IsHeldBy("a"));
        await store.ReleaseAsync(Key, "a");
        Assert.Null(await store.GetAsync(Key));
        Assert.True((await store.AcquireAsync(Key, "b", TimeSpan.FromMinutes(5))).IsHeldBy("b"));
    }

    [Fact]
    public async Task AcquireAsync_ExpiredLease_IsTaken()
    {
        var store = Store();
        await store.AcquireAsync(Key, "dead", TimeSpan.FromSeconds(30));

        Time.Advance(TimeSpan.FromSeconds(29));
        Assert.True((await store.AcquireAsync(Key, "alive", TimeSpan.FromMinutes(1))).IsHeldBy("dead"));
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await store.AcquireAsync(Key, "alive", TimeSpan.FromMinutes(1))).IsHeldBy("alive"));
    }

    [Fact]
    public async Task Leases_AreKeyedByTenantScopeAndId()
    {
        var store = Store();
        await store.AcquireAsync(Key, "a", TimeSpan.FromMinutes(5));

        Assert.True((await store.AcquireAsync(Key with { TenantId = "globex" }, "b", TimeSpan.FromMinutes(5))).IsHeldBy("b"));
        Assert.True((await store.AcquireAsync(Key with { Scope = "job" }, "c", TimeSpan.FromMinutes(5))).IsHeldBy("c"));
        Assert.True((await store.AcquireAsync(Key with { Id = "plan-2" }, "d", TimeSpan.FromMinutes(5))).IsHeldBy("d"));
        Assert.Equal("a", (await store.GetAsync(Key))!.Owner);
        Assert.Null(await store.GetAsync(Key with { TenantId = "initech" }));
    }

    [Fact]
    public async Task TakeOverAsync_OnlyFromTheExpectedHolder_ExpiredOrNot()
    {
        var store = Store();
        await store.AcquireAsync(Key, "dead", TimeSpan.FromMinutes(5));

        Assert.Null(await store.TakeOverAsync(Key, "someone-else", "new", TimeSpan.FromMinutes(1)));
        Assert.Equal("dead", (await store.GetAsync(Key))!.Owner);

        var taken = await store.TakeOverAsync(Key, "dead", "new", TimeSpan.FromMinutes(1));
        Assert.NotNull(taken);
        Assert.True(taken.IsHeldBy("new"));
        Assert.Equal(Time.GetUtcNow() + TimeSpan.FromMinutes(1), taken.ExpiresAt);
        Assert.Equal("new", (await store.GetAsync(Key))!.Owner);

        // A second taker that saw the same dead holder loses: it was a compare-and-swap.
        Assert.Null(await store.TakeOverAsync(Key, "dead", "late", TimeSpan.FromMinutes(1)));
        Assert.Null(await store.TakeOverAsync(Key with { Id = "nobody" }, "dead", "new", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task GetExpiredAsync_ListsTheScopesExpiredLeasesAcrossTenants_OldestFirst()
    {
        var store = Store();
        await store.AcquireAsync(new LeaseKey("acme", LeaseScopes.Batch, "b1"), "x", TimeSpan.FromSeconds(20));
        await store.AcquireAsync(new LeaseKey("globex", LeaseScopes.Batch, "b2"), "y", TimeSpan.FromSeconds(10));
        await store.AcquireAsync(new LeaseKey("acme", LeaseScopes.Batch, "b3"), "z", TimeSpan.FromMinutes(10));
        await store.AcquireAsync(new LeaseKey("acme", "job", "j1"), "x", TimeSpan.FromSeconds(5));
        Time.Advance(TimeSpan.FromSeconds(30));

        var expired = await store.GetExpiredAsync(LeaseScopes.Batch, Time.GetUtcNow());

        Assert.Equal(["globex/batch/b2", "acme/batch/b1"], expired.Select(l => l.Key.ToString()));
        Assert.Equal(["y", "x"], expired.Select(l => l.Owner));
        Assert.Single(await store.GetExpiredAsync(LeaseScopes.Batch, Time.GetUtcNow(), limit: 1));
        Assert.Equal(["acme/job/j1"], (await store.GetExpiredAsync("job", Time.GetUtcNow())).Select(l => l.Key.ToString()));
        Assert.Empty(await store.GetExpiredAsync(LeaseScopes.Batch, Time.GetUtcNow() - TimeSpan.FromMinutes(1)));

        // A sweeper takes each one; a taken lease is no longer expired.
        Assert.True((await store.AcquireAsync(expired[0].Key, "sweeper", TimeSpan.FromMinutes(1))).IsHeldBy("sweeper"));
        Assert.Single(await store.GetExpiredAsync(LeaseScopes.Batch, Time.GetUtcNow()));
    }

    [Fact]
    public async Task AcquireAsync_ConcurrentOwners_ExactlyOneWins()
    {
        var store = Store();

        var leases = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(async () => await store.AcquireAsync(Key, $"owner-{i}", TimeSpan.FromMinutes(1)))));

        Assert.Single(leases.Select(l => l.Owner).Distinct());
        Assert.Contains(leases, l => l.IsHeldBy(l.Owner));
    }
}

public sealed class InMemoryLeaseStoreTests : LeaseStoreConformanceTests
{
    protected override ILeaseStore Store() => TestSupport.Services(services: s => s.AddSingleton<TimeProvider>(Time)).GetRequiredService<ILeaseStore>();
}

public sealed class SqliteLeaseStoreTests : LeaseStoreConformanceTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("contentagent-leases-").FullName;
    private readonly List<ServiceProvider> _providers = [];

    public void Dispose()
    {
        foreach (var provider in _providers)
        {
            provider.Dispose();
        }

        Directory.Delete(_directory, recursive: true);
    }

    protected override ILeaseStore Store()
    {
        var path = Path.Combine(_directory, $"{Guid.NewGuid():N}.db");
        var provider = TestSupport.Services(services: s => s.AddSingleton<TimeProvider>(Time).AddContentAgent().UseSqliteStore(o => o.Path = path));
        _providers.Add(provider);
        return provider.GetRequiredService<ILeaseStore>();
    }

    [Fact]
    public async Task Leases_SurviveTheProcess_AnotherStoreOnTheFileSeesThem()
    {
        var path = Path.Combine(_directory, "shared.db");
        var key = new LeaseKey("acme", LeaseScopes.Batch, "plan-1");
        await using (var first = TestSupport.Services(services: s => s.AddSingleton<TimeProvider>(Time).AddContentAgent().UseSqliteStore(o => o.Path = path)))
        {
            await first.GetRequiredService<ILeaseStore>().AcquireAsync(key, "a", TimeSpan.FromMinutes(5));
        }

        await using var second = TestSupport.Services(services: s => s.AddSingleton<TimeProvider>(Time).AddContentAgent().UseSqliteStore(o => o.Path = path));
        Assert.True((await second.GetRequiredService<ILeaseStore>().AcquireAsync(key, "b", TimeSpan.FromMinutes(5))).IsHeldBy("a"));
    }
}
