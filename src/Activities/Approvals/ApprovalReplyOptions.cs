using WeOps.Activities.Email;

namespace WeOps.Activities.Approvals;

/// <summary>Approval by reply (configuration section <c>Approvals:Reply</c>): the address replies go to, and the IMAP
/// mailbox that receives them. Off unless both <see cref="Address"/> and <see cref="Host"/> are set.</summary>
public sealed record ApprovalReplyOptions
{
    /// <summary>The mailbox replies go to, e.g. approvals@example.com; approval mail is answered to
    /// approvals+&lt;token&gt;@example.com, so the server must deliver plus-addresses to this mailbox.</summary>
    public string? Address { get; init; }

    public string? Host { get; init; }
    public int Port { get; init; } = 993;

    /// <summary>none, starttls or tls (implicit TLS, port 993).</summary>
    public SmtpTlsMode Tls { get; init; } = SmtpTlsMode.Tls;
    public string? Username { get; init; }
    public string? Password { get; init; }
    public string Mailbox { get; init; } = "INBOX";

    /// <summary>The SHA-256 fingerprint (hex) of the IMAP server's certificate, to trust a self-signed one.</summary>
    public string? CertificateSha256 { get; init; }

    /// <summary>How often to look for new mail when the server offers no IDLE; also how long to wait after a failure.</summary>
    public int PollSeconds { get; init; } = 60;

    public int TimeoutSeconds { get; init; } = 60;

    public bool Enabled => !string.IsNullOrWhiteSpace(Address) && !string.IsNullOrWhiteSpace(Host);

    /// <summary>The reply address for one token: the local part gets +token.</summary>
    public string AddressFor(string token)
    {
        var at = Address!.LastIndexOf('@');
        return $"{Address[..at]}+{token}{Address[at..]}";
    }

    /// <summary>What is wrong with the settings, or null.</summary>
    public string? Problem()
    {
        if (!Enabled)
            return string.IsNullOrWhiteSpace(Address) == string.IsNullOrWhiteSpace(Host) ? null
                : "Approvals:Reply needs both Address (where replies go) and Host (the IMAP server that receives them).";
        if (MailAddresses.Parse(Address) is not { } mailbox || mailbox.Name is { Length: > 0 } || mailbox.Address != Address!.Trim() || mailbox.LocalPart.Contains('+'))
            return $"Approvals:Reply:Address is '{Address}'; it must be a plain address without '+', e.g. approvals@example.com.";
        if (Port is < 1 or > 65535) return $"Approvals:Reply:Port must be between 1 and 65535, not {Port}.";
        if (PollSeconds is < 1 or > 3600) return $"Approvals:Reply:PollSeconds must be between 1 and 3600, not {PollSeconds}.";
        if (TimeoutSeconds is < 1 or > 3600) return $"Approvals:Reply:TimeoutSeconds must be between 1 and 3600, not {TimeoutSeconds}.";
        if (string.IsNullOrWhiteSpace(Username)) return "Approvals:Reply:Username is the IMAP user that reads the reply mailbox.";
        return null;
    }

    // Records print their members; the password must not be.
    public override string ToString() => $"ApprovalReplyOptions {Address} via {Host}:{Port}";
}
