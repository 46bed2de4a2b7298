using System.Text;
using Microsoft.Extensions.Logging;
using MimeKit;
using WeOps.Activities.Email;
using WeOps.Activities.Network;
using WeOps.Engine.Approvals;
using WeOps.Engine.Execution;

namespace WeOps.Activities.Approvals;

/// <summary>Acts on one mail from the reply mailbox: ignores auto-replies and bounces, acts once per Message-Id,
/// decides through the link the reply's signed token names when the sender is that link's approver, and answers the
/// sender with a confirmation or the reason nothing changed.</summary>
public sealed class ApprovalReplyDesk(
    ApprovalReplyOptions options,
    ApprovalReplyToken tokens,
    ApprovalReplyLedger ledger,
    ApprovalDesk desk,
    ISmtpSettings smtp,
    OutboundPolicy outbound,
    ILogger<ApprovalReplyDesk> logger)
{
    public async Task HandleAsync(MimeMessage message, string mailboxCopy, CancellationToken cancellationToken)
    {
        var reply = ApprovalReply.Read(message, options.Address!);
        var messageId = reply.MessageId.Length is > 0 and <= 900 ? reply.MessageId : $"<{mailboxCopy}@{options.Host}>";
        var claim = await ledger.ClaimAsync(messageId, mailboxCopy, reply.Sender, cancellationToken);
        if (claim == ReplyClaim.Taken) return;
        if (reply.Automatic is not null)
        {
            // Answering a machine invites mail loops; a person's reply gets an answer, this does not.
            logger.LogInformation("Approval reply mailbox: ignored {MessageId} from {Sender}: {Why}", messageId, reply.Sender, reply.Automatic);
            if (claim == ReplyClaim.Claimed) await ledger.RecordAsync(messageId, null, "ignored", cancellationToken);
            return;
        }

        if (claim == ReplyClaim.Replayed)
        {
            logger.LogWarning("Approval reply mailbox: {MessageId} from {Sender} came again; nothing changes", messageId, reply.Sender);
            await AnswerAsync(message, reply, false,
                "This reply was received before and has been acted on already; a copy of it changes nothing.",
                "此回复此前已收到并已处理；再次发送不会改变任何内容。", cancellationToken);
            return;
        }

        string outcome;
        long? linkId;
        try
        {
            (outcome, linkId) = await DecideAsync(message, reply, messageId, cancellationToken);
        }
        catch
        {
            // Not acted on: the next pass (this node's or another's) takes it again.
            await ledger.ReleaseAsync(messageId, CancellationToken.None);
            throw;
        }

        await ledger.RecordAsync(messageId, linkId, outcome, cancellationToken);
    }

    private async Task<(string Outcome, long? LinkId)> DecideAsync(MimeMessage message, ApprovalReply reply, string messageId, CancellationToken cancellationToken)
    {
        if (await tokens.ReadAsync(reply.Token, cancellationToken) is not { } linkId)
        {
            await AnswerAsync(message, reply, false,
                "This reply does not answer an approval request of ours: reply to the approval mail itself, keeping its reply address.",
                "此回复未对应任何审批请求：请直接回复审批邮件，并保留其回复地址。", cancellationToken);
            return ("unmatched", null);
        }

        if (reply.Decision is null)
        {
            await AnswerAsync(message, reply, false,
                "Nothing was decided: the first line of your reply must be \"approve\" or \"reject, <reason>\".",
                "未作决定：回复的第一行必须是“同意”或“拒绝，<理由>”。", cancellationToken);
            return ("not-understood", linkId);
        }

        var result = await desk.DecideByReplyAsync(linkId, reply.Sender!, reply.Decision, reply.Comment, messageId, cancellationToken);
        var decided = result.Status == DecisionStatus.Decided;
        logger.LogInformation("Approval reply {MessageId} from {Sender} for link {Link}: {Decision} -> {Status}", messageId, reply.Sender, linkId, reply.Decision, result.Status);
        var word = reply.Decision == ApprovalOutcomes.Approve ? ("approve", "同意") : ("reject", "拒绝");
        var settled = result.Outcome is null ? "" : $" The request is now {result.Outcome}.";
        await AnswerAsync(message, reply, decided,
            decided ? $"Your decision ({word.Item1}) is recorded.{settled}" : $"Nothing was decided. {result.Message}",
            decided ? $"您的决定（{word.Item2}）已记录。" : "未作任何决定。", cancellationToken);
        return (decided ? "decided" : result.Status.ToString().ToLowerInvariant(), linkId);
    }

    /// <summary>Mails the sender what came of their reply; a failure to send is logged, the decision stands.</summary>
    private async Task AnswerAsync(MimeMessage original, ApprovalReply reply, bool decided, string english, string chinese, CancellationToken cancellationToken)
    {
        if (MailAddresses.Parse(reply.Sender) is not { } to) return;
        try
        {
            var settings = await smtp.CurrentAsync(cancellationToken);
            if (string.IsNullOrWhiteSpace(settings.Host) || MailAddresses.Parse(settings.From) is not { } from)
            {
                logger.LogWarning("Approval reply mailbox: no SMTP server or sender is set; {Sender} is not told: {Answer}", reply.Sender, english);
                return;
            }

            var subject = (original.Subject ?? "").Replace('\r', ' ').Replace('\n', ' ').Trim();
            if (subject.Length > 200) subject = subject[..200];
            var text = new StringBuilder()
                .Append(english).Append("\n\n").Append(chinese).Append("\n\n")
                .Append(decided ? "" : "To decide, reply to the approval mail with \"approve\" or \"reject, <reason>\" as the first line, or use its links.\n")
                .Append(decided ? "" : "如需决定，请回复审批邮件，第一行写“同意”或“拒绝，<理由>”，或使用邮件中的链接。\n");
            var answer = new MimeMessage
            {
                Subject = subject.StartsWith("Re:", StringComparison.OrdinalIgnoreCase) ? subject : "Re: " + subject,
                Body = MailBodies.Of(text.ToString().TrimEnd() + "\n", null),
            };
            answer.From.Add(from);
            answer.To.Add(to);
            answer.MessageId = MailBodies.NewMessageId(from);
            if (!string.IsNullOrEmpty(original.MessageId))
            {
                answer.InReplyTo = original.MessageId;
                answer.References.Add(original.MessageId);
            }

            // RFC 3834: an answer of a machine, which other machines must not answer in turn.
            answer.Headers.Add(HeaderId.AutoSubmitted, "auto-replied");
            await MailSender.SendAsync(SmtpServer.From(settings), answer, outbound, cancellationToken);
        }
        catch (Exception e) when (e is SmtpDeliveryException or OutboundRefusedException or InvalidOperationException)
        {
            logger.LogWarning("Approval reply mailbox: could not answer {Sender}: {Error}", reply.Sender, e.Message);
        }
    }
}
