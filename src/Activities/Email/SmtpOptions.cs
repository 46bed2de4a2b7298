namespace WeOps.Activities.Email;

/// <summary>Where the server-wide SMTP settings come from when mail is sent: the configuration, or the
/// settings an admin saved, which override it (ADR 0025).</summary>
public interface ISmtpSettings
{
    Task<SmtpOptions> CurrentAsync(CancellationToken cancellationToken);
}

/// <summary>The server-wide SMTP server (configuration section <c>Smtp</c>), used by <c>email.send</c>
/// steps that name no credential, and by approval mail. As <see cref="ISmtpSettings"/> it is fixed settings.</summary>
public sealed record SmtpOptions : ISmtpSettings
{
    public string? Host { get; init; }
    public int Port { get; init; } = 25;
    public string? Username { get; init; }
    public string? Password { get; init; }

    /// <summary>How the connection is secured (<c>Smtp:Tls</c>: none, starttls, tls); unset: <see cref="StartTls"/> decides.</summary>
    public SmtpTlsMode? Tls { get; init; }

    /// <summary>The older switch for STARTTLS (<c>Smtp:StartTls</c>), read when <see cref="Tls"/> is not set.</summary>
    public bool StartTls { get; init; }

    /// <summary>The SHA-256 fingerprint (hex) of a server certificate to trust although the system does not (a
    /// self-signed internal server).</summary>
    public string? CertificateSha256 { get; init; }

    /// <summary>How long one connection, command or reply may take.</summary>
    public int TimeoutSeconds { get; init; } = 60;

    /// <summary>The TLS mode in effect.</summary>
    public SmtpTlsMode Security => Tls ?? (StartTls ? SmtpTlsMode.StartTls : SmtpTlsMode.None);

    /// <summary>The sender when a step gives none, e.g. <c>WeOps &lt;weops@example.com&gt;</c>.</summary>
    public string? From { get; init; }

    public Task<SmtpOptions> CurrentAsync(CancellationToken cancellationToken) => Task.FromResult(this);

    // Records print their members; the password must not be.
    public override string ToString() => $"SmtpOptions {Host}:{Port}";
}
