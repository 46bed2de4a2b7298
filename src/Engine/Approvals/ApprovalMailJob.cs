using System.Text.Json.Nodes;

namespace WeOps.Engine.Approvals;

/// <summary>Mail to send about an approval task: links for these seats' approvers. Written as a job in the step
/// that asked for it, so it is sent even when this node stops before sending.</summary>
public sealed record ApprovalMailJob(Guid InstanceId, int WaitId, IReadOnlyList<string> Seats, string Reason);

/// <summary>One approver to mail, with the link token issued for them (the only moment it exists in clear) and the
/// link's id, which a reply to the mail names (signed) to decide through the same link.</summary>
public sealed record ApprovalRecipient(string Username, string? DisplayName, string Email, string Seat, string Token, long LinkId = 0);

/// <summary>What an approval mail says: the request and, per approver, a link.</summary>
public sealed record ApprovalMail(
    string Reason,
    Guid InstanceId,
    string ProcessKey,
    string? TaskName,
    string Title,
    string? Requester,
    JsonObject Fields,
    DateTimeOffset? ExpiresAt,
    IReadOnlyList<ApprovalRecipient> Recipients);

/// <summary>Sends approval mail (the Activities project does it over SMTP). A throw means "try again later".</summary>
public interface IApprovalMailer
{
    Task SendAsync(ApprovalMail mail, CancellationToken cancellationToken);
}

/// <summary>Turns a mail job into links and hands them to the mailer.</summary>
public sealed class ApprovalPostOffice(ApprovalDesk desk, IApprovalMailer mailer)
{
    public async Task DeliverAsync(ApprovalMailJob job, CancellationToken cancellationToken)
    {
        var mail = await desk.IssueLinksAsync(job, cancellationToken);
        if (mail is { Recipients.Count: > 0 }) await mailer.SendAsync(mail, cancellationToken);
    }
}
