using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ContentAgent.Delivery.Execution;
using ContentAgent.Delivery.Execution.Email;
using ContentAgent.Tests.Servers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using MimeKit.IO;
using Xunit.Abstractions;

namespace ContentAgent.Tests.Delivery.Execution;

/// <summary>The SMTP gateway against a real SMTP server (the smtp-server npm package on loopback, see LocalSmtpServer).</summary>
public sealed class SmtpEmailGatewayTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private static readonly DateTimeOffset Scheduled = new(2026, 12, 1, 9, 30, 0, TimeSpan.Zero);

    private const string Post = """
        AI at work is less about replacing people than about removing the dull parts.
        Three teams we spoke to cut their reporting time in half.

        What would you automate first?
        #AI #FutureOfWork
        """;

    [Fact]
    public async Task SendAsync_OneItem_ArrivesWithEnvelopeSubjectBothPartsAndHeaders()
    {
        await using var server = await LocalSmtpServer.StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
        await using var gateway = Gateway(server, time: time);

        var receipt = await gateway.SendAsync(Item(), NoCommit);

        var message = Assert.Single(await server.WaitForMessagesAsync(1, Wait));
        Assert.Equal("<plan-1.0.email.reader@contentagent>", receipt.ProviderMessageId);
        Assert.Equal("news@contoso.test", message.EnvelopeFrom);
        Assert.Equal(["reader@example.test"], message.EnvelopeTo);
        Assert.Equal("\"Contoso Marketing\" <news@contoso.test>", message.HeaderFrom);
        Assert.Equal("reader@example.test", message.HeaderTo);
        Assert.Equal("[Contoso] AI at work", message.Subject);
        Assert.Equal("multipart/alternative", message.ContentType);
        Assert.Equal("<plan-1.0.email.reader@contentagent>", message.MessageId);
        Assert.Equal("plan-1.0.email.reader", message.Key);
        Assert.Equal("2026-12-01T09:30:00+00:00", message.Scheduled);
        Assert.Equal("2026-11-30T08:00:00.000Z", message.Date);
        Assert.Equal(Post.ReplaceLineEndings("\n"), message.Text!.ReplaceLineEndings("\n").TrimEnd('\n'));
        Assert.Contains("<title>[Contoso] AI at work</title>", message.Html, StringComparison.Ordinal);
        Assert.Contains(
            "<p dir=\"auto\">AI at work is less about replacing people than about removing the dull parts.<br>\nThree teams we spoke to cut their reporting time in half.</p>\n<p dir=\"auto\">What would you automate first?<br>\n#AI #FutureOfWork</p>",
            message.Html,
            StringComparison.Ordinal);
        Assert.Contains("Content-Type: text/plain; charset=utf-8", message.Raw, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Content-Type: text/html; charset=utf-8", message.Raw, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SendAsync_TextWithMarkupAndUnicode_HtmlPartEncodesItAndTextPartKeepsIt()
    {
        await using var server = await LocalSmtpServer.StartAsync();
        await using var gateway = Gateway(server);
        const string Text = "<script>alert('x')</script> & \"quotes\"\n\n<b>not bold</b> مرحبا 日本語 🚀\n.a line that starts with a dot";

        await gateway.SendAsync(Item(text: Text, subject: "<script>"), NoCommit);

        var message = Assert.Single(await server.WaitForMessagesAsync(1, Wait));
        Assert.DoesNotContain("<script", message.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", message.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quotes&quot;", message.Html, StringComparison.Ordinal);
        Assert.Contains("<title>[Contoso] &lt;script&gt;</title>", message.Html, StringComparison.Ordinal);
        Assert.Contains("<p dir=\"auto\">&lt;b&gt;not bold&lt;/b&gt; مرحبا 日本語 &#x1F680;<br>\n.a line that starts with a dot</p>", message.Html, StringComparison.Ordinal);
        Assert.Equal(Text, message.Text!.ReplaceLineEndings("\n").TrimEnd('\n'));
        Assert.Equal("[Contoso] <script>", message.Subject);
    }

    [Fact]
    public async Task SendAsync_CommitHook_RunsOnceAfterTheRecipientIsAcceptedAndBeforeTheServerStoresTheMessage()
    {
        await using var server = await LocalSmtpServer.StartAsync();
        await using var gateway = Gateway(server);
        var text = string.Join("\n\n", Enumerable.Range(0, 400).Select(i => $"Paragraph {i}: a long post so the content spans many TCP segments."));
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;

        var sending = gateway.SendAsync(Item(text: text), async token =>
        {
            Interlocked.Increment(ref calls);
            entered.TrySetResult();
            await release.Task.WaitAsync(token);
        });

        // The hook is running, and blocked.
        await entered.Task.WaitAsync(Wait);

        // The server had accepted the sender (measured first: SIZE= was declared) and the recipient, and answered DATA.
        var mail = await server.WaitForEventAsync(e => e.Type == "mail", Wait);
        var rcpt = await server.WaitForEventAsync(e => e.Type == "rcpt", Wait);
        var dataStart = await server.WaitForEventAsync(e => e.Type == "data-start", Wait);
        Assert.True(mail.GetBoolean("accepted"));
        Assert.True(mail.Data.GetProperty("args").TryGetProperty("SIZE", out _), "MailKit measured the message (SIZE=) before MAIL FROM; the hook did not run then.");
        Assert.Equal("reader@example.test", rcpt.GetString("to"));
        Assert.True(rcpt.GetBoolean("accepted"));
        Assert.True(mail.Sequence < rcpt.Sequence && rcpt.Sequence < dataStart.Sequence);

        // The gateway flushed the content before calling the hook: the server receives it all while the hook is blocked
        // (it holds back only the few bytes that could begin the terminator), and stores nothing.
        var declared = long.Parse(mail.Data.GetProperty("args").GetProperty("SIZE").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var content = await server.WaitForEventAsync(e => e.Type == "data-chunk" && e.GetInt64("bytes") >= declared - 4, Wait);
        await server.SettleAsync(); // a round trip through the server's event loop
        var whileBlocked = server.Events;
        Assert.DoesNotContain(whileBlocked, e => e.Type == "message");
        Assert.Empty(server.Messages);
        Assert.False(sending.IsCompleted);
        var bytesWhileBlocked = whileBlocked.Where(e => e.Type == "data-chunk").Max(e => e.GetInt64("bytes")!.Value);
        Assert.Equal(1, Volatile.Read(ref calls));

        release.SetResult();
        var receipt = await sending.WaitAsync(Wait);

        var message = Assert.Single(await server.WaitForMessagesAsync(1, Wait));
        Assert.Equal(receipt.ProviderMessageId, message.MessageId);
        Assert.Equal(1, Volatile.Read(ref calls));
        Assert.True(message.Sequence > content.Sequence);
        Assert.Equal(declared, message.Size);
        Assert.InRange(message.Size - bytesWhileBlocked, 0, 4);
        output.WriteLine($"{message.Size} bytes (SIZE={declared}); the server held {bytesWhileBlocked} of them while the hook was blocked");
    }

    [Fact]
    public async Task SendAsync_RecipientRefused550_NotTransientNamingTheRecipientAndTheConnectionStaysUsable()
    {
        await using var server = await LocalSmtpServer.StartAsync();
        await using var gateway = Gateway(server);
        await server.RejectRecipientAsync("nobody@example.test");
        var hook = new HookCounter();

        var error = await Assert.ThrowsAsync<GatewayException>(() => gateway.SendAsync(Item(to: "nobody@example.test"), hook.RunAsync));

        Assert.False(error.IsTransient);
        Assert.StartsWith($"The SMTP server 127.0.0.1:{server.Port} refused recipient nobody@example.test: 550 ", error.Message, StringComparison.Ordinal);
        Assert.Contains("User unknown", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, hook.Calls);
        Assert.False(error.MayHaveBeenDelivered);
        Assert.Equal(550, error.StatusCode);

        await gateway.SendAsync(Item(key: "next"), hook.RunAsync);
        Assert.Single(await server.WaitForMessagesAsync(1, Wait));
        Assert.Equal(1, server.ConnectionCount);
    }

    [Theory]
    [InlineData(SmtpStage.MailFrom, 451, true)]
    [InlineData(SmtpStage.RcptTo, 452, true)]
    [InlineData(SmtpStage.MailFrom, 421, true)]
    [InlineData(SmtpStage.MailFrom, 554, false)]
    [InlineData(SmtpStage.RcptTo, 550, false)]
    public async Task SendAsync_RefusedBeforeTheHandOver_4xxIsTransientAnd5xxIsNot(SmtpStage stage, int code, bool transient)
    {
        await using var server = await LocalSmtpServer.StartAsync();
        await using var gateway = Gateway(server);
        await server.FailNextAsync(1, code, stage);
        var hook = new HookCounter();

        var error = await Assert.ThrowsAsync<GatewayException>(() => gateway.SendAsync(Item(), hook.RunAsync));

        Assert.Equal(transient, error.IsTransient);
        Assert.Contains($"127.0.0.1:{server.Port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("reader@example.test", error.Message, StringComparison.Ordinal);
        Assert.Contains($": {code} ", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, hook.Calls);
        await server.SettleAsync();
        Assert.Empty(server.Messages);

        // The next send goes through.
        await gateway.SendAsync(Item(), hook.RunAsync);
        Assert.Single(await server.WaitForMessagesAsync(1, Wait));
    }

    [Theory]
    [InlineData(SmtpStage.DataCommand)]
    [InlineData(SmtpStage.MailFrom)]
    public async Task SendAsync_ConnectionDroppedBeforeTheHandOver_IsTransient(SmtpStage stage)
    {
        await using var server = await LocalSmtpServer.StartAsync();
        await using var gateway = Gateway(server);
        if (stage == SmtpStage.DataCommand)
        {
            await server.DropNextDuringDataAsync();
        }
        else
        {
            await server.DropNextAsync(stage);
        }

        var hook = new HookCounter();

        var error = await Assert.ThrowsAsync<GatewayException>(() => gateway.SendAsync(Item(), hook.RunAsync));

        Assert.True(error.IsTransient);
        Assert.StartsWith($"Could not send the message to reader@example.test through the SMTP server 127.0.0.1:{server.Port}: ", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, hook.Calls);
        await server.SettleAsync();
        Assert.Empty(server.Messages);

        // A retry connects anew and delivers.
        await gateway.SendAsync(Item(), hook.RunAsync);
        Assert.Single(await server.WaitForMessagesAsync(1, Wait));
        Assert.Equal(2, server.ConnectionCount);
    }

    [Fact]
    public async Task SendAsync_ConnectionDroppedAfterTheFinalDot_NotTransientAndInDoubt()
    {
        await using var server = await LocalSmtpServer.StartAsync();
        await using var gateway = Gateway(server);
        await server.DropNextDuringDataAsync(afterContent: true);
        var hook = new HookCounter();

        var error = await Assert.ThrowsAsync<GatewayException>(() => gateway.SendAsync(Item(), hook.RunAsync));

        Assert.False(error.IsTransient);
        Assert.Equal(1, hook.Calls);
        Assert.StartsWith($"The connection to the SMTP server 127.0.0.1:{server.Port} failed after the message to reader@example.test was handed over", error.Message, StringComparison.Ordinal);
        Assert.Contains("it may or may not have been delivered", error.Message, StringComparison.Ordinal);
        Assert.True(error.MayHaveBeenDelivered);
    }

    [Fact]
    public async Task SendAsync_RefusedAfterTheFinalDot_NotTransientAndNotDelivered()
    {
        await using var server = await LocalSmtpServer.StartAsync();
        await using var gateway = Gateway(server);
        await server.FailNextAsync(1, 451, SmtpStage.EndOfData);
        var hook = new HookCounter();

        var error = await Assert.ThrowsAsync<GatewayException>(() => gateway.SendAsync(Item(), hook.RunAsync));

        Assert.False(error.IsTransient);
        Assert.Equal(1, hook.Calls);
        Assert.StartsWith($"The SMTP server 127.0.0.1:{server.Port} refused the message to reader@example.test after it was handed over (451 ", error.Message, StringComparison.Ordinal);
        Assert.Contains("it was not delivered", error.Message, StringComparison.Ordinal);
        Assert.False(error.MayHaveBeenDelivered);
        Assert.Equal(451, error.StatusCode);
        await server.SettleAsync();
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task SendAsync_NoReplyToTheFinalDotInTime_NotTransientAndInDoubt()
    {
        await using var server = await LocalSmtpServer.StartAsync();
        await using var gateway = Gateway(server, o => o.SendTimeout = TimeSpan.FromSeconds(2));
        await server.DelayNextReplyAsync(TimeSpan.FromSeconds(6));
        var hook = new HookCounter();

        var error = await Assert.ThrowsAsync<GatewayException>(() => gateway.SendAsync(Item(), hook.RunAsync));

        // The server did store it: exactly why the executor must not send it again by itself.
        Assert.False(error.IsTransient);
        Assert.Equal(1, hook.Calls);
        Assert.Contains("no answer within the send timeout of 2 s", error.Message, StringComparison.Ordinal);
        Assert.True(error.MayHaveBeenDelivered);
        Assert.Single(await server.WaitForMessagesAsync(1, Wait));
    }

    [Fact]
    public async Task SendAsync_NoReplyToMailFromInTime_IsTransient()
    {
        await using var server = await LocalSmtpServer.StartAsync();
        await using var gateway = Gateway(server, o => o.SendTimeout = TimeSpan.FromSeconds(1));
        await server.DelayNextReplyAsync(TimeSpan.FromSeconds(5), stage: SmtpStage.MailFrom);
        var hook = new HookCounter();

        var error = await Assert.ThrowsAsync<GatewayException>(() => gateway.SendAsync(Item(), hook.RunAsync));

        Assert.True(error.IsTransient);
        Assert.Equal(0, hook.Calls);
        Assert.Contains("no answer within the send timeout of 1 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_WithUserNameAndPassword_AuthenticatesAndSends()
    {
        await using var server = await LocalSmtpServer.StartAsync(new LocalSmtpServerOptions { UserName = "agent", Password = "s3cret-Pa55" });
        await using var gateway = Gateway(server, o =>
        {
            o.Email.UserName = "agent";
            o.Email.Password = "s3cret-Pa55";
        });

        await gateway.SendAsync(Item(), NoCommit);
        await gateway.SendAsync(Item(key: "second"), NoCommit);

        var messages = await server.WaitForMessagesAsync(2, Wait);
        Assert.All(messages, m => Assert.Equal("agent", m.User));
        var auth = Assert.Single(server.Events, e => e.Type == "auth");
        Assert.True(auth.GetBoolean("ok"));
    }

    [Fact]
    public async Task SendAsync_WrongPassword_NotTransientSaysWhatToCheckAndNeverShowsThePassword()
    {
        const string Wrong = "wrong-Pa55word-0123456789";
        await using var server = await LocalSmtpServer.StartAsync(new LocalSmtpServerOptions { UserName = "agent", Password = "s3cret-Pa55" });
        var logs = new FakeLogCollector();
        await using var gateway = Gateway(server, o =>
        {
            o.Email.UserName = "agent";
            o.Email.Password = Wrong;
        }, logger: new FakeLogger<SmtpEmailGateway>(logs));
        var hook = new HookCounter();

        var error = await Assert.ThrowsAsync<GatewayException>(() => gateway.SendAsync(Item(), hook.RunAsync));

        Assert.False(error.IsTransient);
        Assert.StartsWith($"The SMTP server 127.0.0.1:{server.Port} refused the credentials of user 'agent'", error.Message, StringComparison.Ordinal);
        Assert.Contains("check ContentAgent:Execution:Email:UserName/Password", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Wrong, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Wrong, error.Message, StringComparison.Ordinal);
        Assert.All(logs.GetSnapshot(), r => Assert.DoesNotContain(Wrong, $"{r.Message} {r.Exception} {string.Join(",", r.StructuredState ?? [])}", StringComparison.Ordinal));
        Assert.Equal(0, hook.Calls);
        await server.SettleAsync();
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task SendAsync_ServerWantsAuthenticationAndNoneIsConfigured_NotTransientSaysWhatToSet()
    {
        await using var server = await LocalSmtpServer.StartAsync(new LocalSmtpServerOptions { UserName = "agent", Password = "s3cret-Pa55" });
        await using var gateway = Gateway(server);

        var error = await Assert.ThrowsAsync<GatewayException>(() => gateway.SendAsync(Item(), NoCommit));

        Assert.False(error.IsTransient);
        Assert.Contains($"127.0.0.1:{server.Port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("ContentAgent:Execution:Email:UserName/Password", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_NothingListens_IsTransientNamingTheServer()
    {
        var port = ClosedPort();
        await using var gateway = new SmtpEmailGateway(Monitor(Options(port)), TimeProvider.System);
        var hook = new HookCounter();

        var error = await Assert.ThrowsAsync<GatewayException>(() => gateway.SendAsync(Item(), hook.RunAsync));

        Assert.True(error.IsTransient);
        Assert.StartsWith($"Could not send the message to reader@example.test through the SMTP server 127.0.0.1:{port}: ConnectionRefused", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, hook.Calls);
    }

    [Fact]
    public async Task SendAsync_TwentyItems_ReuseOneConnection()
    {
        await using var server = await LocalSmtpServer.StartAsync();
        await using var gateway = Gateway(server);
        var hook = new HookCounter();
        await gateway.SendAsync(Item(key: "warm-up"), hook.RunAsync); // connects

        var watch = Stopwatch.StartNew();
        var each = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var started = watch.Elapsed;
            await gateway.SendAsync(Item(key: $"plan-1.{i}.email.reader"), hook.RunAsync);
            each.Add((watch.Elapsed - started).TotalMilliseconds);
        }

        watch.Stop();

        var messages = await server.WaitForMessagesAsync(21, Wait);
        Assert.Equal(21, messages.Select(m => m.MessageId).Distinct().Count());
        Assert.Equal(21, hook.Calls);
        Assert.Equal(1, server.ConnectionCount);
        // On a 2-core machine the test host's thread pool now and then stalls one send for ~0.7 s (plain MailKit too):
        // the median says more than the mean.
        each.Sort();
        output.WriteLine($"20 messages over one connection in {watch.ElapsedMilliseconds} ms: median {each[10]:0.0} ms, mean {each.Average():0.0} ms, max {each[^1]:0.0} ms per message");
    }

    [Fact]
    public async Task SendAsync_ServerClosedTheKeptConnection_ReconnectsOnceAndSends()
    {
        await using var server = await LocalSmtpServer.StartAsync();
        await using var gateway = Gateway(server);
        var hook = new HookCounter();
        await gateway.SendAsync(Item(key: "first"), hook.RunAsync);

        await server.DisconnectAllAsync();
        await server.WaitForEventAsync(e => e.Type == "close", Wait);
        await gateway.SendAsync(Item(key: "second"), hook.RunAsync);

        var messages = await server.WaitForMessagesAsync(2, Wait);
        Assert.Equal(["<first@contentagent>", "<second@contentagent>"], messages.Select(m => m.MessageId));
        Assert.Equal(2, hook.Calls);
        Assert.Equal(2, server.ConnectionCount);
    }

    [Fact]
    public async Task SendAsync_CommitHookThrows_RethrowsItAndTheServerStoresNothing()
    {
        await using var server = await LocalSmtpServer.StartAsync();
        await using var gateway = Gateway(server);
        var ledgerDown = new InvalidOperationException("the ledger is unavailable");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => gateway.SendAsync(Item(), _ => throw ledgerDown));

        Assert.Same(ledgerDown, error);
        var session = (await server.WaitForEventAsync(e => e.Type == "data-start", Wait)).Session;
        await server.WaitForEventAsync(e => e.Type == "close" && e.Session == session, Wait);
        await server.SettleAsync();
        Assert.Empty(server.Messages);

        // The gateway recovers: a new connection.
        await gateway.SendAsync(Item(), NoCommit);
        Assert.Single(await server.WaitForMessagesAsync(1, Wait));
    }

    [Fact]
    public async Task SendAsync_CommitHookSlowerThanTheSendTimeout_TheTimeoutWaitsForItAndTheSendSucceeds()
    {
        await using var server = await LocalSmtpServer.StartAsync();
        await using var gateway = Gateway(server, o => o.SendTimeout = TimeSpan.FromSeconds(1));
        CancellationToken seen = default;

        await gateway.SendAsync(Item(), async token =>
        {
            seen = token;
            await Task.Delay(TimeSpan.FromSeconds(2.5), CancellationToken.None);
        });

        Assert.Single(await server.WaitForMessagesAsync(1, Wait));
        Assert.False(seen.IsCancellationRequested);
    }

    [Fact]
    public async Task SendAsync_ConcurrentCalls_GoOneAtATimeOverOneConnection()
    {
        await using var server = await LocalSmtpServer.StartAsync();
        await using var gateway = Gateway(server);
        var hook = new HookCounter();

        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => gateway.SendAsync(Item(key: $"parallel-{i}"), hook.RunAsync)));

        var messages = await server.WaitForMessagesAsync(10, Wait);
        Assert.Equal(10, messages.Select(m => m.Key).Distinct().Count());
        Assert.Equal(10, hook.Calls);
        Assert.Equal(1, server.ConnectionCount);
    }

    [Fact]
    public async Task SendAsync_OptionsChangeToAnotherServer_ConnectsThere()
    {
        await using var first = await LocalSmtpServer.StartAsync();
        await using var second = await LocalSmtpServer.StartAsync();
        var options = Options(first.Port);
        await using var gateway = new SmtpEmailGateway(Monitor(options), TimeProvider.System);

        await gateway.SendAsync(Item(key: "to-first"), NoCommit);
        options.Email.Port = second.Port;
        await gateway.SendAsync(Item(key: "to-second"), NoCommit);

        Assert.Equal("to-first", Assert.Single(await first.WaitForMessagesAsync(1, Wait)).Key);
        Assert.Equal("to-second", Assert.Single(await second.WaitForMessagesAsync(1, Wait)).Key);
    }

    [Fact]
    public async Task CommitHook_MessageWrittenAnywhereButTheSmtpDataStream_DoesNotRun()
    {
        var calls = 0;
        var hook = new CommitHook(_ => { calls++; return Task.CompletedTask; }, CancellationToken.None);
        using var message = EmailMessageBuilder.Build(Item(), MailboxAddress.Parse("news@contoso.test"), MailboxAddress.Parse("reader@example.test"), null, Scheduled, hook);

        using var memory = new MemoryStream();
        await message.WriteToAsync(memory);
        message.WriteTo(memory);
        using var measuring = new MeasuringStream();
        await message.WriteToAsync(FormatOptions.Default, measuring);
        message.WriteTo(FormatOptions.Default, measuring);
        _ = message.ToString();

        Assert.Equal(0, calls);
        Assert.False(hook.Started);
    }

    [Fact]
    public async Task CommitHook_SynchronousMailKitSend_RunsOnceBeforeTheMessageIsStored()
    {
        await using var server = await LocalSmtpServer.StartAsync();
        var stored = -1;
        var hook = new CommitHook(
            _ =>
            {
                stored = server.Messages.Count;
                return Task.CompletedTask;
            },
            CancellationToken.None);
        using var message = EmailMessageBuilder.Build(Item(), MailboxAddress.Parse("news@contoso.test"), MailboxAddress.Parse("reader@example.test"), null, Scheduled, hook);
        using var client = new MailKit.Net.Smtp.SmtpClient();

        await client.ConnectAsync(server.Host, server.Port, MailKit.Security.SecureSocketOptions.None);
        client.Send(message);

        Assert.True(hook.Committed);
        Assert.Equal(0, stored);
        Assert.Single(await server.WaitForMessagesAsync(1, Wait));
    }

    [Theory]
    [InlineData("StartTls", false)]
    [InlineData("starttlswhenavailable", true)]
    [InlineData("Auto", true)]
    public async Task SendAsync_TlsModes_MapToMailKitAndAMissingStartTlsIsNotTransient(string tls, bool sends)
    {
        await using var server = await LocalSmtpServer.StartAsync();
        await using var gateway = Gateway(server, o => o.Email.Tls = tls);

        if (sends)
        {
            await gateway.SendAsync(Item(), NoCommit);
            Assert.Single(await server.WaitForMessagesAsync(1, Wait));
        }
        else
        {
            var error = await Assert.ThrowsAsync<GatewayException>(() => gateway.SendAsync(Item(), NoCommit));
            Assert.False(error.IsTransient);
            Assert.Contains($"127.0.0.1:{server.Port}", error.Message, StringComparison.Ordinal);
            Assert.Contains("STARTTLS", error.Message, StringComparison.Ordinal);
            Assert.Contains("check Tls (StartTls)", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SendAsync_CancelledBeforeTheHandOver_ThrowsOperationCanceled()
    {
        await using var server = await LocalSmtpServer.StartAsync();
        await using var gateway = Gateway(server);
        await server.DelayNextReplyAsync(TimeSpan.FromSeconds(5), stage: SmtpStage.MailFrom);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var hook = new HookCounter();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gateway.SendAsync(Item(), hook.RunAsync, cancel.Token));

        Assert.Equal(0, hook.Calls);
    }

    [Theory]
    [InlineData(null, "None", "\"Contoso\" <news@contoso.test>", "reader@example.test", "The SMTP server is not configured: set ContentAgent:Execution:Email:Host.")]
    [InlineData("127.0.0.1", "Sometimes", "\"Contoso\" <news@contoso.test>", "reader@example.test", "ContentAgent:Execution:Email:Tls is 'Sometimes': use None, StartTls, StartTlsWhenAvailable, SslOnConnect or Auto.")]
    [InlineData("127.0.0.1", "None", null, "reader@example.test", "The sender address ContentAgent:Execution:Email:From is not set.")]
    [InlineData("127.0.0.1", "None", "\"Contoso\" <news@contoso.test>", "not an address", "The recipient address 'not an address' is not a valid email address.")]
    public async Task SendAsync_InvalidConfigurationOrTarget_NotTransientSaysWhatToFix(string? host, string tls, string? from, string to, string expected)
    {
        var options = Options(25);
        options.Email.Host = host;
        options.Email.Tls = tls;
        options.Email.From = from;
        await using var gateway = new SmtpEmailGateway(Monitor(options), TimeProvider.System);

        var error = await Assert.ThrowsAsync<GatewayException>(() => gateway.SendAsync(Item(to: to), NoCommit));

        Assert.False(error.IsTransient);
        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Gateway_DescribesItself()
    {
        using var gateway = new SmtpEmailGateway(Monitor(Options(25)), TimeProvider.System);

        Assert.Equal("email", gateway.Channel);
        Assert.Equal("smtp", gateway.Kind);
        Assert.False(gateway.HonoursIdempotencyKey);
    }

    [Fact]
    public async Task AddDelivery_RegistersTheSmtpGatewayOnce()
    {
        var services = new ServiceCollection();
        services.AddContentAgent().AddDelivery().AddDelivery();
        await using var provider = services.BuildServiceProvider();

        var gateway = Assert.Single(provider.GetServices<IExecutionGateway>(), g => g.Channel == "email");

        Assert.IsType<SmtpEmailGateway>(gateway);
        Assert.Equal("email", gateway.Channel);
    }

    [Fact]
    public async Task AddDelivery_GatewayFromTheContainer_SendsWithTheConfiguredOptions()
    {
        await using var server = await LocalSmtpServer.StartAsync();
        var services = new ServiceCollection();
        services.AddContentAgent().AddDelivery();
        services.Configure<ExecutionOptions>(o => Configure(o, server.Port));
        await using (var provider = services.BuildServiceProvider())
        {
            var gateway = Assert.Single(provider.GetServices<IExecutionGateway>(), g => g.Channel == "email");
            await gateway.SendAsync(Item(), NoCommit);
        }

        // Disposing the container said goodbye and closed the connection.
        await server.WaitForEventAsync(e => e.Type == "close", Wait);
        await server.SettleAsync();
        Assert.Single(server.Messages);
    }

    [Fact]
    public async Task SendAsync_LogsSendsAtDebugAndFailuresAsWarningsWithoutTheBody()
    {
        await using var server = await LocalSmtpServer.StartAsync();
        var logs = new FakeLogCollector();
        await using var gateway = Gateway(server, logger: new FakeLogger<SmtpEmailGateway>(logs));
        await server.RejectRecipientAsync("nobody@example.test");

        await gateway.SendAsync(Item(text: "BODY-MARKER " + Post), NoCommit);
        await Assert.ThrowsAsync<GatewayException>(() => gateway.SendAsync(Item(to: "nobody@example.test", text: "BODY-MARKER"), NoCommit));

        var records = logs.GetSnapshot();
        var connected = Assert.Single(records, r => r.Id.Id == 150);
        Assert.Equal(LogLevel.Debug, connected.Level);
        var sent = Assert.Single(records, r => r.Id.Id == 151);
        Assert.Equal(LogLevel.Debug, sent.Level);
        Assert.Contains("<plan-1.0.email.reader@contentagent>", sent.Message, StringComparison.Ordinal);
        var failed = Assert.Single(records, r => r.Id.Id == 152);
        Assert.Equal(LogLevel.Warning, failed.Level);
        Assert.Contains("refused recipient nobody@example.test: 550", failed.Message, StringComparison.Ordinal);
        Assert.All(records, r => Assert.DoesNotContain("BODY-MARKER", r.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_TracesEachSendAsAClientActivity()
    {
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "ContentAgent",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (activities)
                {
                    activities.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var server = await LocalSmtpServer.StartAsync();
        await using var gateway = Gateway(server);
        await server.RejectRecipientAsync("nobody@example.test");

        await gateway.SendAsync(Item(key: "traced-ok"), NoCommit);
        await Assert.ThrowsAsync<GatewayException>(() => gateway.SendAsync(Item(key: "traced-refused", to: "nobody@example.test"), NoCommit));

        List<Activity> stopped;
        lock (activities)
        {
            stopped = [.. activities.Where(a => a.OperationName == "contentagent.execution.send")];
        }

        var ok = Assert.Single(stopped, a => (string?)a.GetTagItem("contentagent.execution.key") == "traced-ok");
        Assert.Equal(ActivityKind.Client, ok.Kind);
        Assert.Equal("email", ok.GetTagItem("contentagent.execution.channel"));
        Assert.Equal("smtp", ok.GetTagItem("contentagent.execution.kind"));
        Assert.Equal("127.0.0.1", ok.GetTagItem("server.address"));
        Assert.Equal(server.Port, ok.GetTagItem("server.port"));
        Assert.Equal("<traced-ok@contentagent>", ok.GetTagItem("contentagent.execution.message_id"));
        Assert.Equal(ActivityStatusCode.Unset, ok.Status);
        var refused = Assert.Single(stopped, a => (string?)a.GetTagItem("contentagent.execution.key") == "traced-refused");
        Assert.Equal(ActivityStatusCode.Error, refused.Status);
    }

    [Theory]
    [InlineData("plan-1.0.email.reader")]
    [InlineData("a1b2c3d4e5f60718")]
    [InlineData("k!#$%&'*+/=?^_`{|}~-")]
    public void MessageId_KeyIsADotAtom_IsTheKeyAtContentAgent(string key) =>
        Assert.Equal($"{key}@contentagent", EmailMessageBuilder.MessageId(key));

    [Theory]
    [InlineData("plan-1:0:email:reader@example.test")]
    [InlineData("two..dots")]
    [InlineData("a key with spaces")]
    [InlineData("a-key-longer-than-sixty-four-characters-0123456789-0123456789-0123456789")]
    public void MessageId_KeyIsNotADotAtom_IsItsHashAtContentAgent(string key)
    {
        var id = EmailMessageBuilder.MessageId(key);

        Assert.Equal(id, EmailMessageBuilder.MessageId(key));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32] + "@contentagent", id);
    }

    [Fact]
    public void ToHtml_ParagraphsOnBlankLinesAndLineBreaksAsBr()
    {
        var html = EmailMessageBuilder.ToHtml("one\r\ntwo\r\n\r\n\r\n  \nthree & <four>\n", "T");

        Assert.Contains("<body>\n<p dir=\"auto\">one<br>\ntwo</p>\n<p dir=\"auto\">three &amp; &lt;four&gt;</p>\n</body>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "Hello", "Hello")]
    [InlineData("  ", "Hello", "Hello")]
    [InlineData("[Contoso]", "Hello", "[Contoso] Hello")]
    [InlineData("[Contoso]", "Hello\r\nworld", "[Contoso] Hello world")]
    public void Subject_PrefixAndOneLine(string? prefix, string subject, string expected) =>
        Assert.Equal(expected, EmailMessageBuilder.Subject(prefix, subject));

    private static Task NoCommit(CancellationToken cancellationToken) => Task.CompletedTask;

    private static ExecutionItem Item(string key = "plan-1.0.email.reader", string to = "reader@example.test", string subject = "AI at work", string text = Post) =>
        new(key, "plan-1", "tenant-a", 0, "email", to, "LinkedIn", subject, text, Scheduled);

    private static SmtpEmailGateway Gateway(LocalSmtpServer server, Action<ExecutionOptions>? configure = null, TimeProvider? time = null, ILogger<SmtpEmailGateway>? logger = null)
    {
        var options = Options(server.Port);
        configure?.Invoke(options);
        return new SmtpEmailGateway(Monitor(options), time ?? TimeProvider.System, logger);
    }

    private static ExecutionOptions Options(int port)
    {
        var options = new ExecutionOptions();
        Configure(options, port);
        return options;
    }

    private static void Configure(ExecutionOptions options, int port)
    {
        options.SendTimeout = TimeSpan.FromSeconds(10);
        options.Email.Host = "127.0.0.1";
        options.Email.Port = port;
        options.Email.Tls = "None";
        options.Email.From = "\"Contoso Marketing\" <news@contoso.test>";
        options.Email.SubjectPrefix = "[Contoso]";
    }

    private static IOptionsMonitor<ExecutionOptions> Monitor(ExecutionOptions options) => new FixedOptionsMonitor(options);

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private sealed class HookCounter
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task RunAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Task.CompletedTask;
        }
    }

    private sealed class FixedOptionsMonitor(ExecutionOptions value) : IOptionsMonitor<ExecutionOptions>
    {
        public ExecutionOptions CurrentValue => value;

        public ExecutionOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<ExecutionOptions, string?> listener) => null;
    }
}
