using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ContentAgent.Delivery.Execution.Http;

/// <summary>
/// The <c>crm</c> channel's gateway. Its API shape is <c>ContentAgent:Execution:Crm:Kind</c>, read at every send:
/// <c>Webhook</c> (a JSON POST of the item), <c>HubSpot</c> (the notes API, which honours no idempotency key) or <c>Csv</c>
/// (a file for CRMs that import, idempotent by key).
/// </summary>
internal sealed class CrmGateway : IExecutionGateway, IDisposable
{
    private readonly IOptionsMonitor<ExecutionOptions> _options;
    private readonly HttpGatewayClient _http;
    private readonly ILogger _logger;

    public CrmGateway(IOptionsMonitor<ExecutionOptions> options, TimeProvider timeProvider, ILogger<CrmGateway>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _http = new HttpGatewayClient(HttpChannel.Crm, timeProvider, _logger);
    }

    public string Channel => HttpChannel.Crm.Name;

    public string Kind => HttpChannel.Crm.Describe(_options.CurrentValue.Crm.Kind);

    public bool HonoursIdempotencyKey => HttpChannel.Crm.Resolve(_options.CurrentValue.Crm.Kind) != HttpChannel.HubSpot;

    public Task<GatewayReceipt> SendAsync(ExecutionItem item, Func<CancellationToken, Task> committing, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(committing);
        var options = _options.CurrentValue.Crm;
        var kind = HttpChannel.Crm.Resolve(options.Kind);
        return kind switch
        {
            HttpChannel.Webhook => _http.SendAsync(item, HttpApiShapes.Webhook(_http.RequireEndpoint(options, kind), _http.Token(options, kind, required: false), item), committing, cancellationToken),
            HttpChannel.HubSpot => _http.SendAsync(item, HttpApiShapes.HubSpot(_http.RequireEndpoint(options, kind), _http.Token(options, kind, required: true)!, item), committing, cancellationToken),
            HttpChannel.Csv => WriteCsvAsync(options, item, committing, cancellationToken),
            _ => throw HttpChannel.Crm.UnknownKind(options.Kind),
        };
    }

    public void Dispose() => _http.Dispose();

    private async Task<GatewayReceipt> WriteCsvAsync(HttpChannelOptions options, ExecutionItem item, Func<CancellationToken, Task> committing, CancellationToken cancellationToken)
    {
        var crm = HttpChannel.Crm;
        if (string.IsNullOrWhiteSpace(options.CsvPath))
        {
            throw crm.Missing("CsvPath", HttpChannel.Csv);
        }

        var path = options.CsvPath;
        bool added;
        try
        {
            added = await CsvExportFile.AddAsync(path, item, committing, what => new GatewayException($"{crm.Key("CsvPath")} {what}.", isTransient: false), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or ArgumentException or NotSupportedException or PathTooLongException)
        {
            var failure = new GatewayException($"{crm.Key("CsvPath")} cannot be written ({e.Message}).", isTransient: false, e);
            HttpGatewayLog.Failed(_logger, crm.Name, "csv", item.Key, failure.IsTransient, failure.Message);
            throw failure;
        }
        catch (IOException e)
        {
            // Typically the file is open in another program; it may be closed by the next attempt.
            var failure = new GatewayException($"The CRM CSV file could not be written ({e.Message}).", isTransient: true, e);
            HttpGatewayLog.Failed(_logger, crm.Name, "csv", item.Key, failure.IsTransient, failure.Message);
            throw failure;
        }

        if (added)
        {
            HttpGatewayLog.CsvAdded(_logger, crm.Name, item.Key, path);
        }
        else
        {
            HttpGatewayLog.CsvAlreadyThere(_logger, crm.Name, item.Key, path);
        }

        return new GatewayReceipt(item.Key);
    }
}
