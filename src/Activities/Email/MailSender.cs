using System.Net;
using System.Net.Sockets;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using WeOps.Activities.Network;

namespace WeOps.Activities.Email;

/// <summary>An SMTP server to send through: from a step's credential or the server's <see cref="SmtpOptions"/>.
/// <see cref="CertificateSha256"/> trusts one certificate by its fingerprint (an internal server's own certificate)
/// when the system does not.</summary>
public sealed record SmtpServer(string Host, int Port, string? Username, string? Password, SmtpTlsMode Tls, string? CertificateSha256 = null)
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    public static SmtpServer From(SmtpOptions options) =>
        new(options.Host ?? "", options.Port, string.IsNullOrWhiteSpace(options.Username) ? null : options.Username, options.Password, options.Security,
            string.IsNullOrWhiteSpace(options.CertificateSha256) ? null : options.CertificateSha256)
        {
            Timeout = TimeSpan.FromSeconds(Math.Clamp(options.TimeoutSeconds, 1, 3600)),
        };

    // Records print their members; the password must not be.
    public override string ToString() => $"{Host}:{Port}";
}

/// <summary>A reply of the SMTP server: its status code and text, e.g. 250 "2.0.0 Ok: queued as 4F2A".</summary>
public sealed record SmtpReply(int Code, string Text)
{
    public override string ToString() => $"{Code} {Text}".Trim();
}

/// <summary>A recipient the server refused at RCPT TO, with its reply.</summary>
public sealed record SmtpRefusal(string Address, SmtpReply Reply)
{
    public bool Permanent => Reply.Code is >= 500 and < 600;
}

/// <summary>What sending one message came to: the server's answer to the message, and the recipients it refused
/// (the others have the message).</summary>
public sealed record SmtpDelivery(SmtpReply Answer, IReadOnlyList<SmtpRefusal> Refused);

/// <summary>The SMTP server did not take the message: its reply when it gave one, else what failed (connection,
/// TLS, authentication, time-out) in words.</summary>
public sealed class SmtpDeliveryException(string message, SmtpReply? reply, IReadOnlyList<SmtpRefusal> refused, Exception? inner = null)
    : Exception(message, inner)
{
    public SmtpReply? Reply { get; } = reply;

    /// <summary>When every recipient was refused: each one with its reply.</summary>
    public IReadOnlyList<SmtpRefusal> Refused { get; } = refused;
}

/// <summary>One connection to an SMTP server, opened through the outbound policy, secured as the server's settings
/// say, authenticated with the strongest mechanism both sides know, and reused for a batch of messages (approval
/// mail to every approver of a task goes through one session).</summary>
public sealed class SmtpSession : IAsyncDisposable
{
    private readonly RefusalRecordingClient client;
    private readonly SmtpServer server;

    private SmtpSession(RefusalRecordingClient client, SmtpServer server)
    {
        this.client = client;
        this.server = server;
    }

