namespace ContentAgent.ConsoleHost;

/// <summary>The console's exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>Every post is done.</summary>
    public const int Success = 0;

    /// <summary>Anything else went wrong (environment, cancellation, a bug).</summary>
    public const int Failure = 1;

    /// <summary>Bad input: a brief, an option or a configuration value; the message names it.</summary>
    public const int BadInput = 2;

    /// <summary>The batch finished, but some posts failed.</summary>
    public const int FinishedWithFailedPosts = 3;

    /// <summary>The batch stopped before every post was written and can be resumed: a checkpoint paused or stopped it, or it was suspended (provider failing, token budget).</summary>
    public const int PausedOrStopped = 4;
}
