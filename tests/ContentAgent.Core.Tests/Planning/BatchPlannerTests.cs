using System.Text.RegularExpressions;
using ContentAgent.Planning;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ContentAgent.Tests.Planning;

public sealed partial class BatchPlannerTests
{
    private static IBatchPlanner Planner(int maxPosts = 100, IChatClient? client = null, TimeProvider? time = null) =>
        TestSupport.Services(o => o.MaxPostsPerBatch = maxPosts, s =>
        {
            if (client is not null)
            {
                s.AddSingleton(client);
            }

            if (time is not null)
            {
                s.AddSingleton(time);
            }
        }).GetRequiredService<IBatchPlanner>();

    private static string[] Topics(BatchPlan plan) => [.. plan.Posts.Select(p => p.Topic)];

    [Fact]
    public async Task PlanAsync_OnePostPerListedTopic()
    {
        var plan = await Planner().PlanAsync("default", "Create 5 LinkedIn posts about AI agents, productivity, remote work, cybersecurity, and cloud computing");

        Assert.Equal(["AI agents", "productivity", "remote work", "cybersecurity", "cloud computing"], Topics(plan));
        Assert.All(plan.Posts, p => Assert.Equal(Platform.LinkedIn, p.Platform));
        Assert.Equal([1, 2, 3, 4, 5], plan.Posts.Select(p => p.Index));
    }

    [Fact]
    public async Task PlanAsync_CountsPerTopic()
    {
        var plan = await Planner().PlanAsync("default", "Create 15 LinkedIn posts: 5 about AI, 5 about productivity, 5 about remote work");

        Assert.Equal(15, plan.Posts.Count);
        Assert.Equal(Enumerable.Repeat("AI", 5).Concat(Enumerable.Repeat("productivity", 5)).Concat(Enumerable.Repeat("remote work", 5)), Topics(plan));
        Assert.All(plan.Posts.GroupBy(p => p.Topic), g => Assert.Equal(5, g.Select(p => p.Angle).Distinct().Count()));
    }

    [Fact]
    public async Task PlanAsync_MixedPlatforms_AlternatePostByPost()
    {
        var plan = await Planner().PlanAsync("default", "30 posts for X and LinkedIn about product launches and hiring");

        Assert.Equal(30, plan.Posts.Count);
        Assert.Equal(15, plan.Posts.Count(p => p.Platform == Platform.X));
        Assert.Equal(15, plan.Posts.Count(p => p.Platform == Platform.LinkedIn));
        Assert.Equal(Platform.X, plan.Posts[0].Platform);
        Assert.Equal(Platform.LinkedIn, plan.Posts[1].Platform);
        Assert.Equal(["hiring", "product launches"], plan.Posts.Select(p => p.Topic).Distinct().Order());
    }

    [Theory]
    [InlineData("Create five LinkedIn posts about AI", 5)]
    [InlineData("Write fifteen tweets about remote work", 15)]
    [InlineData("twenty-five Instagram posts about coffee", 25)]
    [InlineData("A dozen posts about hiring", 12)]
    [InlineData("Create one hundred posts about AI", 100)]
    [InlineData("Create 3 posts on LinkedIn about AI", 3)]
    public async Task PlanAsync_CountsInWordsOrDigits(string brief, int expected)
    {
        var plan = await Planner().PlanAsync("default", brief);

        Assert.Equal(expected, plan.Posts.Count);
    }

    [Theory]
    [InlineData("Create 4 Twitter posts about AI", Platform.X)]
    [InlineData("Create 4 tweets about AI", Platform.X)]
    [InlineData("Create 4 IG posts about AI", Platform.Instagram)]
    [InlineData("Create 4 Facebook posts about AI", Platform.Facebook)]
    [InlineData("Create 4 FB posts about AI", Platform.Facebook)]
    [InlineData("Create 4 Threads posts about AI", Platform.Threads)]
    [InlineData("Create 4 email newsletters about AI", Platform.EmailNewsletter)]
    [InlineData("Create 4 newsletter issues about AI", Platform.EmailNewsletter)]
    [InlineData("Create 4 posts about AI", Platform.LinkedIn)]
    public async Task PlanAsync_PlatformAliases(string brief, Platform expected)
    {
        var plan = await Planner().PlanAsync("default", brief);

        Assert.All(plan.Posts, p => Assert.Equal(expected, p.Platform));
    }

