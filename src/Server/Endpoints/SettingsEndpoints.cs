using MimeKit;
using WeOps.Activities.Email;
using WeOps.Activities.Network;
using WeOps.Server.Audit;
using WeOps.Server.Auth;

namespace WeOps.Server.Endpoints;

/// <summary>Server settings an admin changes in the browser (mail), stored in the database and overriding the
/// configuration file (ADR 0025). The SMTP password goes in and never comes out.</summary>
public static class SettingsEndpoints
{
    /// <summary><see cref="Password"/>: null keeps the stored one, empty removes it.</summary>
    public sealed record SaveMailSettingsRequest(string? Host, int? Port, string? TlsMode, string? Username, string? Password, string? From);

    public sealed record MailTestRequest(string? To);

    /// <summary>What the SMTP server answered: <see cref="Answer"/> is its reply as it came (e.g. "250 2.0.0 Ok: queued
    /// as 4F2A", or the refusal "550 5.1.1 No such mailbox"), or what failed before any reply (connection, TLS, sign-in);
    /// <see cref="Code"/> is the reply's status code when there was one.</summary>
    public sealed record MailTestResult(bool Sent, string Server, string Answer, int? Code, string Subject);

    public static void Map(IEndpointRouteBuilder app)
    {
        var mail = app.MapGroup("/api/settings/mail").RequirePermission(Permissions.Admin).WithTags("Settings");

        mail.MapGet("", async (MailSettingsStore settings, CancellationToken cancellationToken) => TypedResults.Ok(await settings.ViewAsync(cancellationToken)));

        mail.MapPut("", async Task<IResult> (SaveMailSettingsRequest request, MailSettingsStore settings, HttpContext http, ILogger<MailSettingsStore> log,
            CancellationToken cancellationToken) =>
        {
            var errors = new Dictionary<string, string[]>();
            var host = request.Host?.Trim() ?? "";
            if (host.Length is 0 or > 255 || host.StartsWith('-') || host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
                errors["host"] = ["The SMTP server is a host name or IP address, e.g. smtp.example.com."];
            if (request.Port is not (>= 1 and <= 65535))
                errors["port"] = ["The port is a number from 1 to 65535 (usually 25, 587 with STARTTLS, 465 with TLS)."];
            var tls = string.IsNullOrWhiteSpace(request.TlsMode) ? SmtpTlsMode.None : MailSettingsStore.Parse(request.TlsMode);
            if (tls is null) errors["tlsMode"] = ["The TLS mode is 'none', 'starttls' or 'tls'."];
            if (request.Username is { Length: > 200 } || request.Username?.Any(char.IsControl) == true)
                errors["username"] = ["The user name has at most 200 characters and no control characters."];
            if (request.Password is { Length: > 500 })
                errors["password"] = ["The password has at most 500 characters."];
            var from = request.From?.Trim();
            if (MailAddresses.Parse(from) is null)
                errors["from"] = ["The sender is a mail address, e.g. WeOps <weops@example.com>."];
            if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The mail settings are not valid");

            var username = string.IsNullOrWhiteSpace(request.Username) ? null : request.Username.Trim();
            var change = new MailSettingsChange(host, request.Port!.Value, tls!.Value, username, request.Password, from);
            var passwordChange = request.Password is null ? "kept" : request.Password.Length == 0 ? "removed" : "changed";
            await settings.SaveAsync(change, http.User.Identity?.Name, cancellationToken, AuditLog.Note(http, AuditActions.MailSettingsChanged,
                $"SMTP {host}:{change.Port} tls {request.TlsMode ?? "none"} user {username ?? "-"} from {from}; password {passwordChange}"));
            log.LogInformation("Mail settings changed by {User}: {Host}:{Port}", http.User.Identity?.Name, host, change.Port);
            return TypedResults.Ok(await settings.ViewAsync(cancellationToken));
        });

        mail.MapPost("/test", async Task<IResult> (MailTestRequest request, MailSettingsStore settings, OutboundPolicy outbound, HttpContext http,
            AuditLog audit, CancellationToken cancellationToken) =>
        {
            var to = request.To?.Trim() ?? "";
            if (MailAddresses.Parse(to) is not { } recipient)
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["to"] = ["Give the mail address to send the test to, e.g. you@example.com."] });
            var smtp = await settings.CurrentAsync(cancellationToken);
            if (string.IsNullOrWhiteSpace(smtp.Host))
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["host"] = ["No SMTP server is set: save the mail settings first."] });
            if (MailAddresses.Parse(smtp.From) is not { } from)
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["from"] = ["No sender address is set: save the mail settings first."] });

            var server = SmtpServer.From(smtp);
            var message = new MimeMessage
            {
                Subject = $"WeOps test message {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss} UTC",
                Body = MailBodies.Of($"This message was sent from the WeOps admin console by {http.User.Identity?.Name} to check the mail settings.", null),
            };
            message.From.Add(from);
            message.To.Add(recipient);
            message.MessageId = MailBodies.NewMessageId(from);
            MailTestResult result;
            try
            {
                var delivery = await MailSender.SendAsync(server, message, outbound, cancellationToken);
                result = delivery.Refused.Count > 0
                    ? new MailTestResult(false, server.ToString(), delivery.Refused[0].Reply.ToString(), delivery.Refused[0].Reply.Code, message.Subject)
                    : new MailTestResult(true, server.ToString(), delivery.Answer.ToString(), delivery.Answer.Code, message.Subject);
            }
            catch (SmtpDeliveryException e)
            {
                result = new MailTestResult(false, server.ToString(), e.Reply?.ToString() ?? Cap(e.Message), e.Reply?.Code, message.Subject);
            }
            catch (OutboundRefusedException e)
            {
                result = new MailTestResult(false, server.ToString(), Cap(e.Message), null, message.Subject);
            }

            await audit.WriteAsync(AuditActions.MailTestSent, http.User.Identity?.Name, http.Connection.RemoteIpAddress?.ToString(),
                $"to {recipient.Address} via {server}: {(result.Sent ? "accepted" : "failed")}: {result.Answer}", cancellationToken);
            return TypedResults.Ok(result);
        });
    }

    private static string Cap(string text) => text.Length > 1000 ? text[..1000] : text;
}
