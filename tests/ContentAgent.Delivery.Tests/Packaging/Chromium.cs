using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContentAgent.Tests.Delivery.Packaging;

/// <summary>One event the page reported over the DevTools protocol, with its place in the order they came.</summary>
internal sealed record DevToolsEvent(int Sequence, string Method, JsonElement Params);

/// <summary>
/// A headless Chromium driven over the DevTools protocol (JSON over a WebSocket, no package needed): one page, every event
/// it reports recorded, commands with timeouts. The process is killed by its id on dispose. Chromium is required: when it
/// is missing, starting fails with how to install it.
/// </summary>
internal sealed class Chromium : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _profile;
    private readonly ConcurrentQueue<string> _log;
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<int, (string Method, TaskCompletionSource<JsonElement> Reply)> _pending = new();
    private readonly List<DevToolsEvent> _events = [];
    private readonly Lock _lock = new();
    private TaskCompletionSource _eventArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _receiving = Task.CompletedTask;
    private int _nextId;

    private Chromium(Process process, string profile, ConcurrentQueue<string> log)
    {
        _process = process;
        _profile = profile;
        _log = log;
    }

    /// <summary>Gets every event so far, in the order they came.</summary>
    public IReadOnlyList<DevToolsEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Starts Chromium with a fresh profile and opens a page to drive.</summary>
    public static async Task<Chromium> StartAsync(CancellationToken cancellationToken = default)
    {
        var executable = Find() ?? throw new InvalidOperationException(
            "Chromium is required by the HTML summary tests (they load summary.html in a real browser) and was not found: install it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH to its executable.");
        var profile = Directory.CreateTempSubdirectory("contentagent-chromium-").FullName;
        var start = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in (string[])[
            "--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=0", $"--user-data-dir={profile}",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
            "--force-color-profile=srgb", "about:blank"])
        {
            start.ArgumentList.Add(argument);
        }

        var log = new ConcurrentQueue<string>();
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start.");
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                listening.TrySetException(new InvalidOperationException($"Chromium exited before DevTools listened:\n{string.Join('\n', log)}"));
                return;
            }

            log.Enqueue(e.Data);
            if (e.Data.StartsWith("DevTools listening on ", StringComparison.Ordinal))
            {
                listening.TrySetResult(e.Data["DevTools listening on ".Length..]);
            }
        };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                log.Enqueue(e.Data);
            }
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        var chromium = new Chromium(process, profile, log);
        try
        {
            // The line on stderr is the event that DevTools is up, and names its port (DevToolsActivePort can still be
            // empty at that moment: a race seen when the machine is busy).
            var browserUrl = await listening.Task.WaitAsync(StartTimeout, cancellationToken);
            var port = new Uri(browserUrl).Port;

            // A fresh page target of our own (the first tab may not be listed yet).
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
            using var response = await http.PutAsync(new Uri($"http://127.0.0.1:{port}/json/new?about:blank"), null, cancellationToken);
            response.EnsureSuccessStatusCode();
            using var target = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var pageUrl = target.RootElement.GetProperty("webSocketDebuggerUrl").GetString()!;

            using var connecting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            connecting.CancelAfter(TimeSpan.FromSeconds(15));
            await chromium._socket.ConnectAsync(new Uri(pageUrl), connecting.Token);
            chromium._receiving = chromium.ReceiveAsync();
            return chromium;
        }
        catch
        {
            await chromium.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends a command and returns its <c>result</c>; a protocol error or no answer in time throws.</summary>
    public async Task<JsonElement> SendAsync(string method, JsonObject? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = (method, reply);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? [] };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message);
        await _sending.WaitAsync(CommandTimeout);
        try
        {
            using var timeout = new CancellationTokenSource(CommandTimeout);
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
        }
        finally
        {
            _sending.Release();
        }

        try
        {
            return await reply.Task.WaitAsync(CommandTimeout);
        }
        catch (TimeoutException)
        {
            _pending.TryRemove(id, out _);
            throw new TimeoutException($"Chromium did not answer {method} within {CommandTimeout.TotalSeconds:0} s.");
        }
    }

    /// <summary>Waits for the first event named <paramref name="method"/> that came after event number <paramref name="after"/>.</summary>
    public async Task<DevToolsEvent> WaitForEventAsync(string method, int after, TimeSpan timeout)
    {
        using var expiry = new CancellationTokenSource(timeout);
        while (true)
        {
            Task arrived;
            lock (_lock)
            {
                var found = _events.Find(e => e.Sequence > after && e.Method == method);
                if (found is not null)
                {
                    return found;
                }

                arrived = _eventArrived.Task;
            }

            try
            {
                await arrived.WaitAsync(expiry.Token);
            }
            catch (OperationCanceledException) when (expiry.IsCancellationRequested)
            {
                throw new TimeoutException($"Chromium sent no {method} within {timeout.TotalSeconds:0} s.");
            }
        }
    }

    /// <summary>Gets the number of the last event so far (0 before any).</summary>
    public int LastSequence
    {
        get
        {
            lock (_lock)
            {
                return _events.Count;
            }
        }
    }

    /// <summary>
    /// Turns on the Runtime, Log, Network and Page domains, opens <paramref name="url"/>, and waits for its load event and
    /// for its fonts to be ready.
    /// </summary>
    public async Task LoadAsync(Uri url)
    {
        await SendAsync("Runtime.enable");
        await SendAsync("Log.enable");
        await SendAsync("Network.enable");
        await SendAsync("Page.enable");
        var before = LastSequence;
        var navigation = await SendAsync("Page.navigate", new JsonObject { ["url"] = url.AbsoluteUri });
        if (navigation.TryGetProperty("errorText", out var error))
        {
            throw new InvalidOperationException($"Chromium could not open {url}: {error.GetString()}");
        }

        await WaitForEventAsync("Page.loadEventFired", before, TimeSpan.FromSeconds(30));
        await EvaluateAsync("document.fonts.ready.then(() => document.fonts.status)", awaitPromise: true);
    }

    /// <summary>Evaluates a JavaScript expression in the page (DevTools' own evaluation; the page's CSP does not apply) and returns its value.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression, bool awaitPromise = false)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = awaitPromise });
        if (result.TryGetProperty("exceptionDetails", out var exception))
        {
            throw new InvalidOperationException($"'{expression}' threw: {exception}");
        }

        return result.GetProperty("result").TryGetProperty("value", out var value) ? value : default;
    }

    /// <summary>Sets the viewport (a phone when <paramref name="mobile"/>), as a device would.</summary>
    public Task SetViewportAsync(int width, int height, bool mobile) =>
        SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = mobile });

    /// <summary>Saves a PNG of the whole page (beyond the viewport) and returns its width and height in CSS pixels.</summary>
    public async Task<(int Width, int Height)> ScreenshotAsync(string path)
    {
        var metrics = await SendAsync("Page.getLayoutMetrics");
        var size = metrics.GetProperty("cssContentSize");
        var width = (int)Math.Ceiling(size.GetProperty("width").GetDouble());
        var height = (int)Math.Ceiling(size.GetProperty("height").GetDouble());
        var shot = await SendAsync("Page.captureScreenshot", new JsonObject
        {
            ["format"] = "png",
            ["captureBeyondViewport"] = true,
            ["clip"] = new JsonObject { ["x"] = 0, ["y"] = 0, ["width"] = width, ["height"] = height, ["scale"] = 1 },
        });
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(shot.GetProperty("data").GetString()!));
        return (width, height);
    }

    /// <summary>Prints the page to PDF the way a person would (print stylesheet, no backgrounds) and saves it.</summary>
    public async Task PrintToPdfAsync(string path)
    {
        var pdf = await SendAsync("Page.printToPDF", new JsonObject { ["printBackground"] = false, ["preferCSSPageSize"] = true });
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(pdf.GetProperty("data").GetString()!));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Abort();
        await _receiving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await _process.WaitForExitAsync(exit.Token);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            // Already gone, or it did not exit in time: nothing more to do from a test.
        }

        _process.Dispose();
        _socket.Dispose();
        _sending.Dispose();
        _stop.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A crash dump or lock left behind in the temporary profile is not worth failing a test for.
        }
    }

    /// <summary>Gets what Chromium wrote to its console output, for failure messages.</summary>
    public string ProcessLog => string.Join('\n', _log);

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : null;
        }

        var directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return ((string[])["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"])
            .SelectMany(name => directories.Select(directory => Path.Combine(directory, name)))
            .FirstOrDefault(File.Exists);
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                message.SetLength(0);
                ValueWebSocketReceiveResult received;
                do
                {
                    received = await _socket.ReceiveAsync(buffer.AsMemory(), _stop.Token);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    message.Write(buffer, 0, received.Count);
                }
                while (!received.EndOfMessage);

                Dispatch(new ReadOnlyMemory<byte>(message.GetBuffer(), 0, (int)message.Length));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // Closing, or Chromium went away: the pending commands fail below.
        }
        finally
        {
            foreach (var id in _pending.Keys)
            {
                if (_pending.TryRemove(id, out var pending))
                {
                    pending.Reply.TrySetException(new InvalidOperationException($"The DevTools connection closed before {pending.Method} was answered.\n{ProcessLog}"));
                }
            }
        }
    }

    private void Dispatch(ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.TryGetProperty("id", out var id))
        {
            if (_pending.TryRemove(id.GetInt32(), out var pending))
            {
                if (root.TryGetProperty("error", out var error))
                {
                    pending.Reply.TrySetException(new InvalidOperationException($"{pending.Method} failed: {error}"));
                }
                else
                {
                    pending.Reply.TrySetResult(root.GetProperty("result").Clone());
                }
            }

            return;
        }

        var method = root.GetProperty("method").GetString()!;
        var parameters = root.TryGetProperty("params", out var p) ? p.Clone() : default;
        TaskCompletionSource arrived;
        lock (_lock)
        {
            _events.Add(new DevToolsEvent(_events.Count + 1, method, parameters));
            arrived = _eventArrived;
            _eventArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        arrived.TrySetResult();
    }
}
