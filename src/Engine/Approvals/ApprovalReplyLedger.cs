using Microsoft.EntityFrameworkCore;
using WeOps.Engine.Persistence;

namespace WeOps.Engine.Approvals;

/// <summary>Whether a reply is this node's to act on.</summary>
public enum ReplyClaim
{
    /// <summary>First sight of this Message-Id: act on it.</summary>
    Claimed,

    /// <summary>This very copy was taken by another node (or an earlier pass): leave it.</summary>
    Taken,

    /// <summary>The Message-Id was acted on before and this is another copy: a replay.</summary>
    Replayed,
}

/// <summary>Replies to approval mail by Message-Id (table approval_replies): each is acted on once, whichever node
/// reads the mailbox first, and a copy sent again is told apart from the same copy seen twice.</summary>
public sealed class ApprovalReplyLedger(DatabaseOptions database, TimeProvider time)
{
    public const string Processing = "processing";

    public async Task<ReplyClaim> ClaimAsync(string messageId, string mailboxCopy, string? sender, CancellationToken cancellationToken)
    {
        if (await ExistingAsync(messageId, cancellationToken) is { } earlier) return Judge(earlier, mailboxCopy);
        try
        {
            using var gate = await database.EnterWriteAsync(cancellationToken);
            await using var db = database.Open();
            db.ApprovalReplies.Add(new ApprovalReplyRow
            {
                MessageId = messageId,
                MailboxCopy = mailboxCopy,
                Sender = sender,
                Outcome = Processing,
                ReceivedAt = time.GetUtcNow().UtcDateTime,
            });
            await db.SaveChangesAsync(cancellationToken);
            return ReplyClaim.Claimed;
        }
        catch (DbUpdateException)
        {
            // Another node inserted the same Message-Id between our look and our insert.
            return await ExistingAsync(messageId, cancellationToken) is { } raced ? Judge(raced, mailboxCopy) : throw new InvalidOperationException(
                $"The reply {messageId} could neither be recorded nor found in approval_replies.");
        }
    }

    /// <summary>Notes what came of a claimed reply.</summary>
    public async Task RecordAsync(string messageId, long? linkId, string outcome, CancellationToken cancellationToken)
    {
        using var gate = await database.EnterWriteAsync(cancellationToken);
        await using var db = database.Open();
        await db.ApprovalReplies.Where(r => r.MessageId == messageId)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.LinkId, linkId).SetProperty(r => r.Outcome, outcome), cancellationToken);
    }

    /// <summary>Forgets a claim that was not acted on, so that the reply is read again.</summary>
    public async Task ReleaseAsync(string messageId, CancellationToken cancellationToken)
    {
        using var gate = await database.EnterWriteAsync(cancellationToken);
        await using var db = database.Open();
        await db.ApprovalReplies.Where(r => r.MessageId == messageId && r.Outcome == Processing).ExecuteDeleteAsync(cancellationToken);
    }

    private async Task<ApprovalReplyRow?> ExistingAsync(string messageId, CancellationToken cancellationToken)
    {
        await using var db = database.Open();
        return await db.ApprovalReplies.AsNoTracking().FirstOrDefaultAsync(r => r.MessageId == messageId, cancellationToken);
    }

    private static ReplyClaim Judge(ApprovalReplyRow earlier, string mailboxCopy) =>
        earlier.MailboxCopy == mailboxCopy ? ReplyClaim.Taken : ReplyClaim.Replayed;
}
