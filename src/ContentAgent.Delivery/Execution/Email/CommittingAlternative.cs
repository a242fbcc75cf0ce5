using MimeKit;
using MimeKit.IO;

namespace ContentAgent.Delivery.Execution.Email;

/// <summary>
/// Runs a send's <c>committing</c> callback once, and remembers how that went: the gateway tells a failure before the
/// hand-over (safe to retry) from one after it (the item is recorded as sent and may or may not have arrived). The
/// callback gets the caller's token, not the send's, and the send timeout is paused while it runs: a slow ledger write
/// must neither be cut short nor turn a good send into one in doubt. The final dot and the reply get a whole timeout.
/// </summary>
internal sealed class CommitHook(Func<CancellationToken, Task> committing, CancellationToken cancellationToken)
{
    private const int Armed = 0;
    private const int Running = 1;
    private const int Done = 2;
    private const int Threw = 3;

    private int _state;
    private CancellationTokenSource? _deadline;
    private TimeSpan _timeout;

    /// <summary>Gets a value indicating whether the callback was called (whatever it did).</summary>
    public bool Started => Volatile.Read(ref _state) != Armed;

    /// <summary>Gets a value indicating whether the callback returned: the message is handed over.</summary>
    public bool Committed => Volatile.Read(ref _state) == Done;

    /// <summary>Gets what the callback threw, if it did: the final dot was then never sent.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Sets the send's deadline, paused while the callback runs and restarted after it.</summary>
    public void Bound(CancellationTokenSource deadline, TimeSpan timeout)
    {
        _deadline = deadline;
        _timeout = timeout;
    }

    public async Task RunAsync()
    {
        if (Interlocked.CompareExchange(ref _state, Running, Armed) != Armed)
        {
            return;
        }

        try
        {
            _deadline?.CancelAfter(Timeout.InfiniteTimeSpan);
            await committing(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _state, Done);
            _deadline?.CancelAfter(_timeout);
        }
        catch (Exception e)
        {
            Failure = e;
            Volatile.Write(ref _state, Threw);
            throw;
        }
    }
}

/// <summary>
/// The message's body, a <c>multipart/alternative</c> that runs the commit hook at the last moment before the SMTP server
/// commits the message. MailKit writes a message in DATA as <see cref="MimeMessage.WriteToAsync(FormatOptions, Stream, CancellationToken)"/>
/// to a <see cref="FilteredStream"/> (dot-stuffing) over its connection, only after <c>MAIL FROM</c> and every
/// <c>RCPT TO</c> were accepted and the server answered <c>DATA</c> with 354; the body is the last thing that call writes,
/// and then MailKit writes the terminating <c>.\r\n</c> and reads the reply. So once the base class has written the body
/// to that stream, this flushes everything written so far onto the connection (so the server holds the whole content
/// and a broken connection shows up now, before the hand-over) and awaits the hook. MailKit's other write of the message,
/// <c>GetSizeAsync</c> for the SIZE extension, goes to a <see cref="MeasuringStream"/>, which is not a
/// <see cref="FilteredStream"/>, and never runs the hook. When the hook throws, the exception leaves MailKit's send, which
/// drops the connection in the middle of DATA: the dot is never sent and the server discards the message.
/// (FilteredStream.Flush writes the filter's tail but does not flush its source, hence the second flush.) MailKit stays
/// on DATA: it uses BDAT (CHUNKING), where the server commits on the last byte and there is no dot, only when its
/// protected <c>PreferSendAsBinaryData</c> says so (false; not overridden here) or the content needs BINARYMIME (the parts are
/// quoted-printable, so never); a BDAT write goes to MailKit's stream directly, not a FilteredStream, so the hook would
/// not run then and the gateway logs that it did not.
/// Checked against MailKit 4.18.2's SmtpClient (SendAsync, MessageDataAsync, GetSizeAsync) and MimeKit 4.18.2's
/// MimeMessage.WriteToAsync; the tests prove the order against a real SMTP server.
/// </summary>
internal sealed class CommittingAlternative(CommitHook hook) : MultipartAlternative
{
    public override async Task WriteToAsync(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
    {
        await base.WriteToAsync(options, stream, contentOnly, cancellationToken).ConfigureAwait(false);
        if (IsSmtpData(stream, contentOnly))
        {
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            await ((FilteredStream)stream).Source.FlushAsync(cancellationToken).ConfigureAwait(false);
            await hook.RunAsync().ConfigureAwait(false);
        }
    }

    public override void WriteTo(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
    {
        // The gateway sends asynchronously; a synchronous send (MailKit's Send) gets the same hook, waited for here.
        base.WriteTo(options, stream, contentOnly, cancellationToken);
        if (IsSmtpData(stream, contentOnly))
        {
            stream.Flush();
            ((FilteredStream)stream).Source.Flush();
            hook.RunAsync().GetAwaiter().GetResult();
        }
    }

    // The message's own body (MimeMessage writes it content-only) going to MailKit's dot-stuffing DATA stream.
    private static bool IsSmtpData(Stream stream, bool contentOnly) => contentOnly && stream is FilteredStream;
}
