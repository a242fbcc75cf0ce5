using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ContentAgent.Delivery.Execution.Http;

/// <summary>
/// The <c>social</c> channel's gateway. Its API shape is <c>ContentAgent:Execution:Social:Kind</c>, read at every send:
/// <c>Webhook</c> (a JSON POST of the item) or <c>Mastodon</c> (the statuses API). Both honour the idempotency key.
/// </summary>
internal sealed class SocialGateway : IExecutionGateway, IDisposable
{
    private readonly IOptionsMonitor<ExecutionOptions> _options;
    private readonly TimeProvider _time;
    private readonly HttpGatewayClient _http;

    public SocialGateway(IOptionsMonitor<ExecutionOptions> options, TimeProvider timeProvider, ILogger<SocialGateway>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options;
        _time = timeProvider;
        _http = new HttpGatewayClient(HttpChannel.Social, timeProvider, logger ?? (ILogger)NullLogger.Instance);
    }

    public string Channel => HttpChannel.Social.Name;

    public string Kind => HttpChannel.Social.Describe(_options.CurrentValue.Social.Kind);

    public bool HonoursIdempotencyKey => true;

    public Task<GatewayReceipt> SendAsync(ExecutionItem item, Func<CancellationToken, Task> committing, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(committing);
        var options = _options.CurrentValue.Social;
        var kind = HttpChannel.Social.Resolve(options.Kind);
        var call = kind switch
        {
            HttpChannel.Webhook => HttpApiShapes.Webhook(_http.RequireEndpoint(options, kind), _http.Token(options, kind, required: false), item),
            HttpChannel.Mastodon => HttpApiShapes.Mastodon(_http.RequireEndpoint(options, kind), _http.Token(options, kind, required: true)!, item, _time.GetUtcNow()),
            _ => throw HttpChannel.Social.UnknownKind(options.Kind),
        };
        return _http.SendAsync(item, call, committing, cancellationToken);
    }

    public void Dispose() => _http.Dispose();
}
