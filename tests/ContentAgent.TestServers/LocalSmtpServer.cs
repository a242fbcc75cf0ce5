using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContentAgent.Tests.Servers;

/// <summary>
/// A real SMTP server on <c>127.0.0.1:{free port}</c> for integration tests: the <c>smtp-server</c> npm package run by
/// Node.js (<c>smtp/server.js</c>), no STARTTLS, optional AUTH. It records every event (<see cref="Events"/>) and every
/// stored message (<see cref="Messages"/>) and injects faults on command. Node.js 20.19+ and the folder's node_modules
/// (<c>npm ci --prefix tests/ContentAgent.TestServers/smtp</c>, which <c>eng/test.sh</c> runs) are required: starting
/// fails with how to get them when they are missing. The process is killed by its id on dispose.
/// </summary>
public sealed class LocalSmtpServer : IAsyncDisposable
{
    private const string DirectoryMetadataKey = "ContentAgent.TestServers.SmtpDirectory";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stderr;
    private readonly Lock _gate = new();
    private readonly List<SmtpServerEvent> _events = [];
    private readonly ConcurrentDictionary<long, TaskCompletionSource> _acks = new();
    private readonly SemaphoreSlim _writing = new(1, 1);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _reading = Task.CompletedTask;
    private long _nextCommandId;
    private int _disposed;

    private LocalSmtpServer(Process process, ConcurrentQueue<string> stderr)
    {
        _process = process;
        _stderr = stderr;
    }

    /// <summary>Gets the host to connect to: <c>127.0.0.1</c>.</summary>
    public string Host => "127.0.0.1";

    /// <summary>Gets the bound port.</summary>
    public int Port { get; private set; }

    /// <summary>Gets the node process's id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Gets a snapshot of every event, in the server's order.</summary>
    public IReadOnlyList<SmtpServerEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Gets a snapshot of the stored messages, in the order they were stored.</summary>
    public IReadOnlyList<SmtpReceivedMessage> Messages => [.. Events.Where(static e => e.Type == "message").Select(SmtpReceivedMessage.From)];

    /// <summary>Gets how many connections the server accepted.</summary>
    public int ConnectionCount => Events.Count(static e => e.Type == "connect");

    /// <summary>Starts a server on a free loopback port and waits until it listens.</summary>
    /// <param name="options">Its options; null: no AUTH.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The running server.</returns>
    public static async Task<LocalSmtpServer> StartAsync(LocalSmtpServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LocalSmtpServerOptions();
        var directory = FindDirectory();
        var node = FindOnPath("node") ?? throw new InvalidOperationException(
            "Node.js is required by the SMTP tests (they send mail to a real SMTP server, the smtp-server npm package) and `node` was not found on PATH: install Node.js 20.19 or later (Debian/Ubuntu: the nodejs package from a current source), then run eng/test.sh.");
        if (!File.Exists(Path.Combine(directory, "node_modules", "smtp-server", "package.json")) || !File.Exists(Path.Combine(directory, "node_modules", "mailparser", "package.json")))
        {
            throw new InvalidOperationException(
                $"The SMTP test server's npm packages are not installed in {directory}/node_modules: run `npm ci --prefix tests/ContentAgent.TestServers/smtp --no-audit --no-fund` from the repository root (eng/test.sh does it before running the tests).");
        }

        var start = new ProcessStartInfo(node)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };
        start.ArgumentList.Add(Path.Combine(directory, "server.js"));
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add("0");
        start.ArgumentList.Add("--size");
        start.ArgumentList.Add(options.MaxMessageSize.ToString(CultureInfo.InvariantCulture));
        if (options.UserName is not null)
        {
            start.ArgumentList.Add("--user");
            start.ArgumentList.Add(options.UserName);
            start.ArgumentList.Add("--password");
            start.ArgumentList.Add(options.Password ?? string.Empty);
        }

