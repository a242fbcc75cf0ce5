namespace ContentAgent.Planning;

/// <summary>A brief that cannot become a plan. The message is one line that names the problem and shows a good brief.</summary>
public sealed class InvalidBriefException : ArgumentException
{
    /// <summary>An example of a brief the planner understands.</summary>
    public const string ExampleBrief = "Create 15 LinkedIn posts: 5 about AI, 5 about productivity, 5 about remote work";

    /// <summary>Initializes a new instance of the <see cref="InvalidBriefException"/> class.</summary>
    public InvalidBriefException()
        : this("The brief cannot be planned.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="InvalidBriefException"/> class.</summary>
    /// <param name="problem">What is wrong with the brief, in one sentence.</param>
    public InvalidBriefException(string problem)
        : base($"{problem} Example of a good brief: \"{ExampleBrief}\".", "brief")
    {
        Problem = problem;
    }

    /// <summary>Initializes a new instance of the <see cref="InvalidBriefException"/> class.</summary>
    /// <param name="problem">What is wrong with the brief, in one sentence.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidBriefException(string problem, Exception innerException)
        : base($"{problem} Example of a good brief: \"{ExampleBrief}\".", "brief", innerException)
    {
        Problem = problem;
    }

    /// <summary>Initializes a new instance of the <see cref="InvalidBriefException"/> class for a brief the offline parser could not read at all.</summary>
    /// <param name="problem">What is wrong with the brief, in one sentence.</param>
    /// <param name="unreadable">Whether the parser could not read the brief (so a model may still plan it), as opposed to a definite problem such as a count above the maximum.</param>
    internal InvalidBriefException(string problem, bool unreadable)
        : this(problem)
    {
        Unreadable = unreadable;
    }

    /// <summary>Gets a value indicating whether the offline parser could not read the brief, so a live model may still plan it.</summary>
    internal bool Unreadable { get; }

    /// <summary>Gets what is wrong with the brief, without the example.</summary>
    public string Problem { get; } = "The brief cannot be planned.";

    /// <summary>Gets the message without the parameter-name suffix that <see cref="ArgumentException"/> appends.</summary>
    public override string Message => $"{Problem} Example of a good brief: \"{ExampleBrief}\".";
}
