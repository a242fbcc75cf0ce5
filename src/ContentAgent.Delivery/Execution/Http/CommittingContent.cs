using System.Net;

namespace ContentAgent.Delivery.Execution.Http;

/// <summary>
/// A request body that calls the commit hook when HttpClient starts to send it: after the connection is open and the
/// request line and headers are on their way, before a byte of the body. A provider that cannot be reached therefore
/// never has the item counted as sent, and a crash between the hook and the body leaves the provider a request without
/// its body, which it drops: the window in which a crash loses an item is the time to write the body, not a connection
/// set-up. What the hook throws is kept, so the caller reports it as itself rather than as a transport failure.
/// </summary>
internal sealed class CommittingContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly Func<CancellationToken, Task> _committing;

    public CommittingContent(HttpContent inner, Func<CancellationToken, Task> committing)
    {
        _inner = inner;
        _committing = committing;
        foreach (var header in inner.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    /// <summary>Gets what the commit hook threw, if it threw.</summary>
    public Exception? HookFailure { get; private set; }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        try
        {
            await _committing(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            HookFailure = e;
            throw;
        }

        await _inner.CopyToAsync(stream, context, cancellationToken).ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _inner.Headers.ContentLength ?? -1;
        return length >= 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