        var stderr = new ConcurrentQueue<string>();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{node} did not start.");
        var server = new LocalSmtpServer(process, stderr);
        try
        {
            // Both pipes are read on threads of their own, with blocking reads, so that recording the server's events
            // never waits for (or takes) a thread of the pool the code under test runs on.
            _ = StartThread("LocalSmtpServer stderr", () =>
            {
                while (process.StandardError.ReadLine() is { } line)
                {
                    stderr.Enqueue(line);
                }
            });
            server._reading = StartThread("LocalSmtpServer stdout", server.Read);

            try
            {
                await server._ready.Task.WaitAsync(StartTimeout, cancellationToken);
            }
            catch (TimeoutException)
            {
                throw new InvalidOperationException($"The SMTP test server did not say it was ready within {StartTimeout.TotalSeconds} s.{server.Diagnostics()}");
            }

            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Makes the server answer 550 to <c>RCPT TO</c> of this address (case-insensitive), from now on.</summary>
    /// <param name="address">The address.</param>
    /// <returns>A task that completes when the server applies it.</returns>
    public Task RejectRecipientAsync(string address) => CommandAsync(new JsonObject { ["cmd"] = "reject", ["address"] = address });

    /// <summary>Makes the next <paramref name="count"/> transactions get <paramref name="code"/> at a stage.</summary>
    /// <param name="count">How many transactions (each <c>MAIL FROM</c> starts one).</param>
    /// <param name="code">The reply code, for example 451 or 554.</param>
    /// <param name="stage"><see cref="SmtpStage.MailFrom"/>, <see cref="SmtpStage.RcptTo"/> or <see cref="SmtpStage.EndOfData"/> (the reply to the final dot; the message is not stored).</param>
    /// <returns>A task that completes when the server applies it.</returns>
    public Task FailNextAsync(int count, int code, SmtpStage stage = SmtpStage.MailFrom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(code, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(code, 599);
        var at = stage switch
        {
            SmtpStage.MailFrom => "mail",
            SmtpStage.RcptTo => "rcpt",
            SmtpStage.EndOfData => "data",
            _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "smtp-server always answers DATA with 354; fail at EndOfData instead."),
        };
        return CommandAsync(new JsonObject { ["cmd"] = "fail", ["count"] = count, ["code"] = code, ["stage"] = at });
    }

    /// <summary>Makes the server destroy the next transaction's connection during DATA.</summary>
    /// <param name="afterContent">
    /// <see langword="false"/>: on the <c>DATA</c> command, before the 354 (the content is never sent, the message can't
    /// have been delivered); <see langword="true"/>: once the whole content and its final dot arrived, before the reply
    /// (the client cannot tell whether the message was delivered; it was not stored).
    /// </param>
    /// <returns>A task that completes when the server applies it.</returns>
    public Task DropNextDuringDataAsync(bool afterContent = false) => DropNextAsync(afterContent ? SmtpStage.EndOfData : SmtpStage.DataCommand);

    /// <summary>Makes the server destroy the next transaction's connection at a stage.</summary>
    /// <param name="stage"><see cref="SmtpStage.MailFrom"/>, <see cref="SmtpStage.DataCommand"/> or <see cref="SmtpStage.EndOfData"/>.</param>
    /// <returns>A task that completes when the server applies it.</returns>
    public Task DropNextAsync(SmtpStage stage)
    {
        var at = stage switch
        {
            SmtpStage.MailFrom => "mail",
            SmtpStage.DataCommand => "data",
            SmtpStage.EndOfData => "data-end",
            _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "Drops happen at MAIL FROM, the DATA command or the end of the data."),
        };
        return CommandAsync(new JsonObject { ["cmd"] = "drop", ["stage"] = at });
    }

