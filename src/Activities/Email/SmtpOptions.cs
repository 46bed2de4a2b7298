namespace WeOps.Activities.Email;

/// <summary>The server-wide SMTP server (configuration section <c>Smtp</c>), used by <c>email.send</c>
/// steps that name no credential, and by approval mail.</summary>
public sealed record SmtpOptions
{
    public string? Host { get; init; }
    public int Port { get; init; } = 25;
    public string? Username { get; init; }
    public string? Password { get; init; }

    /// <summary>Upgrade the connection with STARTTLS before authenticating; the server's certificate must be trusted.</summary>
    public bool StartTls { get; init; }

    /// <summary>The sender when a step gives none, e.g. <c>WeOps &lt;weops@example.com&gt;</c>.</summary>
    public string? From { get; init; }

    // Records print their members; the password must not be.
    public override string ToString() => $"SmtpOptions {Host}:{Port}";
}
