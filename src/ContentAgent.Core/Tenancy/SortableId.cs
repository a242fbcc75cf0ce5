using System.Globalization;
using System.Security.Cryptography;

namespace ContentAgent.Tenancy;

/// <summary>
/// Ids for plans, runs, issues, jobs and artifacts: globally unique and sortable by creation time, readable at a glance.
/// <c>yyyyMMdd-HHmmss-</c> (UTC) then 12 Crockford base32 characters: the first two are the millisecond (10 bits), the
/// other ten 50 random bits from the system's cryptographic generator. Two hosts, or two planners in one host, that
/// create ids in the same millisecond collide with a chance of 2⁻⁵⁰ per pair; the ids of one creator sort in the order it
/// made them unless two fall in the same millisecond. Every character is safe in a file or folder name and a URL.
/// </summary>
internal static class SortableId
{
    /// <summary>The length of an id.</summary>
    public const int Length = 28;

    // Crockford's base32 in lower case: ASCII order is value order, so ids sort as text; no i, l, o or u to misread.
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    /// <summary>Creates a new id for the current time of <paramref name="timeProvider"/>.</summary>
    public static string New(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var now = timeProvider.GetUtcNow().UtcDateTime;
        Span<byte> random = stackalloc byte[8];
        RandomNumberGenerator.Fill(random);
        var bits = BitConverter.ToUInt64(random) & ((1UL << 50) - 1);
        var value = ((ulong)now.Millisecond << 50) | bits;
        return string.Create(Length, (now, value), static (chars, state) =>
        {
            state.now.TryFormat(chars, out var written, "yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
            chars[written] = '-';
            var v = state.value;
            for (var i = chars.Length - 1; i > written; i--)
            {
                chars[i] = Alphabet[(int)(v & 31)];
                v >>= 5;
            }
        });
    }
}
