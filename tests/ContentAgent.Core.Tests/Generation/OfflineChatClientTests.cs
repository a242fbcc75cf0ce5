using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ContentAgent.Generation;
using ContentAgent.Planning;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace ContentAgent.Tests.Generation;

public sealed class OfflineChatClientTests
{
    private const string SystemPrompt =
        "You are ContentAgent's writer. You write one social media post at a time, ready to publish. " +
        "Follow the platform rules exactly, apply the learnings from earlier posts, and keep the brand voice. " +
        "Return only the post text: no preamble, no quotes around it, no Markdown headings.";

    private static readonly string[] Topics = ["AI", "productivity", "remote work"];

    private static readonly string[] Angles =
    [
        "common mistakes beginners make",
        "a personal story",
        "myth versus reality",
        "a step-by-step checklist",
        "what the data says",
    ];

    private static readonly string[] AskWords = ["comment", "reply", "share", "save", "tell me", "try", "follow", "forward"];

    public enum Tone
    {
        Friendly,
        Formal,
        Playful,
    }

    public sealed record CampaignStep(string Title, int Minutes, bool Optional);

    public sealed record Campaign(
        string Name,
        string? Tagline,
        int PostCount,
        [property: Range(1, 5)] int Priority,
        double Budget,
        Tone Tone,
        List<CampaignStep> Steps);

    [Fact]
    public async Task GetResponseAsync_SamePromptTwice_ReturnsSameResponse()
    {
        using var first = new OfflineChatClient();
        using var second = new OfflineChatClient();

        var a = await first.GetResponseAsync(PostMessages(7, Platform.LinkedIn, "AI", "a personal story"));
        var b = await second.GetResponseAsync(PostMessages(7, Platform.LinkedIn, "AI", "a personal story"));

        Assert.Equal(a.Text, b.Text);
        Assert.Equal(a.ResponseId, b.ResponseId);
        Assert.Equal(a.Usage!.TotalTokenCount, b.Usage!.TotalTokenCount);
    }

    [Fact]
    public async Task GetResponseAsync_DifferentIndex_ReturnsDifferentText()
    {
        using var client = new OfflineChatClient();

        var a = await client.GetResponseAsync(PostMessages(1, Platform.LinkedIn, "AI", "a personal story"));
        var b = await client.GetResponseAsync(PostMessages(2, Platform.LinkedIn, "AI", "a personal story"));

        Assert.NotEqual(a.Text, b.Text);
        Assert.NotEqual(a.ResponseId, b.ResponseId);
    }

    [Fact]
    public async Task GetResponseAsync_FiftyPostsOverThreeTopics_AreDistinctAndWithinPlatformLimits()
    {
        using var client = new OfflineChatClient();
        var platforms = Enum.GetValues<Platform>();
        var texts = new HashSet<string>(StringComparer.Ordinal);
        var hooks = new HashSet<string>(StringComparer.Ordinal);
        var closings = new HashSet<string>(StringComparer.Ordinal);

        for (var index = 1; index <= 50; index++)
        {
            var platform = platforms[index % platforms.Length];
            var rules = PlatformRules.For(platform);
            var response = await client.GetResponseAsync(PostMessages(index, platform, Topics[index % 3], Angles[index % Angles.Length]));
            var text = response.Text;

            Assert.False(string.IsNullOrWhiteSpace(text));
            Assert.True(text.Length <= rules.MaxLength, $"Post {index} on {platform} is {text.Length} characters, over {rules.MaxLength}.");
            Assert.True(CountEmoji(text) <= rules.MaxEmoji, $"Post {index} on {platform} has too many emoji.");
            Assert.Contains(Topics[index % 3], text, StringComparison.OrdinalIgnoreCase);
            Assert.True(texts.Add(text), $"Post {index} repeats an earlier post.");
            hooks.Add(FirstLine(text));
            closings.Add(LastProseLine(text));
        }

        Assert.True(hooks.Count >= 35, $"Only {hooks.Count} distinct first lines in 50 posts.");
        Assert.True(closings.Count >= 8, $"Only {closings.Count} distinct closings in 50 posts.");
    }

    [Fact]
    public async Task GetResponseAsync_XPosts_AreAtMost280Characters()
    {
        using var client = new OfflineChatClient();
        const string LongAngle = "why most advice about this subject ignores the constraints of small teams with tight budgets and deadlines";

        for (var index = 1; index <= 120; index++)
        {
            var angle = index % 2 == 0 ? LongAngle : Angles[index % Angles.Length];
            var learnings = index % 3 == 0 ? ["- Keep: Platform fit: stays inside the platform's habits (8/10 on post 1)"] : Array.Empty<string>();
            var response = await client.GetResponseAsync(PostMessages(index, Platform.X, Topics[index % 3], angle, learnings: learnings));

            Assert.InRange(response.Text.Length, 1, 280);
        }
    }

