using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using ContentAgent.Delivery.Diagnostics;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ContentAgent.Delivery.Execution.Email;

/// <summary>
/// Sends email items through an SMTP server with MailKit: one message per item (a text and an HTML alternative), with a
/// <c>Message-ID</c> made from the item's key. One connection is kept and reused, one send at a time; a reused connection
/// the server has closed is replaced once, transparently, while nothing of the message was handed over. The commit hook
/// runs after the server accepted the sender and the recipient and holds the whole content, just before the final dot
/// (see <see cref="CommittingAlternative"/>).
/// </summary>
/// <remarks>
/// Failures are <see cref="GatewayException"/>s naming the server and the recipient, never the password or the body.
/// Before the hand-over: SMTP 4xx replies, unreachable servers, dropped connections and timeouts are transient; 5xx replies,
/// refused credentials and configuration errors are not. After the hand-over (the executor has recorded the item as sent),
/// every failure is not transient, so the item is not sent again automatically; its message says whether the server
/// refused the message (not delivered) or the connection failed before the server answered (may or may not have been
/// delivered: <see cref="GatewayException.MayHaveBeenDelivered"/>).
/// When the commit hook itself throws, that exception is rethrown as it is, and the message was not sent.
/// </remarks>
internal sealed class SmtpEmailGateway : IExecutionGateway, IAsyncDisposable, IDisposable
{
    private const string ConfigurationSection = "ContentAgent:Execution:Email";

    private readonly IOptionsMonitor<ExecutionOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SmtpClient? _client;
    private SmtpEndpoint? _endpoint;
    private bool _disposed;

