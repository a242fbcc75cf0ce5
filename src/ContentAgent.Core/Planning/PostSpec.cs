namespace ContentAgent.Planning;

/// <summary>One post of a <see cref="BatchPlan"/>: what to write, for which platform, from which angle.</summary>
/// <param name="Index">The 1-based position of the post in its plan; unique within the plan.</param>
/// <param name="Platform">The platform the post is written for.</param>
/// <param name="Topic">The topic, as the brief named it (for example "AI").</param>
/// <param name="Angle">The angle that makes this post differ from the others on the same topic.</param>
public sealed record PostSpec(int Index, Platform Platform, string Topic, string Angle);