    [Fact]
    public async Task GetResponseAsync_ThreadsPosts_AreAtMost500Characters()
    {
        using var client = new OfflineChatClient();

        for (var index = 1; index <= 60; index++)
        {
            var response = await client.GetResponseAsync(PostMessages(index, Platform.Threads, Topics[index % 3], Angles[index % Angles.Length]));

            Assert.InRange(response.Text.Length, 1, 500);
        }
    }

    [Fact]
    public async Task GetResponseAsync_Newsletter_HasSubjectLineAndNoHashtags()
    {
        using var client = new OfflineChatClient();

        for (var index = 1; index <= 20; index++)
        {
            var response = await client.GetResponseAsync(PostMessages(index, Platform.EmailNewsletter, Topics[index % 3], Angles[index % Angles.Length]));
            var text = response.Text;

            Assert.StartsWith("Subject: ", text, StringComparison.Ordinal);
            Assert.Equal(0, CountHashtags(text));
            Assert.True(text.Length <= PlatformRules.For(Platform.EmailNewsletter).MaxLength);
        }
    }

    [Theory]
    [InlineData("- Keep: Platform fit: stays inside the platform's habits (9/10 on post 2)")]
    [InlineData("- Avoid: Platform fit: too many hashtags (3/10 on post 5)")]
    public async Task GetResponseAsync_PlatformFitLearning_HashtagsAndLengthWithinRules(string learning)
    {
        using var client = new OfflineChatClient();

        foreach (var platform in Enum.GetValues<Platform>())
        {
            var rules = PlatformRules.For(platform);
            for (var index = 1; index <= 15; index++)
            {
                var response = await client.GetResponseAsync(PostMessages(index, platform, Topics[index % 3], Angles[index % Angles.Length], learnings: [learning]));
                var text = response.Text;

                Assert.InRange(CountHashtags(text), rules.MinHashtags, rules.MaxHashtags);
                Assert.InRange(text.Length, rules.IdealMinLength, rules.IdealMaxLength);
            }
        }
    }

    [Fact]
    public async Task GetResponseAsync_NoPlatformFitLearning_SomePostsMissTheRules()
    {
        using var client = new OfflineChatClient();
        var misses = 0;

        foreach (var platform in Enum.GetValues<Platform>())
        {
            var rules = PlatformRules.For(platform);
            for (var index = 1; index <= 15; index++)
            {
                var text = (await client.GetResponseAsync(PostMessages(index, platform, Topics[index % 3], Angles[index % Angles.Length]))).Text;
                var hashtags = CountHashtags(text);
                if (hashtags < rules.MinHashtags || hashtags > rules.MaxHashtags || text.Length < rules.IdealMinLength || text.Length > rules.IdealMaxLength)
                {
                    misses++;
                }

                Assert.True(text.Length <= rules.MaxLength);
            }
        }

        Assert.InRange(misses, 10, 80);
    }

    [Fact]
    public async Task GetResponseAsync_AvoidCallToActionLearning_EndsWithQuestionOrAsk()
    {
        using var client = new OfflineChatClient();
        var withoutAsk = 0;

        for (var index = 1; index <= 40; index++)
        {
            var platform = (Platform)(index % 6);
            var topic = Topics[index % 3];
            var angle = Angles[index % Angles.Length];
            var learned = await client.GetResponseAsync(PostMessages(index, platform, topic, angle, learnings: ["- Avoid: Call to action: end with a question that invites replies (3/10 on post 4)"]));
            var unlearned = await client.GetResponseAsync(PostMessages(index, platform, topic, angle));

            Assert.True(EndsWithAsk(learned.Text), $"Post {index} does not end with a question or an ask: {LastProseLine(learned.Text)}");
            withoutAsk += EndsWithAsk(unlearned.Text) ? 0 : 1;
        }

        Assert.InRange(withoutAsk, 8, 32);
    }

