using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using MimeKit;
using WeOps.Activities.Credentials;
using WeOps.Activities.Http;
using WeOps.Activities.Network;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Email;

/// <summary>The SMTP server refused or failed to take a message; the message carries the SMTP status.
/// Retried by the engine.</summary>
public sealed class EmailDeliveryException(string message, Exception inner) : Exception(message, inner);

/// <summary>Sends mail through SMTP, with the step's smtp credential or the server-wide <see cref="SmtpOptions"/>.
/// When the server permanently (5xx) rejects recipients, the step raises the BPMN error
/// <c>EMAIL_REJECTED</c> instead of failing: the other recipients may already have the message, so
/// a retry would send it to them twice, and a process can branch to another channel.</summary>
[Executor("email.send", DisplayName = "Send email", Category = "Notify",
    DisplayNameZh = "发送邮件", Summary = "Sends an email in text, HTML or both through SMTP.",
    SummaryZh = "通过 SMTP 发送文本或 HTML 邮件。",
    DescriptionZh = "通过 SMTP 发送邮件（纯文本、HTML 或两者）。收件人被永久拒收时抛出 BPMN 错误 EMAIL_REJECTED。",
    Description = "Sends an email (text, HTML or both) through SMTP. Permanently rejected recipients raise the BPMN error EMAIL_REJECTED.")]
[Output("messageId", Type = "string", Description = "The Message-ID header of the message sent.")]
[Output("from", Type = "string", Description = "The sender address used.")]
[Output("recipients", Type = "integer", Description = "How many recipients (to, cc and bcc) the message was addressed to.")]
[Output("answer", Type = "string", Description = "The SMTP server's answer to the message, e.g. '250 2.0.0 Ok: queued as 4F2A'.")]
public sealed class EmailSendExecutor(ICredentialStore credentials, ISmtpSettings settings, OutboundPolicy outbound) : Executor<EmailSendExecutor.Inputs>
{
    private const string Type = "email.send";
    private const int MaxRecipients = 100;
    private const int MaxBodyChars = 1024 * 1024;
    private const int MaxSubjectChars = 900;

    public sealed record Inputs
    {
        [Input(Description = "Recipients: an address, addresses separated by commas, or an array of addresses.", Required = true, DescriptionZh = "收件人：一个地址、逗号分隔的多个地址，或地址数组。")]
        public JsonNode? To { get; init; }

        [Input(Description = "Copy recipients, written like 'to'.", DescriptionZh = "抄送，写法同 'to'。")]
        public JsonNode? Cc { get; init; }

        [Input(Description = "Blind copy recipients, written like 'to'.", DescriptionZh = "密送，写法同 'to'。")]
        public JsonNode? Bcc { get; init; }

        [Input(Description = "Subject line.", Required = true, DescriptionZh = "邮件主题。")]
        public string Subject { get; init; } = "";

        [Input(Description = "Plain text body. With 'html' as well, mail readers choose one (multipart/alternative).", UiHint = "multiline", DescriptionZh = "纯文本正文。同时有 'html' 时由邮件客户端选择其一（multipart/alternative）。")]
        public string? Text { get; init; }

        [Input(Description = "HTML body.", UiHint = "code", DescriptionZh = "HTML 正文。")]
        public string? Html { get; init; }

        [Input(Description = "Sender, e.g. 'Ops <ops@example.com>'; default: the credential's or the server's 'from'.", DescriptionZh = "发件人，例如 'Ops <ops@example.com>'；默认取凭据或服务器的 'from'。")]
        public string? From { get; init; }

        [Input(Description = "An smtp credential (host, port, username, password, tls: none, starttls or tls, certificateSha256, from); default: the server's SMTP settings.", UiHint = "credential", DescriptionZh = "smtp 凭据（host、port、username、password、tls：none、starttls 或 tls，certificateSha256、from）；默认用服务器的 SMTP 设置。")]
        public string? Credential { get; init; }
    }

    private sealed record Server(SmtpServer Smtp, string? From)
    {
        public string Host => Smtp.Host;
        public int Port => Smtp.Port;
    }

