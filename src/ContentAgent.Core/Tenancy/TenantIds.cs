using System.Diagnostics.CodeAnalysis;

namespace ContentAgent.Tenancy;

/// <summary>
/// The one rule for tenant ids. Every call that reads or writes a tenant's records names its tenant, and every record is
/// keyed by it; a record of another tenant is "not found", never "forbidden". A tenant id is 1 to 64 letters, digits,
/// <c>-</c>, <c>_</c> or <c>.</c>, starting with a letter or a digit, so it is safe in a key, a file name and a URL.
/// </summary>
public static class TenantIds
{
    /// <summary>The tenant a host uses when it serves one team and names none (the console's <c>--tenant</c> default).</summary>
    public const string Default = "default";

    /// <summary>The longest tenant id.</summary>
    public const int MaxLength = 64;

    /// <summary>Gets whether <paramref name="tenantId"/> is a valid tenant id.</summary>
    /// <param name="tenantId">The id to check.</param>
    /// <returns><see langword="true"/> when it follows the rule.</returns>
    public static bool IsValid([NotNullWhen(true)] string? tenantId)
    {
        if (string.IsNullOrEmpty(tenantId) || tenantId.Length > MaxLength || !char.IsAsciiLetterOrDigit(tenantId[0]))
        {
            return false;
        }

        foreach (var c in tenantId)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Throws when <paramref name="tenantId"/> is not a valid tenant id, with a message that says what one is.</summary>
    /// <param name="tenantId">The id to check.</param>
    /// <param name="paramName">The parameter or setting that holds it, for the message.</param>
    /// <exception cref="ArgumentException">The id is not valid.</exception>
    public static void Validate([NotNull] string? tenantId, string paramName = "tenantId")
    {
        if (!IsValid(tenantId))
        {
            throw new ArgumentException(
                $"The tenant id '{tenantId}' is not valid: use 1 to {MaxLength} letters, digits, '-', '_' or '.', starting with a letter or a digit (for example 'acme' or 'client-42').",
                paramName);
        }
    }
}
