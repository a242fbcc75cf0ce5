using ContentAgent.Batches;

namespace ContentAgent.ConsoleHost;

/// <summary>
/// Answers checkpoints at the terminal: shows the stats and asks continue, pause or stop. With <c>--yes</c>, or when
/// input is not a terminal, it continues without asking.
/// </summary>
internal sealed class ConsoleCheckpointGate(ConsoleUi ui, TextReader input, bool autoContinue) : ICheckpointGate
{
    public async ValueTask<CheckpointDecision> DecideAsync(CheckpointStats stats, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stats);
        if (autoContinue)
        {
            return CheckpointDecision.Continue;
        }

        ui.ClearLive();
        var output = ui.Output;
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync($"Checkpoint {stats.Number} · {stats.Done + stats.Failed} of {stats.Total} posts").ConfigureAwait(false);
        await output.WriteLineAsync($"  {ConsoleUi.Describe(stats)}").ConfigureAwait(false);
        while (true)
        {
            await output.WriteAsync("Continue? [C]ontinue, [p]ause, [s]top: ").ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            var answer = await input.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            switch (answer?.Trim().ToUpperInvariant())
            {
                case null:
                case "":
                case "C":
                case "CONTINUE":
                    return CheckpointDecision.Continue;
                case "P":
                case "PAUSE":
                    return CheckpointDecision.Pause;
                case "S":
                case "STOP":
                    return CheckpointDecision.Stop;
                default:
                    await output.WriteLineAsync($"'{answer}' is not an answer: type c, p or s.").ConfigureAwait(false);
                    break;
            }
        }
    }
}
