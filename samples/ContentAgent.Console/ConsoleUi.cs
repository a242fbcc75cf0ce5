using System.Globalization;
using ContentAgent.Batches;

namespace ContentAgent.ConsoleHost;

/// <summary>
/// Draws the batch's progress. On a terminal it keeps one live line (bar, post i of N, last score, ETA) and prints
/// finished posts above it; when output is redirected it prints one plain line per event instead.
/// </summary>
internal sealed class ConsoleUi(TextWriter output, bool interactive, TimeProvider timeProvider)
{
    private const int BarWidth = 24;
    private readonly Lock _gate = new();
    private readonly long _started = timeProvider.GetTimestamp();
    private int _liveLength;
    private int _processed;
    private int _total;
    private int _processedAtStart;
    private double? _lastScore;

    public bool Interactive { get; } = interactive;

    public TextWriter Output { get; } = output;

    public void Render(BatchEvent batchEvent)
    {
        lock (_gate)
        {
            switch (batchEvent)
            {
                case BatchStarted started:
                    _total = started.Total;
                    _processed = _processedAtStart = started.AlreadyFinished;
                    if (started.TakenOverFrom is { } dead)
                    {
                        WriteLine($"Took over batch {started.PlanId} from {dead}, which is no longer running: going on at once.");
                    }

                    WriteLine(string.Create(CultureInfo.InvariantCulture, $"Batch {started.PlanId}: {started.Total} posts."));
                    break;
                case PostStarted started when !Interactive:
                    break;
                case PostCompleted completed:
                    _processed = completed.Processed;
                    _lastScore = completed.Post.Score?.Overall;
                    WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ✓ post {completed.Post.Index,3}/{completed.Total} {completed.Post.Spec.Platform,-15} {Shorten(completed.Post.Spec.Topic, 28),-28} score {completed.Post.Score?.Overall,5:F1}"));
                    break;
                case PostFailed failed:
                    _processed = failed.Processed;
                    WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ✗ post {failed.Post.Index,3}/{failed.Total} {failed.Post.Spec.Platform,-15} failed: {failed.Post.Error}"));
                    break;
                case ContextCompacted compacted:
                    WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ↻ learning context compacted ({compacted.Method}): {compacted.LearningsBefore} → {compacted.LearningsAfter} learnings, {compacted.TokensBefore} → {compacted.TokensAfter} tokens"));
                    break;
                case CheckpointReached checkpoint when !Interactive || checkpoint.Decision == CheckpointDecision.Continue:
                    WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ■ checkpoint {checkpoint.Stats.Number}: {Describe(checkpoint.Stats)} → {checkpoint.Decision.ToString().ToLowerInvariant()}"));
                    break;
            }

            DrawLive();
        }
    }

    /// <summary>Clears the live line so that a prompt or a final report can use the terminal.</summary>
    public void ClearLive()
    {
        lock (_gate)
        {
            if (Interactive && _liveLength > 0)
            {
                Output.Write('\r');
                Output.Write(new string(' ', _liveLength));
                Output.Write('\r');
                _liveLength = 0;
            }
        }
    }

    public static string Describe(CheckpointStats stats) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{stats.Done} done, {stats.Failed} failed, {stats.Remaining} to go · average score {stats.AverageScore:F1} ({stats.Trend.ToString().ToLowerInvariant()}) · elapsed {Format(stats.Elapsed)} · ETA {Format(stats.EstimatedRemaining)}");

    public static string Format(TimeSpan time) =>
        time.TotalHours >= 1
            ? time.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
            : time.ToString(@"m\:ss", CultureInfo.InvariantCulture);

    private static string Shorten(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    private void WriteLine(string line)
    {
        ClearLive();
        Output.WriteLine(line);
    }

    private void DrawLive()
    {
        if (!Interactive || _total == 0 || _processed >= _total)
        {
            return;
        }

        var filled = (int)Math.Round(BarWidth * (double)_processed / _total);
        var ranThisRun = _processed - _processedAtStart;
        var eta = ranThisRun <= 0 ? "--:--" : Format(timeProvider.GetElapsedTime(_started) / ranThisRun * (_total - _processed));
        var score = _lastScore is { } s ? s.ToString("F1", CultureInfo.InvariantCulture) : "-";
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"[{new string('█', filled)}{new string('░', BarWidth - filled)}] post {Math.Min(_processed + 1, _total)} of {_total} · last score {score} · ETA {eta}");
        Output.Write('\r');
        Output.Write(line);
        if (_liveLength > line.Length)
        {
            Output.Write(new string(' ', _liveLength - line.Length));
        }

        _liveLength = Math.Max(line.Length, _liveLength);
        Output.Flush();
    }
}
