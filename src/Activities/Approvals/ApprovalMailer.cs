using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using MimeKit;
using WeOps.Activities.Email;
using WeOps.Activities.Network;
using WeOps.Engine.Approvals;
using WeOps.Engine.Execution;

namespace WeOps.Activities.Approvals;

/// <summary>Where approval links point: <c>Approvals:BaseUrl</c>, else the server's own address.</summary>
public sealed class ApprovalLinkBase(Func<Uri> resolve)
{
    public Uri Resolve() => resolve();

    /// <summary>The page a token opens; <paramref name="decision"/> preselects a button, nothing more.</summary>
    public Uri For(string token, string? decision = null)
    {
        var root = Resolve().ToString().TrimEnd('/');
        return new Uri($"{root}/approve/{token}{(decision is null ? "" : "?decision=" + decision)}");
    }
}

/// <summary>Mails each approver the request with two links, through the server's SMTP settings (<c>Smtp</c>), all of
/// one request over one SMTP connection. With approval by reply on (<see cref="ApprovalReplyOptions"/>), the mail's
/// Reply-To and Message-Id carry a signed token of the approver's link, so a reply decides like the link.</summary>
public sealed class ApprovalMailer(ISmtpSettings settings, ApprovalLinkBase links, OutboundPolicy outbound, ApprovalReplyOptions replies,
    ApprovalReplyToken replyTokens, ILogger<ApprovalMailer> logger) : IApprovalMailer
{
    private const int MaxFieldChars = 500;

    public async Task SendAsync(ApprovalMail mail, CancellationToken cancellationToken)
    {
        var smtp = await settings.CurrentAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(smtp.Host))
            throw new InvalidOperationException("Approval mail needs an SMTP server: configure Smtp:Host (and Smtp:From).");
        if (MailAddresses.Parse(smtp.From) is not { } from)
            throw new InvalidOperationException("Approval mail needs a sender: configure Smtp:From, e.g. 'WeOps <weops@example.com>'.");
        var messages = new List<(MimeMessage Message, ApprovalRecipient Recipient)>();
        foreach (var recipient in mail.Recipients)
        {
            var replyToken = replies.Enabled && recipient.LinkId > 0 ? await replyTokens.IssueAsync(recipient.LinkId, cancellationToken) : null;
            messages.Add((Compose(mail, recipient, from, replyToken), recipient));
        }

        if (messages.Count == 0) return;
        await using var session = await SmtpSession.OpenAsync(SmtpServer.From(smtp), outbound, cancellationToken);
        foreach (var (message, recipient) in messages)
        {
            var delivery = await session.SendAsync(message, cancellationToken);
            if (delivery.Refused.Count > 0)
                throw new InvalidOperationException($"The SMTP server refused the approval mail to {recipient.Username}: {delivery.Refused[0].Reply}.");
            logger.LogInformation("Approval {Reason} for task of instance {Instance} mailed to {User}: {Answer}", mail.Reason, mail.InstanceId, recipient.Username, delivery.Answer);
        }
    }

    /// <summary>The message for one approver: text and HTML alternatives with the same content.</summary>
    public MimeMessage Compose(ApprovalMail mail, ApprovalRecipient recipient, MailboxAddress from, string? replyToken = null)
    {
        var title = OneLine(mail.Title);
        var subject = (mail.Reason == ApprovalMailRequested.Reminder ? "Reminder: approval needed: " : "Approval needed: ") + title;
        var approve = links.For(recipient.Token, ApprovalOutcomes.Approve);
        var reject = links.For(recipient.Token, ApprovalOutcomes.Reject);
        var fields = mail.Fields.Select(f => (Name: f.Key, Value: Display(f.Value))).ToList();
        var forSeat = recipient.Seat.StartsWith(ApprovalState.GroupPrefix, StringComparison.Ordinal) ? $" (for {ApprovalState.Describe(recipient.Seat)})" : "";
        var expires = mail.ExpiresAt is { } at ? at.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : null;

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Hello {recipient.DisplayName ?? recipient.Username},\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Your decision is requested{forSeat}:\n\n  {title}\n\n");
        if (mail.Requester is not null) text.Append(CultureInfo.InvariantCulture, $"Requested by: {mail.Requester}\n");
        text.Append(CultureInfo.InvariantCulture, $"Process: {mail.ProcessKey}\n");
        foreach (var (name, value) in fields) text.Append(CultureInfo.InvariantCulture, $"{name}: {value}\n");
        if (expires is not null) text.Append(CultureInfo.InvariantCulture, $"Decide before: {expires}\n");
        text.Append(CultureInfo.InvariantCulture, $"\nApprove: {approve}\nReject:  {reject}\n\n");
        text.Append("Both links open a page where you confirm (and may comment); opening a link decides nothing.\n");
        text.Append("The links are for you alone and work once.\n");
        if (replyToken is not null)
        {
            text.Append("\nOr reply to this mail with \"approve\" or \"reject, <reason>\" as the first line.\n");
            text.Append("也可直接回复本邮件，第一行写“同意”或“拒绝，<理由>”。\n");
        }

        var e = HtmlEncoder.Default;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">");
        html.Append(CultureInfo.InvariantCulture, $"<p>Hello {e.Encode(recipient.DisplayName ?? recipient.Username)},</p>");
        html.Append(CultureInfo.InvariantCulture, $"<p>Your decision is requested{e.Encode(forSeat)}:</p><h2>{e.Encode(title)}</h2><table>");
        if (mail.Requester is not null) html.Append(CultureInfo.InvariantCulture, $"<tr><th align=\"left\">Requested by</th><td>{e.Encode(mail.Requester)}</td></tr>");
        html.Append(CultureInfo.InvariantCulture, $"<tr><th align=\"left\">Process</th><td>{e.Encode(mail.ProcessKey)}</td></tr>");
        foreach (var (name, value) in fields) html.Append(CultureInfo.InvariantCulture, $"<tr><th align=\"left\">{e.Encode(name)}</th><td>{e.Encode(value)}</td></tr>");
        if (expires is not null) html.Append(CultureInfo.InvariantCulture, $"<tr><th align=\"left\">Decide before</th><td>{e.Encode(expires)}</td></tr>");
        html.Append("</table>");
        html.Append(CultureInfo.InvariantCulture, $"<p><a href=\"{e.Encode(approve.ToString())}\">Approve</a> &nbsp; <a href=\"{e.Encode(reject.ToString())}\">Reject</a></p>");
        html.Append("<p>Both links open a page where you confirm (and may comment); opening a link decides nothing. The links are for you alone and work once.</p>");
        if (replyToken is not null)
            html.Append("<p>Or reply to this mail with <b>approve</b> or <b>reject, &lt;reason&gt;</b> as the first line. 也可直接回复本邮件，第一行写“同意”或“拒绝，&lt;理由&gt;”。</p>");
        html.Append("</body></html>");

        var message = new MimeMessage { Subject = subject, Body = MailBodies.Of(text.ToString(), html.ToString()) };
        message.From.Add(from);
        message.To.Add(new MailboxAddress(recipient.DisplayName ?? recipient.Username, recipient.Email));
        if (replyToken is null)
        {
            message.MessageId = MailBodies.NewMessageId(from);
        }
        else
        {
            // A reply names the token twice: in the address it goes to, and in In-Reply-To / References.
            message.MessageId = $"approval.{replyToken}@{from.Domain}";
            message.ReplyTo.Add(new MailboxAddress(from.Name, replies.AddressFor(replyToken)));
        }

        return message;
    }

    /// <summary>A shown field's value as text: strings as they are, anything else as JSON; capped.</summary>
    public static string Display(JsonNode? value)
    {
        var text = value switch
        {
            null => "",
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            _ => value.ToJsonString(),
        };
        return text.Length > MaxFieldChars ? text[..MaxFieldChars] + "…" : text;
    }

    private static string OneLine(string text)
    {
        var line = new string(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim();
        return line.Length > 200 ? line[..200] + "…" : line;
    }
}
