namespace ContentAgent.Planning;

/// <summary>What a brief asks for: how many posts on which topics, for which platforms.</summary>
/// <param name="Topics">Each topic with its number of posts, in the brief's order.</param>
/// <param name="Platforms">The platforms, in the brief's order; posts alternate between them.</param>
internal sealed record ParsedBrief(IReadOnlyList<(string Topic, int Count)> Topics, IReadOnlyList<Platform> Platforms)
{
    public int Total => Topics.Sum(static t => t.Count);
}
