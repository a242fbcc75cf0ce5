namespace ContentAgent.Batches;

/// <summary>The default checkpoint gate for unattended runs: always continues.</summary>
internal sealed class ContinueCheckpointGate : ICheckpointGate
{
    public ValueTask<CheckpointDecision> DecideAsync(CheckpointStats stats, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(CheckpointDecision.Continue);
    }
}