    protected override async Task<JsonNode?> ExecuteAsync(Inputs inputs, ExecutorContext context, CancellationToken cancellationToken)
    {
        var to = Addresses(inputs.To, "to");
        var cc = Addresses(inputs.Cc, "cc");
        var bcc = Addresses(inputs.Bcc, "bcc");
        if (to.Count + cc.Count + bcc.Count == 0)
            throw new ExecutorInputException($"{Type}: there is no recipient.");
        if (to.Count + cc.Count + bcc.Count > MaxRecipients)
            throw new ExecutorInputException($"{Type}: at most {MaxRecipients} recipients, got {to.Count + cc.Count + bcc.Count}.");
        var subject = inputs.Subject.Trim();
        if (subject.AsSpan().ContainsAny('\r', '\n', '\0'))
            throw new ExecutorInputException($"{Type}: 'subject' must be one line.");
        if (subject.Length > MaxSubjectChars)
            throw new ExecutorInputException($"{Type}: 'subject' is longer than {MaxSubjectChars} characters.");
        var text = string.IsNullOrEmpty(inputs.Text) ? null : inputs.Text;
        var html = string.IsNullOrEmpty(inputs.Html) ? null : inputs.Html;
        if (text is null && html is null)
            throw new ExecutorInputException($"{Type}: give 'text', 'html' or both.");
        if (text?.Length > MaxBodyChars || html?.Length > MaxBodyChars)
            throw new ExecutorInputException($"{Type}: a body is longer than {MaxBodyChars} characters.");

        var server = await ServerAsync(inputs.Credential, cancellationToken);
        var fromText = string.IsNullOrWhiteSpace(inputs.From) ? server.From : inputs.From;
        if (string.IsNullOrWhiteSpace(fromText))
            throw new ExecutorInputException($"{Type}: no sender: give 'from', a 'from' in the credential, or the server setting Smtp:From.");
        var from = Address(fromText, "from");

        var message = new MimeMessage { Subject = subject, Body = MailBodies.Of(text, html) };
        message.From.Add(from);
        message.To.AddRange(to);
        message.Cc.AddRange(cc);
        message.Bcc.AddRange(bcc);
        message.MessageId = MailBodies.NewMessageId(from);
        var messageId = $"<{message.MessageId}>";

        SmtpDelivery delivery;
        try
        {
            delivery = await MailSender.SendAsync(server.Smtp, message, outbound, cancellationToken);
        }
        catch (SmtpDeliveryException e) when (e.Refused.Count > 0)
        {
            throw Rejected(e.Refused, server, e);
        }
        catch (SmtpDeliveryException e)
        {
            throw new EmailDeliveryException($"{Type}: {e.Message}", e);
        }

        if (delivery.Refused.Count > 0) throw Rejected(delivery.Refused, server, null);

        context.Logger.LogInformation("Mail {MessageId} sent to {Count} recipient(s) via {Host}:{Port}", messageId, to.Count + cc.Count + bcc.Count, server.Host, server.Port);
        return new JsonObject
        {
            ["messageId"] = messageId,
            ["from"] = from.Address,
            ["answer"] = delivery.Answer.ToString(),
            ["recipients"] = to.Count + cc.Count + bcc.Count,
        };
    }

    /// <summary>Refused recipients: all permanently is the BPMN error (a retry would mail the others again);
    /// any temporary refusal is a failure the engine retries.</summary>
    private static Exception Rejected(IReadOnlyList<SmtpRefusal> refused, Server server, Exception? inner)
    {
        var list = string.Join(", ", refused.Select(r => $"{r.Address} ({r.Reply})"));
        if (refused.All(r => r.Permanent))
            return new BpmnErrorException("EMAIL_REJECTED", $"{Type}: the SMTP server {server.Host}:{server.Port} rejected {list}.");
        var message = $"{Type}: the SMTP server {server.Host}:{server.Port} did not accept {list}.";
        return inner is null ? new EmailDeliveryException(message, new InvalidOperationException(list)) : new EmailDeliveryException(message, inner);
    }

    private async Task<Server> ServerAsync(string? credentialName, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(credentialName))
        {
            var defaults = await settings.CurrentAsync(cancellationToken);
            if (string.IsNullOrWhiteSpace(defaults.Host))
                throw new ExecutorInputException($"{Type}: no SMTP server: name an smtp credential, or configure Smtp:Host on the server.");
            if (defaults.Port is < 1 or > 65535)
                throw new InvalidOperationException($"{Type}: the server setting Smtp:Port must be between 1 and 65535, not {defaults.Port}.");
            return new Server(SmtpServer.From(defaults), defaults.From);
        }

        var credential = (await credentials.GetAsync(credentialName, cancellationToken)).Expect(CredentialKind.Smtp);
        var port = 25;
        if (credential.Optional("port") is { } portText
            && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
            throw new CredentialException($"Credential '{credential.Name}' has a 'port' that is not a port number.");
        SmtpTlsMode tls;
        if (credential.Optional("tls") is { } tlsText)
        {
            tls = MailSettingsStore.Parse(tlsText)
                ?? throw new CredentialException($"Credential '{credential.Name}' has a 'tls' that is not none, starttls or tls.");
        }
        else
        {
            tls = credential.Optional("startTls")?.Trim().ToLowerInvariant() switch
            {
                null or "false" or "no" or "0" => SmtpTlsMode.None,
                "true" or "yes" or "1" => SmtpTlsMode.StartTls,
                _ => throw new CredentialException($"Credential '{credential.Name}' has a 'startTls' that is neither true nor false."),
            };
        }

        var defaultsForTimeout = await settings.CurrentAsync(cancellationToken);
        var smtp = new SmtpServer(credential.Require("host"), port, Blank(credential.Optional("username")), credential.Optional("password"), tls,
            Blank(credential.Optional("certificateSha256")))
        {
            Timeout = TimeSpan.FromSeconds(Math.Clamp(defaultsForTimeout.TimeoutSeconds, 1, 3600)),
        };
        return new Server(smtp, credential.Optional("from"));
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    private static List<MailboxAddress> Addresses(JsonNode? node, string field)
    {
        var items = new List<string>();
        switch (node)
        {
            case null:
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                items.AddRange(value.GetValue<string>().Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
                        throw new ExecutorInputException($"{Type}: '{field}' must hold addresses as strings, got {HttpTarget.Excerpt(item?.ToJsonString() ?? "null", 60)}.");
                    if (!string.IsNullOrWhiteSpace(v.GetValue<string>())) items.Add(v.GetValue<string>().Trim());
                }

                break;
            default:
                throw new ExecutorInputException($"{Type}: '{field}' must be an address or an array of addresses, got {HttpTarget.Excerpt(node.ToJsonString(), 60)}.");
        }

        if (items.Count > MaxRecipients)
            throw new ExecutorInputException($"{Type}: at most {MaxRecipients} recipients, got {items.Count} in '{field}'.");
        return [.. items.Select(i => Address(i, field))];
    }

    private static MailboxAddress Address(string text, string field) =>
        MailAddresses.Parse(text)
        ?? throw new ExecutorInputException($"{Type}: '{field}' has an invalid address: '{HttpTarget.Excerpt(text, 80)}'.");
}
