namespace ContentAgent.Generation;

/// <summary>
/// A process-independent hash (FNV-1a, 64-bit, over both bytes of every UTF-16 char) and a mixer for deriving
/// decisions from it. Unlike <see cref="string.GetHashCode()"/>, the values are the same in every process and on every machine.
/// </summary>
internal static class StableHash
{
    public const ulong OffsetBasis = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    /// <summary>Hashes text with FNV-1a 64-bit, continuing from <paramref name="hash"/>.</summary>
    public static ulong Fnv1a(ReadOnlySpan<char> text, ulong hash = OffsetBasis)
    {
        foreach (var c in text)
        {
            hash ^= (byte)c;
            hash *= Prime;
            hash ^= (byte)(c >> 8);
            hash *= Prime;
        }

        return hash;
    }

    /// <summary>Hashes one separator char so that ("ab", "c") and ("a", "bc") hash differently.</summary>
    public static ulong Separator(ulong hash) => Fnv1a("\u001f", hash);

    /// <summary>Scrambles a value (the SplitMix64 finalizer), so that nearby inputs give unrelated outputs.</summary>
    public static ulong Mix(ulong value)
    {
        value += 0x9E3779B97F4A7C15UL;
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
        return value ^ (value >> 31);
    }

    /// <summary>Derives an independent value from a seed and a salt.</summary>
    public static ulong Derive(ulong seed, ulong salt) => Mix(seed ^ Mix(salt));

    /// <summary>Picks a number in [0, <paramref name="count"/>) from a seed and a salt.</summary>
    public static int Pick(ulong seed, ulong salt, int count) => count <= 1 ? 0 : (int)(Derive(seed, salt) % (ulong)count);
}
