using System.Globalization;
using ContentAgent.Generation;
using ContentAgent.Tenancy;
using Microsoft.Extensions.AI;

namespace ContentAgent.Planning;

/// <summary>
/// Plans a brief with the offline <see cref="BriefParser"/>; when the parser cannot read it and the chat client is a
/// live one, asks the model for a plan through structured output and validates it exactly like a parsed one.
/// </summary>
internal sealed class BatchPlanner(IChatClient chatClient, TimeProvider timeProvider, int maxPosts) : IBatchPlanner
{
    /// <summary>The angles posts cycle through, so that posts on one topic differ.</summary>
    internal static readonly string[] Angles =
    [
        "a contrarian take", "a lesson from a mistake", "a how-to in three steps", "a surprising statistic",
        "a customer story", "a myth debunked", "a behind-the-scenes look", "a prediction for next year",
        "a checklist", "a question to the audience", "a before-and-after comparison", "a tool recommendation",
    ];

    public async Task<BatchPlan> PlanAsync(string tenantId, string brief, CancellationToken cancellationToken = default)
    {
        TenantIds.Validate(tenantId);
        cancellationToken.ThrowIfCancellationRequested();
        ParsedBrief parsed;
        try
        {
            parsed = BriefParser.Parse(brief, maxPosts);
        }
        catch (InvalidBriefException ex) when (ex.Unreadable && !chatClient.IsOffline())
        {
            return await PlanWithModelAsync(tenantId, brief, cancellationToken).ConfigureAwait(false);
        }

        var posts = new List<PostSpec>(parsed.Total);
        for (var topic = 0; topic < parsed.Topics.Count; topic++)
        {
            var (name, count) = parsed.Topics[topic];
            for (var k = 0; k < count; k++)
            {
                var index = posts.Count + 1;
                posts.Add(new PostSpec(index, parsed.Platforms[(index - 1) % parsed.Platforms.Count], name, Angles[((topic * 5) + k) % Angles.Length]));
            }
        }

        return NewPlan(tenantId, brief.Trim(), posts);
    }

    private async Task<BatchPlan> PlanWithModelAsync(string tenantId, string brief, CancellationToken cancellationToken)
    {
        var prompt =
            $"Plan a batch of social media posts for this brief. Return one entry per post, at most {maxPosts.ToString(CultureInfo.InvariantCulture)} posts. " +
            $"Platform must be one of: {PlatformNames.KnownList}. Topic is what the post is about, in a few words; angle is what makes it " +
            $"differ from the other posts on the same topic (for example {string.Join(", ", Angles.Take(4))}).\n\nBrief: {brief.Trim()}";
        ChatResponse<PlanDraft> response;
        try
        {
            response = await chatClient.GetResponseAsync<PlanDraft>(prompt, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new InvalidBriefException($"The brief could not be read, and the model could not plan it ({ex.GetType().Name}).", ex);
        }

        if (!response.TryGetResult(out var draft) || draft.Posts is not { Count: > 0 } drafted)
        {
            throw new InvalidBriefException("The brief could not be read, and the model returned no usable plan.");
        }

        if (drafted.Count > maxPosts)
        {
            throw new InvalidBriefException($"The model planned {drafted.Count} posts; the maximum is {maxPosts} (ContentAgent:MaxPostsPerBatch).");
        }

        var posts = new List<PostSpec>(drafted.Count);
        foreach (var post in drafted)
        {
            if (post is null || !PlatformNames.TryParse(post.Platform, out var platform))
            {
                throw new InvalidBriefException($"The model planned a post for an unknown platform '{post?.Platform}'. Known platforms: {PlatformNames.KnownList}.");
            }

            var topic = post.Topic?.Trim() ?? string.Empty;
            if (topic.Length == 0 || topic.Length > 200)
            {
                throw new InvalidBriefException($"The model planned post {posts.Count + 1} with {(topic.Length == 0 ? "no topic" : "a topic over 200 characters")}.");
            }

            var angle = string.IsNullOrWhiteSpace(post.Angle) ? Angles[posts.Count % Angles.Length] : post.Angle.Trim();
            posts.Add(new PostSpec(posts.Count + 1, platform, topic, angle.Length > 200 ? angle[..200] : angle));
        }

        return NewPlan(tenantId, brief.Trim(), posts);
    }

    private BatchPlan NewPlan(string tenantId, string brief, List<PostSpec> posts) =>
        new(SortableId.New(timeProvider), tenantId, brief, posts, timeProvider.GetUtcNow());

    /// <summary>The plan a model returns.</summary>
    /// <param name="Posts">One entry per post.</param>
    internal sealed record PlanDraft(IReadOnlyList<PlanDraftPost> Posts);

    /// <summary>One planned post.</summary>
    /// <param name="Platform">The platform's name.</param>
    /// <param name="Topic">The topic.</param>
    /// <param name="Angle">The angle.</param>
    internal sealed record PlanDraftPost(string Platform, string Topic, string Angle);
}