    [Fact]
    public async Task GetResponseAsync_AvoidHookLearning_FirstLineHasNumberOrQuestion()
    {
        using var client = new OfflineChatClient();
        var weakHooks = 0;

        for (var index = 1; index <= 40; index++)
        {
            var platform = (Platform)(index % 6);
            var learned = await client.GetResponseAsync(PostMessages(index, platform, Topics[index % 3], Angles[index % Angles.Length], learnings: ["- Avoid: Hook: a generic opening line (2/10 on post 3)"]));
            var unlearned = await client.GetResponseAsync(PostMessages(index, platform, Topics[index % 3], Angles[index % Angles.Length]));

            Assert.True(HasNumberOrQuestion(FirstLine(learned.Text)), $"Post {index} opens weakly: {FirstLine(learned.Text)}");
            weakHooks += HasNumberOrQuestion(FirstLine(unlearned.Text)) ? 0 : 1;
        }

        Assert.InRange(weakHooks, 8, 32);
    }

    [Fact]
    public async Task GetResponseAsync_KeepSpecificityLearning_BodyCarriesFigures()
    {
        using var client = new OfflineChatClient();
        var vague = 0;

        for (var index = 1; index <= 40; index++)
        {
            var platform = index % 2 == 0 ? Platform.LinkedIn : Platform.Facebook;
            var learned = await client.GetResponseAsync(PostMessages(index, platform, Topics[index % 3], Angles[index % Angles.Length], learnings: ["- Keep: Specificity: concrete figures make it credible (9/10 on post 1)"]));
            var unlearned = await client.GetResponseAsync(PostMessages(index, platform, Topics[index % 3], Angles[index % Angles.Length]));

            Assert.True(Body(learned.Text).Any(char.IsAsciiDigit), $"Post {index} has no figures.");
            vague += Body(unlearned.Text).Any(char.IsAsciiDigit) ? 0 : 1;
        }

        Assert.InRange(vague, 8, 32);
    }

    [Fact]
    public async Task GetResponseAsync_ClarityAndReadabilityLearnings_NoFillerAndShortParagraphs()
    {
        using var client = new OfflineChatClient();
        string[] learnings =
        [
            "- Avoid: Clarity: filler phrases dilute the point (4/10 on post 6)",
            "- Keep: Readability: short paragraphs with white space (8/10 on post 7)",
        ];

        for (var index = 1; index <= 30; index++)
        {
            var text = (await client.GetResponseAsync(PostMessages(index, Platform.LinkedIn, Topics[index % 3], Angles[index % Angles.Length], learnings: learnings))).Text;

            Assert.DoesNotContain("fast-paced", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(" really ", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(" very ", text, StringComparison.OrdinalIgnoreCase);
            Assert.All(text.Split('\n'), line => Assert.True(line.Length <= 250, $"Post {index} has a long paragraph: {line}"));
        }
    }

    [Fact]
    public async Task GetResponseAsync_BrandVoiceWithoutEmoji_WritesNoEmoji()
    {
        using var client = new OfflineChatClient();

        for (var index = 1; index <= 20; index++)
        {
            var text = (await client.GetResponseAsync(PostMessages(index, Platform.Instagram, "AI", "a personal story", voice: "Warm and direct. No emoji."))).Text;

            Assert.Equal(0, CountEmoji(text));
        }
    }

    [Fact]
    public async Task GetResponseAsync_Post_ReportsUsageAndResponseDetails()
    {
        var tokenizer = TiktokenTokenizer.CreateForModel("gpt-4o");
        using var client = new OfflineChatClient(tokenizer);

        var response = await client.GetResponseAsync(PostMessages(3, Platform.LinkedIn, "productivity", "what the data says"));

        Assert.NotNull(response.Usage);
        Assert.True(response.Usage.InputTokenCount > 100);
        Assert.Equal(tokenizer.CountTokens(response.Text), response.Usage.OutputTokenCount);
        Assert.Equal(response.Usage.InputTokenCount + response.Usage.OutputTokenCount, response.Usage.TotalTokenCount);
        Assert.Equal("contentagent-offline-1", response.ModelId);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Null(response.CreatedAt);
        Assert.False(string.IsNullOrEmpty(response.ResponseId));
        Assert.Equal(ChatRole.Assistant, Assert.Single(response.Messages).Role);
    }

    [Fact]
    public void GetService_Metadata_ReportsOfflineProvider()
    {
        using var client = new OfflineChatClient();

        var metadata = client.GetService<ChatClientMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal(OfflineChatClient.ProviderName, metadata.ProviderName);
        Assert.Equal("offline", metadata.ProviderName);
        Assert.Equal("contentagent-offline-1", metadata.DefaultModelId);
        Assert.Same(client, client.GetService<IChatClient>());
        Assert.Same(client, client.GetService<OfflineChatClient>());
        Assert.Null(client.GetService<string>());
        Assert.Null(client.GetService(typeof(ChatClientMetadata), "key"));
        Assert.Throws<ArgumentNullException>(() => client.GetService(null!));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_Post_YieldsSameTextAndUsage()
    {
        using var client = new OfflineChatClient();
        var messages = PostMessages(11, Platform.Instagram, "remote work", "a step-by-step checklist");

        var expected = await client.GetResponseAsync(messages);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(messages))
        {
            updates.Add(update);
        }

        Assert.True(updates.Count > 5);
        Assert.Equal(expected.Text, string.Concat(updates.Select(u => u.Text)));
        Assert.All(updates, u => Assert.Equal(ChatRole.Assistant, u.Role));
        Assert.All(updates, u => Assert.Equal(expected.ResponseId, u.ResponseId));
        Assert.All(updates, u => Assert.Equal("contentagent-offline-1", u.ModelId));
        var usage = Assert.IsType<UsageContent>(Assert.Single(updates[^1].Contents));
        Assert.Equal(expected.Usage!.TotalTokenCount, usage.Details.TotalTokenCount);
        Assert.Equal(expected.Usage.OutputTokenCount, usage.Details.OutputTokenCount);

        var combined = updates.ToChatResponse();
        Assert.Equal(expected.Text, combined.Text);
        Assert.Equal(expected.Usage.TotalTokenCount, combined.Usage!.TotalTokenCount);
    }

    [Fact]
    public async Task GetResponseAsync_CancelledToken_ThrowsOperationCanceledException()
    {
        using var client = new OfflineChatClient();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync(PostMessages(1, Platform.X, "AI", "a personal story"), cancellationToken: cts.Token));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CancelledWhileStreaming_ThrowsOperationCanceledException()
    {
        using var client = new OfflineChatClient();
        using var cts = new CancellationTokenSource();
        var received = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(PostMessages(1, Platform.LinkedIn, "AI", "a personal story"), cancellationToken: cts.Token))
            {
                received++;
                if (received == 2)
                {
                    await cts.CancelAsync();
                }
            }
        });

