namespace ContentAgent.Storage;

/// <summary>
/// A save found a different record already stored under the same key: two planners or hosts made the same id for two
/// different things. Nothing was merged or overwritten; make a new id and save again.
/// </summary>
public sealed class StoreConflictException : InvalidOperationException
{
    /// <summary>Initializes a new instance of the <see cref="StoreConflictException"/> class.</summary>
    public StoreConflictException()
        : base("A different record is already stored under this key.")
    {
        Key = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="StoreConflictException"/> class.</summary>
    /// <param name="message">The message.</param>
    public StoreConflictException(string message)
        : base(message)
    {
        Key = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="StoreConflictException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public StoreConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
        Key = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="StoreConflictException"/> class for a key.</summary>
    /// <param name="what">What was saved, for example <c>plan</c>.</param>
    /// <param name="key">Its key, for example <c>acme/20261207-101500-0k3m9q2x8fz4</c>.</param>
    public StoreConflictException(string what, string key)
        : base($"A different {what} is already stored under '{key}'; nothing was changed. Two planners made the same id: plan again for a new one.")
    {
        Key = key;
    }

    /// <summary>Gets the key that was saved twice with different content.</summary>
    public string Key { get; }
}
