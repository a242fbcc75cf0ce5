namespace ContentAgent.Planning;

/// <summary>A publishing platform a post is written for.</summary>
public enum Platform
{
    /// <summary>LinkedIn.</summary>
    LinkedIn,

    /// <summary>X (formerly Twitter).</summary>
    X,

    /// <summary>Instagram.</summary>
    Instagram,

    /// <summary>Facebook.</summary>
    Facebook,

    /// <summary>Threads.</summary>
    Threads,

    /// <summary>An email newsletter issue.</summary>
    EmailNewsletter,
}
