using ContentAgent.Resilience;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using ContentAgent.Delivery.Execution;
using ContentAgent.Delivery.Execution.Http;
using ContentAgent.Tests.Servers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.VisualBasic.FileIO;

namespace ContentAgent.Tests.Delivery.Execution;

public sealed class HttpGatewayTests : IAsyncLifetime
{
    private const string Token = "tok-5ecret-0123456789abcdef";
    private const string PlanId = "20261123-070000-ab12";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly string _directory = Directory.CreateTempSubdirectory("contentagent-http-").FullName;
    private readonly List<ServiceProvider> _providers = [];
    private LocalHttpApiServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await LocalHttpApiServer.StartAsync(new LocalHttpApiServerOptions { MastodonAccessToken = Token, HubSpotAccessToken = Token });

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    // ---- Webhook ----

    [Fact]
    public async Task SendAsync_SocialWebhook_PostsTheItemAsJsonWithItsIdempotencyKeyAndToken()
    {
        var gateway = Gateway("social", o => Social(o, "Webhook", _server.WebhookUri("social"), Token));
        var item = Item("key-social-1", "Hello, world", new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.FromHours(1)));

        var receipt = await gateway.SendAsync(item, NoCommit);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/webhook/social", request.Path);
        Assert.Equal("key-social-1", request.Header("Idempotency-Key"));
        Assert.Equal("Bearer " + Token, request.Header("Authorization"));
        Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);
        Assert.StartsWith("ContentAgent/", request.Header("User-Agent"), StringComparison.Ordinal);
        var json = request.Json()!;
        Assert.Equal("key-social-1", (string?)json["key"]);
        Assert.Equal(PlanId, (string?)json["planId"]);
        Assert.Equal("tenant-a", (string?)json["tenantId"]);
        Assert.Equal(2, (int?)json["postIndex"]);
        Assert.Equal("social", (string?)json["channel"]);
        Assert.Equal("LinkedIn", (string?)json["platform"]);
        Assert.Equal("Five things AI changed", (string?)json["subject"]);
        Assert.Equal("Hello, world", (string?)json["text"]);
        Assert.Equal("2026-11-23T07:00:00.000Z", (string?)json["scheduledAt"]);
        var created = Assert.Single(_server.Created);
        Assert.Equal(created.Id, receipt.ProviderMessageId);
        Assert.Equal("webhook", gateway.Kind);
        Assert.True(gateway.HonoursIdempotencyKey);
    }

    [Fact]
    public async Task SendAsync_CrmWebhook_PostsJsonWithTheIdempotencyKeyAndNoAuthorizationWithoutAToken()
    {
        var gateway = Gateway("crm", o => Crm(o, "webhook", _server.WebhookUri("crm"), token: null));

        var receipt = await gateway.SendAsync(Item("key-crm-1", channel: "crm"), NoCommit);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("/webhook/crm", request.Path);
        Assert.Equal("key-crm-1", request.Header("Idempotency-Key"));
        Assert.Null(request.Header("Authorization"));
        Assert.Equal("crm", (string?)request.Json()!["channel"]);
        Assert.Equal(Assert.Single(_server.Created).Id, receipt.ProviderMessageId);
        Assert.Equal("webhook", gateway.Kind);
        Assert.True(gateway.HonoursIdempotencyKey);
    }

    [Fact]
    public async Task SendAsync_WebhookAnswersWithoutABody_TakesTheIdFromLocation()
    {
        _server.WebhookAnswersWithId = false;
        var gateway = Gateway("social", o => Social(o, "Webhook", _server.WebhookUri("social"), null));

        var receipt = await gateway.SendAsync(Item(), NoCommit);

        var created = Assert.Single(_server.Created);
        Assert.EndsWith("/webhook/social/" + created.Id, receipt.ProviderMessageId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_HubSpotThatCannotBeReached_NeverCommits_SoTheItemIsTriedAgainLater()
    {
        // A port nothing listens on: the connection is refused before a byte of the request is sent.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var gateway = Gateway("crm", o => Crm(o, "HubSpot", new Uri($"http://127.0.0.1:{port}/"), Token));
        var commits = 0;

        var e = await Assert.ThrowsAsync<GatewayException>(() => gateway.SendAsync(Item(channel: "crm"), _ =>
        {
            commits++;
            return Task.CompletedTask;
        }));

        Assert.True(e.IsTransient);
        Assert.StartsWith("The CRM endpoint could not be reached", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, commits); // a provider without idempotency keys that never got the item: not counted as sent
    }

    [Fact]
    public async Task SendAsync_CallsCommittingOnceTheConnectionIsOpenBeforeTheBody_AndSendsNothingWhenItThrows()
    {
        var gateway = Gateway("social", o => Social(o, "Webhook", _server.WebhookUri("social"), null));
        var requestsAtCommit = -1;

        await gateway.SendAsync(Item(), _ =>
        {
            requestsAtCommit = _server.Requests.Count;
            return Task.CompletedTask;
        });
        await Assert.ThrowsAsync<InvalidOperationException>(() => gateway.SendAsync(Item("key-2"), _ => throw new InvalidOperationException("ledger down")));

        Assert.Equal(0, requestsAtCommit);
        Assert.Single(_server.Requests);
    }

    // ---- Mastodon ----

    [Fact]
    public async Task SendAsync_Mastodon_CreatesAStatusWithTheTokenAndTheKey()
    {
        var gateway = Gateway("social", o => Social(o, "Mastodon", _server.BaseUri, Token));

        var receipt = await gateway.SendAsync(Item("key-m-1", "Five things AI changed this year.\n\nWhich surprised you? #AI"), NoCommit);

        var request = Assert.Single(_server.Requests);
        Assert.Equal(LocalHttpApiServer.StatusesPath, request.Path);
        Assert.Equal("Bearer " + Token, request.Header("Authorization"));
        Assert.Equal("key-m-1", request.Header("Idempotency-Key"));
        var status = Assert.Single(_server.Created);
        Assert.Equal("mastodon", status.Api);
        Assert.Equal("Five things AI changed this year.\n\nWhich surprised you? #AI", status.Fields["status"]);
        Assert.Equal("public", status.Fields["visibility"]);
        Assert.False(status.Fields.ContainsKey("scheduled_at")); // the item's time is past: posted now
        Assert.Equal(status.Id, receipt.ProviderMessageId);
        Assert.Equal("mastodon", gateway.Kind);
        Assert.True(gateway.HonoursIdempotencyKey);
    }

    [Fact]
    public async Task SendAsync_Mastodon_ASecondSendWithTheSameKeyCreatesNothingAndReturnsTheSameId()
    {
        var gateway = Gateway("social", o => Social(o, "Mastodon", _server.BaseUri, Token));

        var first = await gateway.SendAsync(Item("key-m-again"), NoCommit);
        var second = await gateway.SendAsync(Item("key-m-again"), NoCommit);
        var other = await gateway.SendAsync(Item("key-m-other"), NoCommit);

        Assert.Equal(3, _server.Requests.Count);
        Assert.Equal(2, _server.Created.Count);
        Assert.Single(_server.Created, o => o.IdempotencyKey == "key-m-again");
        Assert.NotNull(first.ProviderMessageId);
        Assert.Equal(first.ProviderMessageId, second.ProviderMessageId);
        Assert.NotEqual(first.ProviderMessageId, other.ProviderMessageId);
    }

    [Fact]
    public async Task SendAsync_Mastodon_TextOver500Characters_IsShortenedTo500WithAnEllipsis()
    {
        var gateway = Gateway("social", o => Social(o, "Mastodon", _server.BaseUri, Token));
        var text = string.Concat(Enumerable.Repeat("Grow with AI 🚀 ", 60)); // 900 characters, emoji are surrogate pairs

        await gateway.SendAsync(Item(text: text), NoCommit);

        var status = Assert.Single(_server.Created).Fields["status"]!;
        Assert.Equal(500, new StringInfo(status).LengthInTextElements);
        Assert.EndsWith("\u2026", status, StringComparison.Ordinal);
        Assert.StartsWith(status[..^1], text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(500, false)]
    [InlineData(501, true)]
    public void Shorten_CountsCharactersAsMastodonDoes(int length, bool shortened)
    {
        var text = new string('a', length);

        var status = HttpApiShapes.Shorten(text, 500);

        Assert.Equal(shortened ? new string('a', 499) + "\u2026" : text, status);
    }

    [Fact]
    public async Task SendAsync_Mastodon_ItemAtLeastFiveMinutesAhead_IsScheduled()
    {
        var gateway = Gateway("social", o => Social(o, "Mastodon", _server.BaseUri, Token));
        var at = new DateTimeOffset(TimeProvider.System.GetUtcNow().AddDays(1).UtcDateTime.Date, TimeSpan.Zero).AddHours(9);

        var later = await gateway.SendAsync(Item("key-later", at: at), NoCommit);
        var soon = await gateway.SendAsync(Item("key-soon", at: TimeProvider.System.GetUtcNow().AddMinutes(4)), NoCommit);

        Assert.Equal(at.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), _server.Created[0].Fields["scheduled_at"]);
        Assert.Equal(_server.Created[0].Id, later.ProviderMessageId);
        Assert.False(_server.Created[1].Fields.ContainsKey("scheduled_at"));
        Assert.Equal(_server.Created[1].Id, soon.ProviderMessageId);
    }

    [Fact]
    public async Task SendAsync_Mastodon_ItemJustOverFiveMinutesAhead_IsScheduledWithAMarginNotRefused()
    {
        var gateway = Gateway("social", o => Social(o, "Mastodon", _server.BaseUri, Token));

        await gateway.SendAsync(Item(at: TimeProvider.System.GetUtcNow().AddMinutes(5).AddSeconds(1)), NoCommit);

        var scheduled = DateTimeOffset.Parse(Assert.Single(_server.Created).Fields["scheduled_at"]!, CultureInfo.InvariantCulture);
        Assert.True(scheduled >= TimeProvider.System.GetUtcNow().AddMinutes(5.5));
    }

    [Fact]
    public async Task SendAsync_Mastodon_WrongToken_IsNotTransientAndNamesTheAccessTokenSetting()
    {
        var gateway = Gateway("social", o => Social(o, "Mastodon", _server.BaseUri, "tok-wrong-9876543210"));

        var e = await Assert.ThrowsAsync<GatewayException>(() => gateway.SendAsync(Item(), NoCommit));

        Assert.False(e.IsTransient);
        Assert.Contains("401", e.Message, StringComparison.Ordinal);
        Assert.Contains("ContentAgent:Execution:Social:AccessToken", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-wrong-9876543210", e.ToString(), StringComparison.Ordinal);
        Assert.Empty(_server.Created);
    }

    [Fact]
    public async Task SendAsync_Mastodon_WithoutAToken_FailsBeforeCommittingOrSending()
    {
        var gateway = Gateway("social", o => Social(o, "Mastodon", _server.BaseUri, "  "));
        var committed = false;

        var e = await Assert.ThrowsAsync<GatewayException>(() => gateway.SendAsync(Item(), _ =>
        {
            committed = true;
            return Task.CompletedTask;
        }));

        Assert.False(e.IsTransient);
        Assert.Contains("ContentAgent:Execution:Social:AccessToken is not set", e.Message, StringComparison.Ordinal);
        Assert.False(committed);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task SendAsync_UnknownKind_IsNotTransientAndNamesTheKindSetting()
    {
        var gateway = Gateway("social", o => Social(o, "HubSpot", _server.BaseUri, Token));

        var e = await Assert.ThrowsAsync<GatewayException>(() => gateway.SendAsync(Item(), NoCommit));

        Assert.False(e.IsTransient);
        Assert.Contains("ContentAgent:Execution:Social:Kind", e.Message, StringComparison.Ordinal);
        Assert.Contains("Webhook, Mastodon", e.Message, StringComparison.Ordinal);
        Assert.Equal("HubSpot", gateway.Kind);
    }

    // ---- HubSpot ----

    [Fact]
    public async Task SendAsync_HubSpot_CreatesANoteWithBodyAndTimestamp()
    {
        var gateway = Gateway("crm", o => Crm(o, "HubSpot", _server.BaseUri, Token));
        var at = new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero);

        var receipt = await gateway.SendAsync(Item("key-h-1", "Which surprised you?", at, channel: "crm"), NoCommit);

        var request = Assert.Single(_server.Requests);
        Assert.Equal(LocalHttpApiServer.NotesPath, request.Path);
        Assert.Equal("Bearer " + Token, request.Header("Authorization"));
        Assert.Equal("key-h-1", request.Header("Idempotency-Key")); // sent, though HubSpot ignores it
        var note = Assert.Single(_server.Created);
        Assert.Equal("hubspot", note.Api);
        Assert.Equal("Five things AI changed\n\nWhich surprised you?", note.Fields["hs_note_body"]);
        Assert.Equal("2026-11-23T07:00:00.000Z", note.Fields["hs_timestamp"]);
        Assert.Equal(note.Id, receipt.ProviderMessageId);
        Assert.Equal("hubspot", gateway.Kind);
        Assert.False(gateway.HonoursIdempotencyKey);
    }

    // ---- CSV ----

    [Fact]
    public async Task SendAsync_Csv_WritesAValidFileThatQuotesCommasQuotesAndLineBreaks()
    {
        var path = Path.Combine(_directory, "out", "crm.csv");
        var gateway = Gateway("crm", o => Csv(o, path));
        var tricky = "He said \"hi\", then left.\r\nNew line\nand Ünïcödé 🚀";

        var first = await gateway.SendAsync(Item("key-c-1", "Plain text", channel: "crm"), NoCommit);
        await gateway.SendAsync(Item("key-c-2", tricky, channel: "crm") with { Subject = "A, \"quoted\" subject", PostIndex = 7 }, NoCommit);

        var rows = ReadCsv(path);
        Assert.Equal(["key", "plan_id", "post_index", "platform", "scheduled_at", "subject", "text"], rows[0]);
        Assert.Equal(3, rows.Count);
        Assert.Equal(["key-c-1", PlanId, "2", "LinkedIn", "2026-11-23T07:00:00.000Z", "Five things AI changed", "Plain text"], rows[1]);
        Assert.Equal(["key-c-2", PlanId, "7", "LinkedIn", "2026-11-23T07:00:00.000Z", "A, \"quoted\" subject", tricky], rows[2]);
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.False(bytes is [0xEF, 0xBB, 0xBF, ..]); // UTF-8 without a byte order mark
        Assert.Equal("key-c-1", first.ProviderMessageId);
        Assert.Equal("csv", gateway.Kind);
        Assert.True(gateway.HonoursIdempotencyKey);
    }

    [Fact]
    public async Task SendAsync_Csv_TextThatASpreadsheetWouldRun_LibreOfficeCalcOpensAsText()
    {
        var path = Path.Combine(_directory, "formulas.csv");
        var gateway = Gateway("crm", o => Csv(o, path));
        string[] texts = ["=1+1", "+1+1", "-1+1", "@SUM(1,1)", "\t=1+1", "=HYPERLINK(\"http://127.0.0.1:9/x\",\"click\")", "Plain = not a formula"];

        for (var i = 0; i < texts.Length; i++)
        {
            await gateway.SendAsync(Item($"key-f-{i}", texts[i], channel: "crm") with { Subject = texts[i] }, NoCommit);
        }

        // In the file: an apostrophe before each field a spreadsheet would run, nothing else changed.
        var rows = ReadCsv(path);
        Assert.Equal([.. texts.Take(6).Select(t => "'" + t), texts[6]], rows.Skip(1).Select(r => r[6]));
        Assert.Equal(rows.Skip(1).Select(r => r[6]), rows.Skip(1).Select(r => r[5]));

        // A real spreadsheet (LibreOffice Calc, importing the CSV as UTF-8) computes none of them: every cell is text.
        var profile = Path.Combine(_directory, "lo-profile");
        var output = Path.Combine(_directory, "calc");
        await ContentAgent.Tests.Delivery.Packaging.ExternalTool.RunCheckedAsync(
            "soffice", TimeSpan.FromSeconds(180), "--headless", "--norestore", $"-env:UserInstallation=file://{profile}",
            "--infilter=CSV:44,34,76,1", "--convert-to", "html:HTML (StarCalc)", "--outdir", output, path);
        var html = await File.ReadAllTextAsync(Path.Combine(output, "formulas.html"));
        var cells = System.Text.RegularExpressions.Regex.Matches(html, "<tr>(.*?)</tr>", System.Text.RegularExpressions.RegexOptions.Singleline)
            .Skip(1)
            .Select(row => System.Text.RegularExpressions.Regex.Matches(row.Groups[1].Value, "<td([^>]*)>(.*?)</td>", System.Text.RegularExpressions.RegexOptions.Singleline).ToList())
            .ToList();
        Assert.Equal(texts.Length, cells.Count);
        foreach (var (row, i) in cells.Select((r, i) => (r, i)))
        {
            foreach (var cell in new[] { row[5], row[6] }) // subject and text
            {
                Assert.DoesNotContain("sdval", cell.Groups[1].Value, StringComparison.Ordinal); // Calc marks a computed cell with its value
                var shown = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(cell.Groups[2].Value, "<[^>]+>", string.Empty));
                Assert.Equal(rows[i + 1][6], shown);
            }
        }
    }

    [Fact]
    public async Task SendAsync_Csv_ASecondSendOfTheSameKeyAddsNothingAndLeavesNoTemporaryFile()
    {
        var path = Path.Combine(_directory, "crm.csv");
        var gateway = Gateway("crm", o => Csv(o, path));
        var commits = 0;
        Task Count(CancellationToken _)
        {
            commits++;
            return Task.CompletedTask;
        }

        await gateway.SendAsync(Item("key-once", "A, b\nc", channel: "crm"), Count);
        var before = await File.ReadAllBytesAsync(path);
        var again = await gateway.SendAsync(Item("key-once", "A, b\nc", channel: "crm"), Count);

        Assert.Equal(before, await File.ReadAllBytesAsync(path));
        Assert.Equal(2, ReadCsv(path).Count);
        Assert.Equal("key-once", again.ProviderMessageId);
        Assert.Equal(2, commits);
        Assert.Equal(["crm.csv"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task SendAsync_Csv_ConcurrentSendsTakeTurns()
    {
        var path = Path.Combine(_directory, "crm.csv");
        var gateway = Gateway("crm", o => Csv(o, path));

        await Task.WhenAll(Enumerable.Range(1, 25).Select(i => Task.Run(() => gateway.SendAsync(Item($"key-{i:D2}", $"post {i}, \"quoted\"", channel: "crm"), NoCommit))));

        var rows = ReadCsv(path);
        Assert.Equal(26, rows.Count);
        Assert.Equal(Enumerable.Range(1, 25).Select(i => $"key-{i:D2}"), rows.Skip(1).Select(r => r[0]).Order(StringComparer.Ordinal));
        Assert.Equal(["crm.csv"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task SendAsync_Csv_AFileThatIsNotAnExport_IsLeftAloneAndNotTransient()
    {
        var path = Path.Combine(_directory, "contacts.csv");
        await File.WriteAllTextAsync(path, "name,email\r\nAda,ada@example.com\r\n");
        var gateway = Gateway("crm", o => Csv(o, path));

        var e = await Assert.ThrowsAsync<GatewayException>(() => gateway.SendAsync(Item(channel: "crm"), NoCommit));

        Assert.False(e.IsTransient);
        Assert.Contains("ContentAgent:Execution:Crm:CsvPath", e.Message, StringComparison.Ordinal);
        Assert.Equal("name,email\r\nAda,ada@example.com\r\n", await File.ReadAllTextAsync(path));
    }

    // ---- Failures ----

    [Fact]
    public async Task SendAsync_BadRequest_IsNotTransient_NamesTheStatus_AndHoldsNoTokenAndNoText()
    {
        var text = "A secret launch, not to be leaked in logs";
        _server.FailNext("/api/v1/statuses", 400, body: $"{{\"error\":\"bad request from Bearer {Token} about \\\"{text}\\\"\"}}");
        var gateway = Gateway("social", o => Social(o, "Mastodon", _server.BaseUri, Token));

        var e = await Assert.ThrowsAsync<GatewayException>(() => gateway.SendAsync(Item(text: text), NoCommit));

        Assert.False(e.IsTransient);
        Assert.StartsWith("The social endpoint answered 400 (Bad Request): ", e.Message, StringComparison.Ordinal);
        Assert.Contains("bad request from Bearer [redacted]", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, e.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(text, e.ToString(), StringComparison.Ordinal);
        Assert.Equal(400, e.StatusCode);
        Assert.Null(e.RetryAfter);
        Assert.Empty(e.Data);
    }

    [Fact]
    public async Task SendAsync_LongErrorBody_IsCutTo200Characters()
    {
        _server.FailNext("/webhook/", 422, body: new string('x', 5000));
        var gateway = Gateway("crm", o => Crm(o, "Webhook", _server.WebhookUri("crm"), null));

        var e = await Assert.ThrowsAsync<GatewayException>(() => gateway.SendAsync(Item(channel: "crm"), NoCommit));

        Assert.False(e.IsTransient);
        Assert.EndsWith(": " + new string('x', 200), e.Message, StringComparison.Ordinal);
        Assert.StartsWith("The CRM endpoint answered 422", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_ServiceUnavailableWithRetryAfter_IsTransientAndExposesTheDelay()
    {
        _server.FailNext("/crm/", 503, retryAfter: TimeSpan.FromSeconds(7));
        var gateway = Gateway("crm", o => Crm(o, "HubSpot", _server.BaseUri, Token));

        var e = await Assert.ThrowsAsync<GatewayException>(() => gateway.SendAsync(Item(channel: "crm"), NoCommit));

        Assert.True(e.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(7), e.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(7), TransientFailures.RetryAfter(e));
        Assert.Equal(503, e.StatusCode);
        Assert.Contains("503", e.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Created);
    }

    [Theory]
    [InlineData(408, true)]
    [InlineData(425, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(504, true)]
    [InlineData(400, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    [InlineData(409, true)]
    [InlineData(422, false)]
    public async Task SendAsync_Status_IsClassified(int status, bool transient)
    {
        _server.FailNext("/webhook/", status);
        var gateway = Gateway("social", o => Social(o, "Webhook", _server.WebhookUri("social"), null));

        var e = await Assert.ThrowsAsync<GatewayException>(() => gateway.SendAsync(Item(), NoCommit));

        Assert.Equal(transient, e.IsTransient);
        Assert.Contains(status.ToString(CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_Hang_IsCancelledByTheCallersToken()
    {
        _server.HangNext("/webhook/");
        var gateway = Gateway("social", o => Social(o, "Webhook", _server.WebhookUri("social"), null));
        using var cancellation = new CancellationTokenSource();

        var send = gateway.SendAsync(Item(), NoCommit, cancellation.Token);
        await _server.WaitForRequestAsync(cancellationToken: new CancellationTokenSource(Patience).Token);
        var watch = Stopwatch.StartNew();
        await cancellation.CancelAsync();

        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send.WaitAsync(Patience));
        Assert.Equal(cancellation.Token, e.CancellationToken);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Empty(_server.Created);
    }

    [Fact]
    public async Task SendAsync_DroppedConnection_IsTransient()
    {
        _server.DropNext("/api/");
        var gateway = Gateway("social", o => Social(o, "Mastodon", _server.BaseUri, Token));

        var e = await Assert.ThrowsAsync<GatewayException>(() => gateway.SendAsync(Item(), NoCommit));

        Assert.True(e.IsTransient);
        Assert.Contains("could not be reached", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, e.ToString(), StringComparison.Ordinal);

        // The same item again, as the executor's retry would: it goes through.
        var receipt = await gateway.SendAsync(Item(), NoCommit);
        Assert.Equal(Assert.Single(_server.Created).Id, receipt.ProviderMessageId);
    }

    [Fact]
    public async Task SendAsync_NothingListening_IsTransient()
    {
        await using var gone = await LocalHttpApiServer.StartAsync();
        var endpoint = gone.WebhookUri("social");
        await gone.DisposeAsync();
        var gateway = Gateway("social", o => Social(o, "Webhook", endpoint, null));

        var e = await Assert.ThrowsAsync<GatewayException>(() => gateway.SendAsync(Item(), NoCommit));

        Assert.True(e.IsTransient);
        Assert.Contains("The social endpoint could not be reached", e.Message, StringComparison.Ordinal);
    }

    // ---- DI and logs ----

    [Fact]
    public void AddDelivery_RegistersOneGatewayPerHttpChannel_EvenWhenCalledTwice()
    {
        var services = new ServiceCollection();
        services.AddContentAgent().AddDelivery().AddDelivery();
        using var provider = services.BuildServiceProvider();

        var gateways = provider.GetServices<IExecutionGateway>().ToList();

        Assert.Single(gateways, g => g.Channel == "social");
        Assert.Single(gateways, g => g.Channel == "crm");
        Assert.Equal("webhook", gateways.Single(g => g.Channel == "social").Kind);
    }

    [Fact]
    public async Task SendAsync_Logs_WithoutTokenOrText()
    {
        var text = "Text that only Trace may ever show";
        _server.FailNext("/api/", 429, retryAfter: TimeSpan.FromSeconds(1), body: $"{{\"error\":\"slow down {Token}\"}}");
        var gateway = Gateway("social", o => Social(o, "Mastodon", _server.BaseUri, Token), logging: true);

        await Assert.ThrowsAsync<GatewayException>(() => gateway.SendAsync(Item("key-log", text), NoCommit));
        await gateway.SendAsync(Item("key-log", text), NoCommit);

        var records = _providers[^1].GetFakeLogCollector().GetSnapshot();
        var failed = Assert.Single(records, r => r.Id.Id == 141);
        Assert.Contains("key-log", failed.Message, StringComparison.Ordinal);
        Assert.Contains("429", failed.Message, StringComparison.Ordinal);
        var sent = Assert.Single(records, r => r.Id.Id == 140);
        Assert.Contains(Assert.Single(_server.Created).Id, sent.Message, StringComparison.Ordinal);
        Assert.All(records, r =>
        {
            var all = $"{r.Message} {r.Exception} {string.Join(",", r.StructuredState ?? [])}";
            Assert.DoesNotContain(Token, all, StringComparison.Ordinal);
            Assert.DoesNotContain(text, all, StringComparison.Ordinal);
        });
    }

    // ---- helpers ----

    private static Task NoCommit(CancellationToken cancellationToken) => Task.CompletedTask;

    private static ExecutionItem Item(string key = "key-1", string text = "Hello", DateTimeOffset? at = null, string channel = "social") =>
        new(key, PlanId, "tenant-a", 2, channel, "target", "LinkedIn", "Five things AI changed", text, at ?? new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero));

    private static void Social(ExecutionOptions options, string kind, Uri endpoint, string? token)
    {
        options.Social.Kind = kind;
        options.Social.Endpoint = endpoint;
        options.Social.AccessToken = token;
    }

    private static void Crm(ExecutionOptions options, string kind, Uri endpoint, string? token)
    {
        options.Crm.Kind = kind;
        options.Crm.Endpoint = endpoint;
        options.Crm.AccessToken = token;
    }

    private static void Csv(ExecutionOptions options, string path)
    {
        options.Crm.Kind = "Csv";
        options.Crm.CsvPath = path;
    }

    private IExecutionGateway Gateway(string channel, Action<ExecutionOptions> configure, bool logging = false)
    {
        var services = new ServiceCollection();
        if (logging)
        {
            services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace)).AddFakeLogging();
        }

        services.AddContentAgent().AddDelivery();
        services.Configure(configure);
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider.GetServices<IExecutionGateway>().Single(g => g.Channel == channel);
    }

    private static List<string[]> ReadCsv(string path)
    {
        // An independent RFC 4180 reader (the runtime's), not the gateway's own.
        using var parser = new TextFieldParser(path, new UTF8Encoding(false)) { HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = false };
        parser.SetDelimiters(",");
        var rows = new List<string[]>();
        while (!parser.EndOfData)
        {
            rows.Add(parser.ReadFields()!);
        }

        return rows;
    }
}
