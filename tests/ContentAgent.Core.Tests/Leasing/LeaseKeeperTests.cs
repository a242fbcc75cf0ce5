using System.Diagnostics;
using ContentAgent.Leasing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace ContentAgent.Tests.Leasing;

public sealed class LeaseKeeperTests
{
    private static readonly LeaseKey Key = new("acme", LeaseScopes.Batch, "plan-1");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));

    private (ILeaseKeeper Keeper, ILeaseStore Store, FakeLogCollector Logs) Build(ILeaseStore? store = null, LeaseOwner? owner = null)
    {
        var services = TestSupport.Services(services: s =>
        {
            s.AddSingleton<TimeProvider>(_time).AddLogging(b => b.SetMinimumLevel(LogLevel.Debug)).AddFakeLogging();
            if (store is not null)
            {
                s.AddSingleton(store);
            }

            if (owner is not null)
            {
                s.AddSingleton(owner);
            }
        });
        return (services.GetRequiredService<ILeaseKeeper>(), services.GetRequiredService<ILeaseStore>(), services.GetFakeLogCollector());
    }

    [Fact]
    public async Task AcquireAsync_TakesTheLeaseInThisProcesssName_AndDisposeGivesItBack()
    {
        var (keeper, store, _) = Build();

        var held = await keeper.AcquireAsync(Key, TimeSpan.FromSeconds(30));

        Assert.StartsWith(LeaseOwner.ForCurrentProcess().Name + "/", held.Lease.Owner, StringComparison.Ordinal);
        Assert.Equal(held.Lease, await store.GetAsync(Key));
        Assert.Null(held.TakenOverFrom);
        Assert.False(held.Lost.IsCancellationRequested);
        await held.DisposeAsync();
        Assert.Null(await store.GetAsync(Key));
        await held.DisposeAsync(); // twice is harmless
    }

    [Fact]
    public async Task HeldLease_IsRenewedEveryThirdOfItsDuration()
    {
        var (keeper, store, _) = Build();
        await using var held = await keeper.AcquireAsync(Key, TimeSpan.FromSeconds(30));
        var first = held.Lease.ExpiresAt;

        for (var i = 1; i <= 3; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(10));
            var expected = first + TimeSpan.FromSeconds(10 * i);
            await WaitUntilAsync(async () => (await store.GetAsync(Key))!.ExpiresAt == expected);
        }

        Assert.False(held.Lost.IsCancellationRequested);
        Assert.Equal(first + TimeSpan.FromSeconds(30), held.Lease.ExpiresAt);
    }

    [Fact]
    public async Task HeldLease_TakenByAnotherOwner_IsLostAtTheNextRenewal_SayingWho()
    {
        var (keeper, store, logs) = Build();
        await using var held = await keeper.AcquireAsync(Key, TimeSpan.FromSeconds(30));

        Assert.NotNull(await store.TakeOverAsync(Key, held.Lease.Owner, "thief", TimeSpan.FromMinutes(10)));
        _time.Advance(TimeSpan.FromSeconds(10));

        await WaitUntilAsync(() => Task.FromResult(held.Lost.IsCancellationRequested));
        Assert.NotNull(held.Loss);
        Assert.True(held.Loss.Lost);
        Assert.Equal("thief", held.Loss.Owner);
        Assert.Contains("taken over by thief", held.Loss.Message, StringComparison.Ordinal);
        Assert.Contains(logs.GetSnapshot(), r => r.Id.Id == 21 && r.Level == LogLevel.Warning);

        await held.DisposeAsync();
        Assert.Equal("thief", (await store.GetAsync(Key))!.Owner); // not ours to give back
    }

    [Fact]
    public async Task HeldLease_RenewalFails_IsLost()
    {
        var failing = new FailingLeaseStore(TestSupport.Services(services: s => s.AddSingleton<TimeProvider>(_time)).GetRequiredService<ILeaseStore>());
        var (keeper, _, _) = Build(failing);
        await using var held = await keeper.AcquireAsync(Key, TimeSpan.FromSeconds(30));

        failing.Fail = true;
        _time.Advance(TimeSpan.FromSeconds(10));

        await WaitUntilAsync(() => Task.FromResult(held.Lost.IsCancellationRequested));
        Assert.Contains("could not be renewed (IOException: disk gone)", held.Loss!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcquireAsync_HeldByANamedOwner_ThrowsSayingWhoAndUntilWhen_NoTakeOver()
    {
        var (keeper, store, _) = Build();
        var other = await store.AcquireAsync(Key, "silo-2/run-7", TimeSpan.FromMinutes(5));

        var error = await Assert.ThrowsAsync<LeaseException>(() => keeper.AcquireAsync(Key, TimeSpan.FromSeconds(30)));

        Assert.False(error.Lost);
        Assert.Equal("silo-2/run-7", error.Owner);
        Assert.Equal(other.ExpiresAt, error.ExpiresAt);
        Assert.Equal("The batch 'plan-1' of tenant 'acme' is being run by silo-2 until 2026-12-07 12:05:00 UTC (unless it renews its lease); try again after that.", error.Message);
        Assert.Equal("silo-2/run-7", (await store.GetAsync(Key))!.Owner);
    }

    [Fact]
    public async Task AcquireAsync_HeldByALiveProcessOfThisMachine_IsNotTakenOver()
    {
        using var sleeper = Sleeper();
        var (keeper, store, _) = Build();
        var owner = LeaseOwner.ForProcess(sleeper.Id)!;
        await store.AcquireAsync(Key, owner.NewToken(), TimeSpan.FromMinutes(5));

        var error = await Assert.ThrowsAsync<LeaseException>(() => keeper.AcquireAsync(Key, TimeSpan.FromSeconds(30)));

        Assert.Contains($"is being run by process {sleeper.Id} on {Environment.MachineName}", error.Message, StringComparison.Ordinal);
        sleeper.Kill();
    }

    [Fact]
    public async Task AcquireAsync_HeldByAProcessThatDied_IsTakenOverAtOnce_WithALineSayingSo()
    {
        using var sleeper = Sleeper();
        var (keeper, store, logs) = Build();
        var dead = LeaseOwner.ForProcess(sleeper.Id)!.NewToken();
        await store.AcquireAsync(Key, dead, TimeSpan.FromHours(1));
        sleeper.Kill();
        await sleeper.WaitForExitAsync();

        await using var held = await keeper.AcquireAsync(Key, TimeSpan.FromSeconds(30));

        Assert.Equal($"process {sleeper.Id} on {Environment.MachineName}", held.TakenOverFrom);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(30), held.Lease.ExpiresAt);
        Assert.Equal(held.Lease.Owner, (await store.GetAsync(Key))!.Owner);
        var line = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 20);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains($"from process {sleeper.Id} on {Environment.MachineName}, which is no longer running", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcquireAsync_HeldUnderAPidThatWasReused_IsTakenOver()
    {
        // This test's own pid, with a start time it never had: the pid now runs another process than the one that took the lease.
        var (keeper, store, _) = Build();
        var name = LeaseOwner.ForCurrentProcess().Name;
        var start = long.Parse(name[(name.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        await store.AcquireAsync(Key, $"{name[..(name.LastIndexOf(':') + 1)]}{start - 1}/old-run", TimeSpan.FromHours(1));

        await using var held = await keeper.AcquireAsync(Key, TimeSpan.FromSeconds(30));

        Assert.Equal($"process {Environment.ProcessId} on {Environment.MachineName}", held.TakenOverFrom);
    }

    [Fact]
    public async Task AcquireAsync_HeldByAProcessOfAnotherMachineOrBoot_IsNotTakenOver()
    {
        var (keeper, store, _) = Build();
        var name = LeaseOwner.ForCurrentProcess().Name;
        var parts = name["proc:".Length..].Split(':');
        await store.AcquireAsync(Key, $"proc:another-host:{parts[1]}:999999:1/run", TimeSpan.FromHours(1));
        await store.AcquireAsync(Key with { Id = "plan-2" }, $"proc:{parts[0]}:0123456789ab:999999:1/run", TimeSpan.FromHours(1));

        await Assert.ThrowsAsync<LeaseException>(() => keeper.AcquireAsync(Key, TimeSpan.FromSeconds(30)));
        await Assert.ThrowsAsync<LeaseException>(() => keeper.AcquireAsync(Key with { Id = "plan-2" }, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task AcquireAsync_AnotherKeeperWithANamedOwner_NeverJudgesProcessesDead()
    {
        using var sleeper = Sleeper();
        var (keeper, store, _) = Build(owner: LeaseOwner.Named("silo-1"));
        await store.AcquireAsync(Key, LeaseOwner.ForProcess(sleeper.Id)!.NewToken(), TimeSpan.FromHours(1));
        sleeper.Kill();
        await sleeper.WaitForExitAsync();

        await Assert.ThrowsAsync<LeaseException>(() => keeper.AcquireAsync(Key, TimeSpan.FromSeconds(30)));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("proc:x")]
    [InlineData(" ")]
    public void Named_RejectsNamesThatCouldBeMistakenForAProcess(string name) =>
        Assert.ThrowsAny<ArgumentException>(() => LeaseOwner.Named(name));

    private static Process Sleeper() =>
        Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false }) ?? throw new InvalidOperationException("sleep did not start");

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < Patience, "the condition never held");
            await Task.Delay(10);
        }
    }

    private sealed class FailingLeaseStore(ILeaseStore inner) : ILeaseStore
    {
        public bool Fail { get; set; }

        public ValueTask<Lease> AcquireAsync(LeaseKey key, string owner, TimeSpan duration, CancellationToken cancellationToken = default) =>
            Fail ? throw new IOException("disk gone") : inner.AcquireAsync(key, owner, duration, cancellationToken);

        public ValueTask<Lease?> TakeOverAsync(LeaseKey key, string expectedOwner, string owner, TimeSpan duration, CancellationToken cancellationToken = default) =>
            inner.TakeOverAsync(key, expectedOwner, owner, duration, cancellationToken);

        public ValueTask ReleaseAsync(LeaseKey key, string owner, CancellationToken cancellationToken = default) => inner.ReleaseAsync(key, owner, cancellationToken);

        public ValueTask<Lease?> GetAsync(LeaseKey key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

        public ValueTask<IReadOnlyList<Lease>> GetExpiredAsync(string scope, DateTimeOffset asOf, int limit = 100, CancellationToken cancellationToken = default) =>
            inner.GetExpiredAsync(scope, asOf, limit, cancellationToken);
    }
}
