using MimeKit;

namespace WeOps.Activities.Email;

/// <summary>The one reading of a mail address from a person or a process: one mailbox, optionally with a display
/// name, with a domain that has a dot (or is localhost), on one line.</summary>
public static class MailAddresses
{
    private static readonly ParserOptions Strict = new()
    {
        AllowAddressesWithoutDomain = false,
        AddressParserComplianceMode = RfcComplianceMode.Strict,
        AllowUnquotedCommasInAddresses = false,
    };

    /// <summary>The mailbox, or null when the text is not exactly one valid address.</summary>
    public static MailboxAddress? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 320 || text.AsSpan().ContainsAny('\r', '\n', '\0')) return null;
        if (!MailboxAddress.TryParse(Strict, text.Trim(), out var mailbox) || mailbox is null) return null;
        var at = mailbox.Address.LastIndexOf('@');
        if (at <= 0 || at == mailbox.Address.Length - 1) return null;
        var domain = mailbox.Address[(at + 1)..];
        if (!domain.Contains('.', StringComparison.Ordinal) && !domain.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return null;
        if (domain.StartsWith('.') || domain.EndsWith('.') || domain.Contains("..", StringComparison.Ordinal)) return null;
        return mailbox;
    }
}
