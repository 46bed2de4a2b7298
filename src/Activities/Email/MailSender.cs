using System.Net;
using System.Net.Mail;
using WeOps.Activities.Network;

namespace WeOps.Activities.Email;

/// <summary>An SMTP server to send through: from a step's credential or the server's <see cref="SmtpOptions"/>.</summary>
public sealed record SmtpServer(string Host, int Port, string? Username, string? Password, bool StartTls)
{
    public static SmtpServer From(SmtpOptions options) =>
        new(options.Host ?? "", options.Port, string.IsNullOrWhiteSpace(options.Username) ? null : options.Username, options.Password, options.StartTls);

    // Records print their members; the password must not be.
    public override string ToString() => $"{Host}:{Port}";
}

/// <summary>The one place an <see cref="SmtpClient"/> is set up: step mail and approval mail send alike.</summary>
public static class MailSender
{
    /// <summary>Sends one message; SmtpClient's exceptions pass through for the caller to judge.</summary>
    /// <exception cref="OutboundRefusedException">The server's address is one the policy refuses.</exception>
    public static async Task SendAsync(SmtpServer server, MailMessage message, OutboundPolicy policy, CancellationToken cancellationToken)
    {
        // SmtpClient resolves the name again and cannot be handed a socket; the host comes from the server's
        // configuration or an admin's credential, never from a process, so the check before it suffices.
        try
        {
            await policy.ResolveAsync(server.Host, cancellationToken);
        }
        catch (OutboundRefusedException e)
        {
            throw new OutboundRefusedException($"SMTP server {server}: {e.Message}");
        }

        using var client = new SmtpClient(server.Host, server.Port)
        {
            DeliveryMethod = SmtpDeliveryMethod.Network,
            EnableSsl = server.StartTls,
            UseDefaultCredentials = false,
            Credentials = server.Username is null ? null : new NetworkCredential(server.Username, server.Password ?? ""),
        };
        await client.SendMailAsync(message, cancellationToken);
    }
}