    /// <summary>Connects (and authenticates when the server has a user name).</summary>
    /// <exception cref="OutboundRefusedException">The server's address is one the policy refuses.</exception>
    /// <exception cref="SmtpDeliveryException">The connection, TLS or authentication failed.</exception>
    public static async Task<SmtpSession> OpenAsync(SmtpServer server, OutboundPolicy policy, CancellationToken cancellationToken)
    {
        var client = new RefusalRecordingClient(server) { Timeout = (int)Math.Clamp(server.Timeout.TotalMilliseconds, 1000, int.MaxValue) };
        // Revocation lists live on the internet; a certificate is judged by its chain and name (or its pinned fingerprint).
        client.CheckCertificateRevocation = false;
        client.ServerCertificateValidationCallback = (_, certificate, _, errors) => CertificatePin.Trusted(server.CertificateSha256, certificate, errors);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(server.Timeout);
            Socket socket;
            try
            {
                socket = await policy.ConnectAsync(server.Host, server.Port, timeout.Token);
            }
            catch (OutboundRefusedException e)
            {
                throw new OutboundRefusedException($"SMTP server {server}: {e.Message}");
            }

            var options = server.Tls switch
            {
                SmtpTlsMode.None => SecureSocketOptions.None,
                SmtpTlsMode.StartTls => SecureSocketOptions.StartTls,
                SmtpTlsMode.Tls => SecureSocketOptions.SslOnConnect,
                _ => throw new ArgumentOutOfRangeException(nameof(server), server.Tls, null),
            };
            await client.ConnectAsync(socket, server.Host, server.Port, options, timeout.Token);
            if (server.Username is not null)
            {
                // Tokens for XOAUTH2 are not passwords; every other mechanism the server offers is tried strongest first.
                client.AuthenticationMechanisms.Remove("XOAUTH2");
                client.AuthenticationMechanisms.Remove("OAUTHBEARER");
                await client.AuthenticateAsync(new NetworkCredential(server.Username, server.Password ?? ""), timeout.Token);
            }

            return new SmtpSession(client, server);
        }
        catch (Exception e) when (e is not OutboundRefusedException)
        {
            client.Dispose();
            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested) throw;
            throw Failure(server, e, []);
        }
    }

    /// <summary>Sends one message on this connection.</summary>
    /// <exception cref="SmtpDeliveryException">The server refused the message or every recipient, or the connection broke.</exception>
    public async Task<SmtpDelivery> SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        client.Refused.Clear();
        try
        {
            var text = await client.SendAsync(message, cancellationToken);
            // MailKit hands back the text of the final reply to the message data, which is a 250 when it returns.
            return new SmtpDelivery(new SmtpReply((int)SmtpStatusCode.Ok, text.Trim()), [.. client.Refused]);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw Failure(server, e, [.. client.Refused]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (client.IsConnected)
            {
                using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await client.DisconnectAsync(true, quit.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or MailKit.ProtocolException or MailKit.CommandException or SocketException)
        {
            // QUIT is a courtesy: the messages were already taken or reported.
        }
        finally
        {
            client.Dispose();
        }
    }

    private static SmtpDeliveryException Failure(SmtpServer server, Exception e, IReadOnlyList<SmtpRefusal> refused)
    {
        return e switch
        {
            SmtpDeliveryException known => known,
            SmtpCommandException command => new SmtpDeliveryException(
                $"the SMTP server {server} answered {(int)command.StatusCode} {command.Message.Trim()}", new SmtpReply((int)command.StatusCode, command.Message.Trim()), refused, e),
            SslHandshakeException => new SmtpDeliveryException(
                $"TLS with the SMTP server {server} failed: its certificate is not trusted here, or it does not speak TLS on this port ({Inner(e)})", null, refused, e),
            AuthenticationException => new SmtpDeliveryException($"the SMTP server {server} refused the user name or password: {e.Message.Trim()}", null, refused, e),
            NotSupportedException when server.Tls == SmtpTlsMode.StartTls => new SmtpDeliveryException($"the SMTP server {server} does not offer STARTTLS", null, refused, e),
            OperationCanceledException or TimeoutException => new SmtpDeliveryException($"the SMTP server {server} did not answer within {server.Timeout.TotalSeconds:0} s", null, refused, e),
            SocketException socket => new SmtpDeliveryException($"could not connect to the SMTP server {server}: {socket.Message}", null, refused, e),
            _ => new SmtpDeliveryException($"the SMTP server {server} failed: {Inner(e)}", null, refused, e),
        };
    }

    private static string Inner(Exception e)
    {
        var reasons = new List<string>();
        for (Exception? x = e; x is not null && reasons.Count < 4; x = x.InnerException)
            if (!reasons.Contains(x.Message.Trim())) reasons.Add(x.Message.Trim());
        var text = string.Join(" ", reasons);
        return text.Length > 400 ? text[..400] + "…" : text;
    }

    /// <summary>Keeps going when some recipients are refused, remembering them, as a mail relay does; refuses the
    /// message only when nobody is left to take it.</summary>
    private sealed class RefusalRecordingClient(SmtpServer server) : SmtpClient
    {
        public List<SmtpRefusal> Refused { get; } = [];

        protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response) =>
            Refused.Add(new SmtpRefusal(mailbox.Address, new SmtpReply((int)response.StatusCode, response.Response.Trim())));

        protected override void OnNoRecipientsAccepted(MimeMessage message)
        {
            var first = Refused.FirstOrDefault();
            throw new SmtpDeliveryException(
                $"the SMTP server {server} refused every recipient: {string.Join(", ", Refused.Select(r => $"{r.Address} ({r.Reply})"))}", first?.Reply, [.. Refused]);
        }
    }
}

/// <summary>Sends single messages: one session per message. Batches open an <see cref="SmtpSession"/> themselves.</summary>
public static class MailSender
{
    public static async Task<SmtpDelivery> SendAsync(SmtpServer server, MimeMessage message, OutboundPolicy policy, CancellationToken cancellationToken)
    {
        await using var session = await SmtpSession.OpenAsync(server, policy, cancellationToken);
        return await session.SendAsync(message, cancellationToken);
    }
}
