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

    /// <summary>Upgrade the connection with STARTTLS before authenticating; the server's certificate must be trusted.</summary>
    public bool StartTls { get; init; }

    /// <summary>The sender when a step gives none, e.g. <c>WeOps &lt;weops@example.com&gt;</c>.</summary>
    public string? From { get; init; }

    public Task<SmtpOptions> CurrentAsync(CancellationToken cancellationToken) => Task.FromResult(this);

    // Records print their members; the password must not be.
    public override string ToString() => $"SmtpOptions {Host}:{Port}";
}