        Assert.Equal(2, received);
    }

    [Fact]
    public async Task GetResponseAsyncOfT_Record_ParsesDeterministically()
    {
        using var client = new OfflineChatClient();
        const string Request = "Plan a small campaign about remote work for a design studio.";
        List<ChatMessage> messages = [new(ChatRole.User, Request)];

        var first = await client.GetResponseAsync<Campaign>(messages);
        var second = await client.GetResponseAsync<Campaign>(messages);

        Assert.True(first.TryGetResult(out var campaign), first.Text);
        Assert.False(string.IsNullOrWhiteSpace(campaign.Name));
        Assert.All(campaign.Name.Split(' '), word => Assert.Contains(word, Request, StringComparison.Ordinal));
        Assert.InRange(campaign.Priority, 1, 5);
        Assert.True(Enum.IsDefined(campaign.Tone));
        Assert.InRange(campaign.Steps.Count, 1, 3);
        Assert.All(campaign.Steps, step => Assert.False(string.IsNullOrWhiteSpace(step.Title)));
        Assert.Equal(first.Text, second.Text);
        Assert.NotNull(first.Usage);
        Assert.True(first.Usage.OutputTokenCount > 0);
    }

    [Fact]
    public async Task GetResponseAsync_JsonSchemaWithRefsAndConstraints_ConformsToSchema()
    {
        using var client = new OfflineChatClient();
        using var schema = JsonDocument.Parse("""
            {
              "type": "object",
              "properties": {
                "items": { "type": "array", "minItems": 2, "maxItems": 2, "items": { "$ref": "#/$defs/item" } },
                "score": { "type": "number", "minimum": 0.5, "maximum": 0.75 },
                "level": { "type": "integer", "minimum": 10, "maximum": 12 },
                "note": { "type": ["string", "null"], "maxLength": 8 },
                "mode": { "enum": ["fast", "slow"] }
              },
              "required": ["items", "score", "level", "note", "mode"],
              "$defs": { "item": { "type": "object", "properties": { "done": { "type": "boolean" }, "id": { "type": "string", "format": "uuid" } } } }
            }
            """);
        var options = new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema.RootElement, "thing") };

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Describe the thing.")], options);

        using var json = JsonDocument.Parse(response.Text);
        var root = json.RootElement;
        Assert.Equal(2, root.GetProperty("items").GetArrayLength());
        Assert.All(root.GetProperty("items").EnumerateArray(), item =>
        {
            Assert.True(item.GetProperty("done").ValueKind is JsonValueKind.True or JsonValueKind.False);
            Assert.True(Guid.TryParse(item.GetProperty("id").GetString(), out _));
        });
        Assert.InRange(root.GetProperty("score").GetDouble(), 0.5, 0.75);
        Assert.InRange(root.GetProperty("level").GetInt32(), 10, 12);
        Assert.InRange(root.GetProperty("note").GetString()!.Length, 1, 8);
        Assert.Contains(root.GetProperty("mode").GetString(), new[] { "fast", "slow" });
    }

    [Fact]
    public async Task GetResponseAsync_PlainText_ReturnsBulletSummaryOfDistinctLines()
    {
        using var client = new OfflineChatClient();
        const string Request = "Summarize these learnings:\n- Keep: Hook: numbers work\n- Keep: Hook: numbers work\n\n- Avoid: Clarity: filler\nline four\nline five\nline six\nline seven";

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, Request)]);
        var again = await client.GetResponseAsync([new ChatMessage(ChatRole.User, Request)]);

        var lines = response.Text.Split('\n');
        Assert.Equal(5, lines.Length);
        Assert.All(lines, line => Assert.StartsWith("- ", line, StringComparison.Ordinal));
        Assert.Single(lines, line => line.Contains("numbers work", StringComparison.Ordinal));
        Assert.Equal(response.Text, again.Text);
        Assert.True(response.Usage!.OutputTokenCount > 0);
    }

    [Fact]
    public async Task GetResponseAsync_EmptyConversation_ReturnsText()
    {
        using var client = new OfflineChatClient();

        var response = await client.GetResponseAsync([]);

        Assert.False(string.IsNullOrWhiteSpace(response.Text));
    }

    [Fact]
    public async Task GetResponseAsync_NullMessages_ThrowsArgumentNullException()
    {
        using var client = new OfflineChatClient();

        await Assert.ThrowsAsync<ArgumentNullException>("messages", () => client.GetResponseAsync((IEnumerable<ChatMessage>)null!));
        Assert.Throws<ArgumentNullException>("messages", () => client.GetStreamingResponseAsync(null!));
    }

    private static List<ChatMessage> PostMessages(int index, Platform platform, string topic, string angle, string? voice = null, string[]? learnings = null)
    {
        // The layout PostPrompt.Build produces; written out here so that a change to the format breaks this test.
        var rules = PlatformRules.For(platform);
        var user = new StringBuilder();
        user.Append(CultureInfo.InvariantCulture, $"## Post\nIndex: {index}\nPlatform: {rules.DisplayName}\nTopic: {topic}\nAngle: {angle}\n\n")
            .Append(CultureInfo.InvariantCulture, $"## Platform rules\nMax length: {rules.MaxLength} characters\n")
            .Append(CultureInfo.InvariantCulture, $"Ideal length: {rules.IdealMinLength}-{rules.IdealMaxLength} characters\n")
            .Append(CultureInfo.InvariantCulture, $"Hashtags: {rules.MinHashtags}-{rules.MaxHashtags}, at the end\n")
            .Append(CultureInfo.InvariantCulture, $"Emoji: at most {rules.MaxEmoji}\nLinks: {rules.LinkHandling}\n\n");
        if (voice is not null)
        {
            user.Append("## Brand voice\n").Append(voice).Append("\n\n");
        }

        if (learnings is { Length: > 0 })
        {
            user.Append("## Learnings from earlier posts\n");
            foreach (var learning in learnings)
            {
                user.Append(learning).Append('\n');
            }

            user.Append('\n');
        }

        user.Append("Write the post now. Return only its text.");
        return [new ChatMessage(ChatRole.System, SystemPrompt), new ChatMessage(ChatRole.User, user.ToString())];
    }

    private static string FirstLine(string text) => text.Split('\n')[0];

    private static string[] ProseLines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(line => !line.StartsWith('#')).ToArray();

    private static string LastProseLine(string text) => ProseLines(text)[^1];

    private static string Body(string text) => string.Join('\n', ProseLines(text)[1..^1]);

    private static bool HasNumberOrQuestion(string line) => line.Any(char.IsAsciiDigit) || line.Contains('?');

    private static bool EndsWithAsk(string text)
    {
        var last = LastProseLine(text);
        return last.EndsWith('?') || AskWords.Any(word => last.Contains(word, StringComparison.OrdinalIgnoreCase));
    }

    private static int CountHashtags(string text) =>
        text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Count(word => word.Length > 1 && word[0] == '#' && char.IsLetterOrDigit(word[1]));

    private static int CountEmoji(string text) =>
        text.EnumerateRunes().Count(rune => Rune.GetUnicodeCategory(rune) == UnicodeCategory.OtherSymbol);
}