    public SmtpEmailGateway(IOptionsMonitor<ExecutionOptions> options, TimeProvider timeProvider, ILogger<SmtpEmailGateway>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options;
        _time = timeProvider;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    public string Channel => "email";

    public string Kind => "smtp";

    /// <summary>Gets <see langword="false"/>: SMTP has no idempotency keys (the <c>Message-ID</c> only lets people and filters spot a duplicate).</summary>
    public bool HonoursIdempotencyKey => false;

    public async Task<GatewayReceipt> SendAsync(ExecutionItem item, Func<CancellationToken, Task> committing, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(committing);
        ObjectDisposedException.ThrowIf(_disposed, this);

        using var activity = ContentAgent.Diagnostics.Telemetry.ActivitySource.StartActivity("contentagent.execution.send", ActivityKind.Client);
        activity?.SetTag("contentagent.execution.channel", Channel);
        activity?.SetTag("contentagent.execution.kind", Kind);
        activity?.SetTag("contentagent.execution.key", item.Key);
        try
        {
            var receipt = await SendCoreAsync(item, committing, activity, cancellationToken).ConfigureAwait(false);
            activity?.SetTag("contentagent.execution.message_id", receipt.ProviderMessageId);
            return receipt;
        }
        catch (GatewayException e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            SmtpLog.Failed(_logger, item.Key, item.Target, e.IsTransient, e.MayHaveBeenDelivered, e.Message);
            throw;
        }
        catch (Exception e)
        {
            // Cancelled before the hand-over, or the commit hook failed (then the final dot was never sent).
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
    }

    /// <summary>Says goodbye to the server (QUIT) and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            if (_client is { IsConnected: true } client)
            {
                using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try
                {
                    await client.DisconnectAsync(quit: true, quit.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or SmtpProtocolException or SmtpCommandException)
                {
                    // Closing anyway.
                }
            }

            _client?.Dispose();
            _client = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Closes the connection without a QUIT.</summary>
    public void Dispose()
    {
        _disposed = true;
        _client?.Dispose();
        _client = null;
    }

    private async Task<GatewayReceipt> SendCoreAsync(ExecutionItem item, Func<CancellationToken, Task> committing, Activity? activity, CancellationToken cancellationToken)
    {
        var options = _options.CurrentValue;
        var endpoint = SmtpEndpoint.From(options.Email);
        activity?.SetTag("server.address", endpoint.Host);
        activity?.SetTag("server.port", endpoint.Port);
        var from = ParseAddress(options.Email.From, $"The sender address {ConfigurationSection}:From");
        var to = ParseAddress(item.Target, "The recipient address");
        var hook = new CommitHook(committing, cancellationToken);
        using var message = EmailMessageBuilder.Build(item, from, to, options.Email.SubjectPrefix, _time.GetUtcNow(), hook);
        var messageId = $"<{message.MessageId}>";

        var started = _time.GetTimestamp();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var deadline = new CancellationTokenSource(options.SendTimeout, _time);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            hook.Bound(deadline, options.SendTimeout);
            var reused = false;
            try
            {
                while (true)
                {
                    reused = await EnsureConnectedAsync(endpoint, options.SendTimeout, timeout.Token).ConfigureAwait(false);
                    try
                    {
                        await _client!.SendAsync(message, from, [to], timeout.Token).ConfigureAwait(false);
                        break;
                    }
                    catch (Exception e) when (reused && !hook.Started && IsStaleConnection(e))
                    {
                        // The server closed the idle connection; nothing of this message reached it. Once more, anew.
                        SmtpLog.Reconnecting(_logger, endpoint.ToString(), item.Key, e.GetType().Name);
                        await DropClientAsync().ConfigureAwait(false);
                    }
                }
            }
            catch (Exception e) when (ReferenceEquals(e, hook.Failure))
            {
                // The commit hook failed: MailKit dropped the connection in the middle of DATA, nothing was delivered.
                throw;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !hook.Committed)
            {
                throw;
            }
            catch (Exception e)
            {
                throw Classify(e, endpoint, to, hook, options.SendTimeout, cancellationToken);
            }

            if (!hook.Started)
            {
                SmtpLog.HookDidNotRun(_logger, item.Key, endpoint.ToString());
            }

            SmtpLog.Sent(_logger, item.Key, to.Address, endpoint.ToString(), messageId, (long)_time.GetElapsedTime(started).TotalMilliseconds, reused ? "reused" : "new");
            return new GatewayReceipt(messageId);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Connects and authenticates unless the kept connection is open to the same server as the same user.</summary>
    /// <returns><see langword="true"/> when the kept connection is reused.</returns>
    private async Task<bool> EnsureConnectedAsync(SmtpEndpoint endpoint, TimeSpan sendTimeout, CancellationToken cancellationToken)
    {
        if (_client is { IsConnected: true } && endpoint.Equals(_endpoint) && (endpoint.UserName is null || _client.IsAuthenticated))
        {
            _client.Timeout = Milliseconds(sendTimeout);
            return true;
        }

        await DropClientAsync().ConfigureAwait(false);
        var started = _time.GetTimestamp();
        var client = new SmtpClient { Timeout = Milliseconds(sendTimeout) };
        try
        {
            // Our own socket, to turn Nagle's algorithm off: otherwise the final ".\r\n", a small write right after the
            // flushed content, waits for the server's delayed ACK (some 40 ms per message on Linux).
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            await client.ConnectAsync(socket, endpoint.Host, endpoint.Port, endpoint.Tls, cancellationToken).ConfigureAwait(false);
            if (endpoint.UserName is not null)
            {
                await client.AuthenticateAsync(endpoint.UserName, endpoint.Password ?? string.Empty, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            client.Dispose();
            throw;
        }

        _client = client;
        _endpoint = endpoint;
        SmtpLog.Connected(_logger, endpoint.ToString(), endpoint.Tls.ToString(), endpoint.UserName is null ? "anonymous" : "authenticated", (long)_time.GetElapsedTime(started).TotalMilliseconds);
        return false;
    }

    private async Task DropClientAsync()
    {
        if (_client is { } client)
        {
            _client = null;
            _endpoint = null;
            try
            {
                if (client.IsConnected)
                {
                    await client.DisconnectAsync(quit: false, CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or SocketException or SmtpProtocolException)
            {
                // It is going away anyway.
            }
            finally
            {
                client.Dispose();
            }
        }
    }

    private static int Milliseconds(TimeSpan timeout) => (int)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue);

    private static bool IsStaleConnection(Exception e) =>
        e is IOException or SocketException or SmtpProtocolException or ServiceNotConnectedException
        || e is SmtpCommandException { StatusCode: SmtpStatusCode.ServiceNotAvailable };

    private static MailboxAddress ParseAddress(string? address, string what)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            throw new GatewayException($"{what} is not set.", isTransient: false);
        }

        if (!EmailAddress.TryParse(address, out var mailbox))
        {
            throw new GatewayException($"{what} '{address}' is not a valid email address.", isTransient: false);
        }

        return mailbox;
    }

    private static GatewayException Classify(Exception e, SmtpEndpoint endpoint, MailboxAddress to, CommitHook hook, TimeSpan sendTimeout, CancellationToken cancellationToken)
    {
        var server = endpoint.ToString();
        var recipient = to.Address;
        if (hook.Committed)
        {
            // The executor has recorded the item as sent: never transient, so nothing sends it again by itself.
            var refused = e as SmtpCommandException;
            return refused is not null
                ? new GatewayException(
                    $"The SMTP server {server} refused the message to {recipient} after it was handed over ({Reply(refused, endpoint)}): it was not delivered, and is not retried because it was already recorded as sent.",
                    isTransient: false,
                    (int)refused.StatusCode,
                    retryAfter: null,
                    e)
                : new GatewayException(
                    $"The connection to the SMTP server {server} failed after the message to {recipient} was handed over and before the server confirmed it ({Describe(e, endpoint, sendTimeout, cancellationToken.IsCancellationRequested)}): it may or may not have been delivered; it is not retried.",
                    isTransient: false,
                    e)
                {
                    MayHaveBeenDelivered = true,
                };
        }

        return e switch
        {
            SmtpCommandException { ErrorCode: SmtpErrorCode.RecipientNotAccepted } c => new GatewayException(
                $"The SMTP server {server} refused recipient {recipient}: {Reply(c, endpoint)}", IsTransient(c), (int)c.StatusCode, retryAfter: null, e),
            SmtpCommandException { ErrorCode: SmtpErrorCode.SenderNotAccepted } c => new GatewayException(
                $"The SMTP server {server} refused the sender {c.Mailbox?.Address} ({ConfigurationSection}:From) for the message to {recipient}: {Reply(c, endpoint)}", IsTransient(c), (int)c.StatusCode, retryAfter: null, e),
            SmtpCommandException c => new GatewayException(
                $"The SMTP server {server} refused the message to {recipient}: {Reply(c, endpoint)}", IsTransient(c), (int)c.StatusCode, retryAfter: null, e),
            AuthenticationException => new GatewayException(
                $"The SMTP server {server} refused the credentials of user '{endpoint.UserName}' ({Scrub(e.Message, endpoint)}): check {ConfigurationSection}:UserName/Password.", isTransient: false, e),
            ServiceNotAuthenticatedException => new GatewayException(
                $"The SMTP server {server} requires authentication to send to {recipient}: set {ConfigurationSection}:UserName/Password.", isTransient: false, e),
            SslHandshakeException => new GatewayException(
                $"The TLS handshake with the SMTP server {server} failed ({Scrub(e.Message, endpoint)}): check {ConfigurationSection}:Tls ({endpoint.Tls}) and the server's certificate.", isTransient: false, e),
            NotSupportedException => new GatewayException(
                $"The SMTP server {server} does not support what {ConfigurationSection} asks for ({Scrub(e.Message, endpoint)}): check Tls ({endpoint.Tls}) and UserName.", isTransient: false, e),
            _ when IsConnectionFailure(e) || e is OperationCanceledException => new GatewayException(
                $"Could not send the message to {recipient} through the SMTP server {server}: {Describe(e, endpoint, sendTimeout, cancellationToken.IsCancellationRequested)}.", isTransient: true, e),
            _ => new GatewayException(
                $"Sending the message to {recipient} through the SMTP server {server} failed: {e.GetType().Name}: {Scrub(e.Message, endpoint)}", isTransient: false, e),
        };
    }

    private static bool IsConnectionFailure(Exception e) =>
        e is IOException or SocketException or SmtpProtocolException or ServiceNotConnectedException or TimeoutException;

    private static bool IsTransient(SmtpCommandException e) => (int)e.StatusCode is >= 400 and < 500;

    private static string Reply(SmtpCommandException e, SmtpEndpoint endpoint) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)e.StatusCode} {Scrub(e.Message, endpoint)}");

    private static string Describe(Exception e, SmtpEndpoint endpoint, TimeSpan sendTimeout, bool cancelled) => e switch
    {
        OperationCanceledException when cancelled => "the send was cancelled",
        OperationCanceledException or TimeoutException => string.Create(CultureInfo.InvariantCulture, $"no answer within the send timeout of {sendTimeout.TotalSeconds:0.###} s"),
        SocketException s => $"{s.SocketErrorCode}: {Scrub(s.Message, endpoint)}",
        _ when e.InnerException is SocketException s => $"{s.SocketErrorCode}: {Scrub(e.Message, endpoint)}",
        _ => $"{e.GetType().Name}: {Scrub(e.Message, endpoint)}",
    };

    // Whatever a server or a library says, the password never leaves in a message.
    private static string Scrub(string text, SmtpEndpoint endpoint) =>
        string.IsNullOrEmpty(endpoint.Password) ? text : text.Replace(endpoint.Password, "***", StringComparison.Ordinal);

    /// <summary>Where and how to connect; the kept connection is reused only for an equal endpoint.</summary>
    private sealed record SmtpEndpoint(string Host, int Port, SecureSocketOptions Tls, string? UserName, string? Password)
    {
        public static SmtpEndpoint From(EmailChannelOptions email)
        {
            if (string.IsNullOrWhiteSpace(email.Host))
            {
                throw new GatewayException($"The SMTP server is not configured: set {ConfigurationSection}:Host.", isTransient: false);
            }

            var tls = email.Tls?.Trim() switch
            {
                var t when string.Equals(t, "None", StringComparison.OrdinalIgnoreCase) => SecureSocketOptions.None,
                var t when string.Equals(t, "StartTls", StringComparison.OrdinalIgnoreCase) => SecureSocketOptions.StartTls,
                var t when string.Equals(t, "StartTlsWhenAvailable", StringComparison.OrdinalIgnoreCase) => SecureSocketOptions.StartTlsWhenAvailable,
                var t when string.Equals(t, "SslOnConnect", StringComparison.OrdinalIgnoreCase) => SecureSocketOptions.SslOnConnect,
                var t when string.Equals(t, "Auto", StringComparison.OrdinalIgnoreCase) => SecureSocketOptions.Auto,
                _ => throw new GatewayException(
                    $"{ConfigurationSection}:Tls is '{email.Tls}': use None, StartTls, StartTlsWhenAvailable, SslOnConnect or Auto.", isTransient: false),
            };

            return new SmtpEndpoint(email.Host.Trim(), email.Port, tls, string.IsNullOrEmpty(email.UserName) ? null : email.UserName, email.Password);
        }

        // host:port only: the password must never reach a log or a message through ToString.
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");
    }
}