    [Fact]
    public async Task PlanAsync_CountSpreadOverTopics_RemainderToTheFirst()
    {
        var plan = await Planner().PlanAsync("default", "Create 7 posts about AI, hiring and culture");

        Assert.Equal([3, 2, 2], plan.Posts.GroupBy(p => p.Topic).Select(g => g.Count()));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("Create LinkedIn posts about AI", "no post count")]
    [InlineData("asdf qwer !!! ???", "no post count")]
    [InlineData("???", "no post count")]
    [InlineData("Create 0 LinkedIn posts about AI", "0 posts")]
    [InlineData("Create 101 LinkedIn posts about AI", "maximum is 100")]
    [InlineData("Create 5 MySpace posts about AI", "Unknown platform 'MySpace'")]
    [InlineData("Create 5 posts for Tumblr about AI", "Unknown platform 'Tumblr'")]
    [InlineData("Create 5 LinkedIn posts", "no topic")]
    [InlineData("Create 2 posts about AI, hiring and culture", "names 3 topics")]
    [InlineData("Create 15 LinkedIn posts: 5 about AI, 5 about productivity", "add up to 10")]
    public async Task PlanAsync_BadBrief_ThrowsNamingTheProblemWithAnExample(string brief, string problem)
    {
        var error = await Assert.ThrowsAsync<InvalidBriefException>(() => Planner().PlanAsync("default", brief));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Contains(InvalidBriefException.ExampleBrief, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task PlanAsync_MaxPostsBoundary_FromOptions()
    {
        Assert.Equal(10, (await Planner(maxPosts: 10).PlanAsync("default", "Create 10 posts about AI")).Posts.Count);

        var error = await Assert.ThrowsAsync<InvalidBriefException>(() => Planner(maxPosts: 10).PlanAsync("default", "Create 11 posts about AI"));
        Assert.Contains("ContentAgent:MaxPostsPerBatch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanAsync_PlanIdsAreUniqueSortableFolderNames()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 7, 8, 9, TimeSpan.Zero));
        var planner = Planner(time: time);
        var ids = new HashSet<string>();
        for (var i = 0; i < 100; i++)
        {
            var plan = await planner.PlanAsync("default", "Create 1 post about AI");
            Assert.Matches(PlanIdPattern(), plan.PlanId);
            Assert.StartsWith("20261123-070809-", plan.PlanId, StringComparison.Ordinal);
            Assert.Equal(time.GetUtcNow(), plan.CreatedAt);
            ids.Add(plan.PlanId);
        }

        Assert.Equal(100, ids.Count);
    }

    [Fact]
    public async Task PlanAsync_ConcurrentPlannersInTheSameMillisecond_NeverMakeTheSameId()
    {
        // Eight hosts' planners (separate containers), a frozen clock: only the random part can keep ids apart.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 30, 0, 123, TimeSpan.Zero));
        var planners = Enumerable.Range(0, 8).Select(_ => Planner(time: time)).ToList();
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();

        await Task.WhenAll(planners.Select(planner => Task.Run(async () =>
        {
            for (var i = 0; i < 1_000; i++)
            {
                ids.Add((await planner.PlanAsync("default", "Create 1 post about AI")).PlanId);
            }
        })));

        Assert.Equal(8_000, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.StartsWith("20261207-093000-3v", id, StringComparison.Ordinal)); // 123 ms = "3v" in base32
    }

    [Fact]
    public async Task PlanAsync_IdsSortAsTheirCreationTimes()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 31, 23, 59, 59, 998, TimeSpan.Zero));
        var planner = Planner(time: time);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await planner.PlanAsync("default", "Create 1 post about AI")).PlanId);
            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.StartsWith("20270101-000000-", ids[^1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad tenant")]
    [InlineData("../etc")]
    [InlineData("-leading-dash")]
    public async Task PlanAsync_InvalidTenant_ThrowsNamingTheRule(string tenant)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Planner().PlanAsync(tenant, "Create 3 posts about AI"));

        Assert.Contains("tenant id", error.Message, StringComparison.Ordinal);
        Assert.Contains("letters, digits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanAsync_TheTenantTravelsWithTheCall_OnePlannerServesTwoTenants()
    {
        var planner = Planner();

        var acme = await planner.PlanAsync("acme", "Create 3 posts about AI");
        var globex = await planner.PlanAsync("globex", "Create 3 posts about AI");

        Assert.Equal("acme", acme.TenantId);
        Assert.Equal("globex", globex.TenantId);
        Assert.NotEqual(acme.PlanId, globex.PlanId);
    }

    [Fact]
    public async Task PlanAsync_OfflineClient_NeverAsksTheModel()
    {
        using var client = new TestChatClient { Metadata = new ChatClientMetadata("offline", null, "m") };

        await Assert.ThrowsAsync<InvalidBriefException>(() => Planner(client: client).PlanAsync("default", "Something for our launch next week"));

        Assert.Equal(0, client.Calls);
    }

    [Fact]
    public async Task PlanAsync_LiveClient_PlansAFreeFormBriefWithTheModel()
    {
        using var client = new TestChatClient
        {
            GetResponseAsyncCallback = (_, options, _) => Task.FromResult(TestSupport.Reply(
                """{"posts":[{"platform":"LinkedIn","topic":"launch teaser","angle":"a countdown"},{"platform":"Twitter","topic":"launch day","angle":""}]}""")),
        };

        var plan = await Planner(client: client).PlanAsync("default", "Something for our launch next week, mostly professional");

        Assert.Equal(1, client.Calls);
        Assert.IsType<ChatResponseFormatJson>(client.Requests[0].Options?.ResponseFormat);
        Assert.Equal([Platform.LinkedIn, Platform.X], plan.Posts.Select(p => p.Platform));
        Assert.Equal("a countdown", plan.Posts[0].Angle);
        Assert.False(string.IsNullOrWhiteSpace(plan.Posts[1].Angle));
    }

    [Theory]
    [InlineData("Create 101 posts about AI", "maximum is 100")]
    [InlineData("Create 5 MySpace posts about AI", "Unknown platform")]
    [InlineData("Create 0 posts about AI", "0 posts")]
    [InlineData("Create 2 posts about AI, hiring and culture", "names 3 topics")]
    public async Task PlanAsync_LiveClient_DefiniteProblemsAreNotSentToTheModel(string brief, string problem)
    {
        using var client = new TestChatClient();

        var error = await Assert.ThrowsAsync<InvalidBriefException>(() => Planner(client: client).PlanAsync("default", brief));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, client.Calls);
    }

    [Fact]
    public async Task PlanAsync_LiveClient_ParsableBriefDoesNotCallTheModel()
    {
        using var client = new TestChatClient();

        var plan = await Planner(client: client).PlanAsync("default", "Create 3 posts about AI");

        Assert.Equal(3, plan.Posts.Count);
        Assert.Equal(0, client.Calls);
    }

    [Theory]
    [InlineData("not json at all", "no usable plan")]
    [InlineData("""{"posts":[]}""", "no usable plan")]
    [InlineData("""{"posts":[{"platform":"MySpace","topic":"x","angle":"y"}]}""", "unknown platform 'MySpace'")]
    [InlineData("""{"posts":[{"platform":"X","topic":"","angle":"y"}]}""", "no topic")]
    public async Task PlanAsync_LiveClientReturnsAnUnusablePlan_Throws(string answer, string problem)
    {
        using var client = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromResult(TestSupport.Reply(answer)) };

        var error = await Assert.ThrowsAsync<InvalidBriefException>(() => Planner(client: client).PlanAsync("default", "Something for our launch"));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanAsync_LiveClientPlansTooManyPosts_Throws()
    {
        var posts = string.Join(',', Enumerable.Repeat("""{"platform":"X","topic":"t","angle":"a"}""", 4));
        using var client = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromResult(TestSupport.Reply($$"""{"posts":[{{posts}}]}""")) };

        var error = await Assert.ThrowsAsync<InvalidBriefException>(() => Planner(maxPosts: 3, client: client).PlanAsync("default", "Something for our launch"));

        Assert.Contains("maximum is 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanAsync_LiveClientFails_ThrowsInvalidBriefWithoutTheClientsMessage()
    {
        using var client = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => throw new HttpRequestException("401 key sk-secret rejected") };

        var error = await Assert.ThrowsAsync<InvalidBriefException>(() => Planner(client: client).PlanAsync("default", "Something for our launch"));

        Assert.DoesNotContain("sk-secret", error.Message, StringComparison.Ordinal);
        Assert.Contains("HttpRequestException", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanAsync_Cancelled_Throws()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Planner().PlanAsync("default", "Create 3 posts about AI", cancelled.Token));
    }

    [GeneratedRegex("^[0-9]{8}-[0-9]{6}-[0-9a-hjkmnp-tv-z]{12}$")]
    private static partial Regex PlanIdPattern();
}
