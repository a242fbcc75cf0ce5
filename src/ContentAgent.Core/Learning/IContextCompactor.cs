namespace ContentAgent.Learning;

/// <summary>Compacts the learning context so that prompts stay small as a batch grows.</summary>
public interface IContextCompactor
{
    /// <summary>Compacts learnings to fit a token target.</summary>
    /// <param name="request">The learnings and the target.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The compacted learnings.</returns>
    Task<CompactionResult> CompactAsync(CompactionRequest request, CancellationToken cancellationToken = default);
}

/// <summary>What to compact.</summary>
/// <param name="Learnings">The learnings in the context now, oldest first.</param>
/// <param name="TargetTokens">The most tokens the compacted context may take when rendered into a prompt.</param>
public sealed record CompactionRequest(IReadOnlyList<Learning> Learnings, int TargetTokens);

/// <summary>The outcome of a compaction.</summary>
/// <param name="Learnings">The compacted learnings, most important first.</param>
/// <param name="Method">How they were compacted: "llm" for a summary by the chat client, "offline" for the deterministic merge.</param>
public sealed record CompactionResult(IReadOnlyList<Learning> Learnings, string Method);
