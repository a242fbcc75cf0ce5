using System.Diagnostics.CodeAnalysis;
using MimeKit;

namespace ContentAgent.Delivery.Execution.Email;

/// <summary>The one rule for what counts as an email address: a mailbox MimeKit parses, with a domain.</summary>
internal static class EmailAddress
{
    public static bool TryParse(string? text, [NotNullWhen(true)] out MailboxAddress? mailbox)
    {
        mailbox = null;
        return !string.IsNullOrWhiteSpace(text)
            && MailboxAddress.TryParse(text, out mailbox)
            && !string.IsNullOrEmpty(mailbox.Address)
            && mailbox.Address.Contains('@', StringComparison.Ordinal);
    }

    public static bool IsValid(string? text) => TryParse(text, out _);
}