    /// <summary>Makes the server's next <paramref name="count"/> replies at a stage wait.</summary>
    /// <param name="delay">How long.</param>
    /// <param name="count">How many replies.</param>
    /// <param name="stage">
    /// <see cref="SmtpStage.EndOfData"/> (the default): the reply to the final dot, after the message is stored;
    /// <see cref="SmtpStage.MailFrom"/>: the reply to <c>MAIL FROM</c>, before anything of the message was sent.
    /// </param>
    /// <returns>A task that completes when the server applies it.</returns>
    public Task DelayNextReplyAsync(TimeSpan delay, int count = 1, SmtpStage stage = SmtpStage.EndOfData)
    {
        var at = stage switch
        {
            SmtpStage.MailFrom => "mail",
            SmtpStage.EndOfData => "data",
            _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "Replies are delayed at MAIL FROM or the end of the data."),
        };
        return CommandAsync(new JsonObject { ["cmd"] = "delay", ["ms"] = (long)delay.TotalMilliseconds, ["count"] = count, ["stage"] = at });
    }

    /// <summary>Destroys every open connection, as a server that drops idle clients does.</summary>
    /// <returns>A task that completes when the server did it.</returns>
    public Task DisconnectAllAsync() => CommandAsync(new JsonObject { ["cmd"] = "disconnect-all" });

    /// <summary>Clears every fault.</summary>
    /// <returns>A task that completes when the server applies it.</returns>
    public Task ResetFaultsAsync() => CommandAsync(new JsonObject { ["cmd"] = "reset" });

    /// <summary>
    /// Waits until every event the server emitted before this call has been read: the server reports on its own pipe, so a
    /// client that has its reply can be ahead of <see cref="Events"/>. A round trip through the server's event loop (a ping,
    /// acknowledged on the same pipe after the earlier events) closes that gap; call it before asserting that something did
    /// <em>not</em> arrive, or on an exact count.
    /// </summary>
    /// <returns>A task that completes when the earlier events are in <see cref="Events"/>.</returns>
    public Task SettleAsync() => CommandAsync(new JsonObject { ["cmd"] = "ping" });

    /// <summary>Waits until the server has stored at least <paramref name="count"/> messages.</summary>
    /// <param name="count">How many.</param>
    /// <param name="timeout">How long to wait before failing.</param>
    /// <returns>The stored messages.</returns>
    /// <exception cref="TimeoutException">Fewer arrived in time.</exception>
    public async Task<IReadOnlyList<SmtpReceivedMessage>> WaitForMessagesAsync(int count, TimeSpan timeout)
    {
        await WaitForAsync(events => events.Count(static e => e.Type == "message") >= count, timeout, $"{count} message(s)");
        return Messages;
    }

    /// <summary>Waits for the first event (from the start) that matches.</summary>
    /// <param name="predicate">The event wanted.</param>
    /// <param name="timeout">How long to wait before failing.</param>
    /// <returns>The event.</returns>
    /// <exception cref="TimeoutException">None came in time.</exception>
    public async Task<SmtpServerEvent> WaitForEventAsync(Func<SmtpServerEvent, bool> predicate, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        SmtpServerEvent? found = null;
        await WaitForAsync(
            events =>
            {
                found = events.FirstOrDefault(predicate);
                return found is not null;
            },
            timeout,
            "the event");
        return found!;
    }

    /// <summary>Stops the server (closing its input, then killing the process by id if it lingers).</summary>
    /// <returns>A task that completes when the process is gone.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                try
                {
                    _process.StandardInput.Close();
                    await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(3));
                }
                catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException)
                {
                    // It did not stop by itself: kill it below.
                }

                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
                }
            }

            await _reading.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            // Never started, or already gone.
        }
        finally
        {
            foreach (var ack in _acks.Values)
            {
                ack.TrySetException(new ObjectDisposedException(nameof(LocalSmtpServer)));
            }

            _process.Dispose();
            _writing.Dispose();
        }
    }

    private static string FindDirectory()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("CONTENTAGENT_SMTP_SERVER_DIR");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        // The build records the folder's absolute path; a copied build falls back to walking up to the repository.
        var recorded = typeof(LocalSmtpServer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(static a => a.Key == DirectoryMetadataKey)?.Value;
        if (recorded is not null && File.Exists(Path.Combine(recorded, "server.js")))
        {
            return recorded;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "ContentAgent.TestServers", "smtp");
            if (File.Exists(Path.Combine(candidate, "server.js")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"The SMTP test server (tests/ContentAgent.TestServers/smtp/server.js) was not found from {AppContext.BaseDirectory}: set CONTENTAGENT_SMTP_SERVER_DIR to its folder.");
    }

    private static string? FindOnPath(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private async Task CommandAsync(JsonObject command)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var id = Interlocked.Increment(ref _nextCommandId);
        command["id"] = id;
        var ack = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _acks[id] = ack;
        try
        {
            await _writing.WaitAsync(CommandTimeout);
            try
            {
                await _process.StandardInput.WriteLineAsync(command.ToJsonString());
                await _process.StandardInput.FlushAsync();
            }
            finally
            {
                _writing.Release();
            }

            await ack.Task.WaitAsync(CommandTimeout);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"The SMTP test server did not acknowledge {command.ToJsonString()} within {CommandTimeout.TotalSeconds} s.{Diagnostics()}", e);
        }
        finally
        {
            _acks.TryRemove(id, out _);
        }
    }

    private async Task WaitForAsync(Func<IReadOnlyList<SmtpServerEvent>, bool> condition, TimeSpan timeout, string what)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            if (condition(Events))
            {
                return;
            }

            if (_process.HasExited && _reading.IsCompleted)
            {
                throw new InvalidOperationException($"The SMTP test server exited while waiting for {what}.{Diagnostics()}");
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The SMTP test server did not report {what} within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s. Events: {string.Join(", ", Events.Select(static e => e.Type))}.{Diagnostics()}");
            }
        }
    }

    private static Task StartThread(string name, Action body)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                body();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
            {
                // The process went away.
            }
            finally
            {
                done.TrySetResult();
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return done.Task;
    }

    private void Read()
    {
        try
        {
            var first = _process.StandardOutput.ReadLine();
            if (first is null)
            {
                _process.WaitForExit(5000);
                _ready.TrySetException(new InvalidOperationException($"The SMTP test server exited before it was ready (exit code {(_process.HasExited ? _process.ExitCode.ToString(CultureInfo.InvariantCulture) : "none")}).{Diagnostics()}"));
                return;
            }

            try
            {
                using var ready = JsonDocument.Parse(first);
                if (!ready.RootElement.TryGetProperty("ready", out var flag) || !flag.GetBoolean())
                {
                    throw new JsonException("no \"ready\": true");
                }

                Port = ready.RootElement.GetProperty("port").GetInt32();
                _ready.TrySetResult();
            }
            catch (JsonException e)
            {
                _ready.TrySetException(new InvalidOperationException($"The SMTP test server's first line was not the ready line ({e.Message}): {first}{Diagnostics()}"));
                return;
            }

            while (_process.StandardOutput.ReadLine() is { } line)
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                SmtpServerEvent e;
                try
                {
                    using var document = JsonDocument.Parse(line);
                    var root = document.RootElement.Clone();
                    e = new SmtpServerEvent(
                        root.TryGetProperty("seq", out var seq) ? seq.GetInt64() : 0,
                        root.TryGetProperty("type", out var type) ? type.GetString() ?? "?" : "?",
                        root.TryGetProperty("session", out var session) && session.ValueKind == JsonValueKind.String ? session.GetString() : null,
                        DateTimeOffset.FromUnixTimeMilliseconds(root.TryGetProperty("at", out var at) ? at.GetInt64() : 0),
                        root);
                }
                catch (JsonException)
                {
                    _stderr.Enqueue($"(stdout, not JSON) {line}");
                    continue;
                }

                if (e.Type == "ack" && e.GetInt64("id") is { } id && _acks.TryGetValue(id, out var ack))
                {
                    ack.TrySetResult();
                }

                Publish(e);
            }
        }
        finally
        {
            _ready.TrySetException(new InvalidOperationException($"The SMTP test server exited.{Diagnostics()}"));
            foreach (var ack in _acks.Values)
            {
                ack.TrySetException(new InvalidOperationException($"The SMTP test server exited.{Diagnostics()}"));
            }

            Publish(null);
        }
    }

    private void Publish(SmtpServerEvent? e)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (e is not null)
            {
                _events.Add(e);
            }

            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    private string Diagnostics() => _stderr.IsEmpty ? string.Empty : $"\nstderr:\n{string.Join('\n', _stderr)}";
}
