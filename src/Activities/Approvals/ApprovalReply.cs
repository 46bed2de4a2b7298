using System.Text.RegularExpressions;
using MimeKit;
using WeOps.Engine.Execution;

namespace WeOps.Activities.Approvals;

/// <summary>What a mail in the reply mailbox says, read without side effects: whether it is a person's reply at all
/// (not an auto-reply or a bounce), the token it answers, and the decision on its first line.</summary>
public sealed partial record ApprovalReply(string MessageId, string? Sender, string? Token, string? Decision, string? Comment, string? Automatic)
{
    private const int MaxCommentChars = 2000;

    /// <summary>Reads a message; <paramref name="replyAddress"/> is the configured reply mailbox (approvals@example.com).</summary>
    public static ApprovalReply Read(MimeMessage message, string replyAddress)
    {
        var messageId = string.IsNullOrWhiteSpace(message.MessageId) ? "" : $"<{message.MessageId}>";
        var sender = (message.From.Mailboxes.FirstOrDefault() ?? message.Sender)?.Address;
        var automatic = AutomaticReason(message, sender);
        var token = TokenIn(message, replyAddress);
        var (decision, comment) = FirstLine(message);
        return new ApprovalReply(messageId, sender, token, decision, comment, automatic);
    }

    /// <summary>Why the mail is from a machine (RFC 3834 Auto-Submitted, the usual vacation headers, a bounce), or null.</summary>
    private static string? AutomaticReason(MimeMessage message, string? sender)
    {
        var headers = message.Headers;
        if (headers[HeaderId.AutoSubmitted] is { } auto && !auto.Trim().StartsWith("no", StringComparison.OrdinalIgnoreCase))
            return $"Auto-Submitted: {auto.Trim()}";
        foreach (var name in new[] { "X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress" })
            if (headers[name] is { } value && (name != "X-Auto-Response-Suppress" || value.Contains("All", StringComparison.OrdinalIgnoreCase)))
                return $"{name}: {value.Trim()}";
        if (headers[HeaderId.Precedence]?.Trim().ToLowerInvariant() is "bulk" or "junk" or "list" or "auto_reply")
            return $"Precedence: {headers[HeaderId.Precedence]!.Trim()}";
        if (headers[HeaderId.ReturnPath]?.Trim() is "<>" or "")
            return "an empty Return-Path (a bounce)";
        if (message.Body is MultipartReport || message.Body?.ContentType.IsMimeType("multipart", "report") == true)
            return "a delivery report";
        var local = sender?.Split('@')[0].ToLowerInvariant();
        if (local is "mailer-daemon" or "postmaster") return $"a message from {sender}";
        return sender is null ? "no sender" : null;
    }

    /// <summary>The token of the reply address (approvals+token@) among the recipients, else of our Message-Id in
    /// In-Reply-To or References (&lt;approval.token@...&gt;).</summary>
    private static string? TokenIn(MimeMessage message, string replyAddress)
    {
        var at = replyAddress.LastIndexOf('@');
        var local = replyAddress[..at].ToLowerInvariant();
        var domain = replyAddress[(at + 1)..].ToLowerInvariant();
        var recipients = message.To.Mailboxes.Concat(message.Cc.Mailboxes).Select(m => m.Address)
            .Concat(new[] { "Delivered-To", "X-Original-To", "Envelope-To" }.SelectMany(h => message.Headers.Where(x => x.Field.Equals(h, StringComparison.OrdinalIgnoreCase)).Select(x => x.Value.Trim().Trim('<', '>'))));
        foreach (var address in recipients)
        {
            var lower = address.ToLowerInvariant();
            var plus = $"{local}+";
            if (lower.StartsWith(plus, StringComparison.Ordinal) && lower.EndsWith("@" + domain, StringComparison.Ordinal))
                return lower[plus.Length..lower.LastIndexOf('@')];
        }

        var ids = new List<string>();
        if (message.InReplyTo is { } inReplyTo) ids.Add(inReplyTo);
        ids.AddRange(message.References);
        foreach (var id in ids)
            if (OurMessageId().Match(id) is { Success: true } m) return m.Groups[1].Value.ToLowerInvariant();
        return null;
    }

    /// <summary>The decision on the first line that is not blank: approve, or reject with a reason after a comma,
    /// colon or space; in English or Chinese.</summary>
    private static (string? Decision, string? Comment) FirstLine(MimeMessage message)
    {
        var body = message.TextBody ?? HtmlText(message.HtmlBody);
        var line = body?.Split('\n').Select(l => l.Trim().TrimStart('\uFEFF')).FirstOrDefault(l => l.Length > 0);
        if (line is null) return (null, null);
        var match = DecisionLine().Match(line);
        if (!match.Success) return (null, null);
        var word = match.Groups["word"].Value.ToLowerInvariant();
        var decision = word is "reject" or "rejected" or "deny" or "拒绝" or "驳回" ? ApprovalOutcomes.Reject : ApprovalOutcomes.Approve;
        var comment = match.Groups["rest"].Value.Trim();
        if (comment.Length > MaxCommentChars) comment = comment[..MaxCommentChars];
        return (decision, comment.Length == 0 ? null : comment);
    }

    private static string? HtmlText(string? html) =>
        html is null ? null : System.Net.WebUtility.HtmlDecode(Tags().Replace(BlockEnds().Replace(html, "\n"), ""));

    [GeneratedRegex(@"^(?<word>approved?|reject(?:ed)?|deny|同意|批准|拒绝|驳回)(?:$|[\s,，:：;；。.!！]+(?<rest>.*))$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DecisionLine();

    [GeneratedRegex(@"^<?approval\.([a-z2-7]{32})@", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OurMessageId();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"<(br|/p|/div|/h\d|/tr)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockEnds();
}
