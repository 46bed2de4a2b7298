namespace WeOps.Engine.Model;

public enum ApprovalPolicy { Any, All, Quorum }

public enum ApprovalExpiryOutcome { Reject, Approve, Escalate }

/// <summary><c>ops:approval</c> on a user task: who decides, how their decisions combine, and what happens
/// when nobody decides in time.</summary>
public sealed record ApprovalDefinition
{
    /// <summary>Comma-separated entries as written: <c>alice</c>, <c>group:cab</c> or a <c>${expr}</c> that yields
    /// a name, a list of names or a list of entries.</summary>
    public IReadOnlyList<string> Approvers { get; init; } = [];
    public ApprovalPolicy Policy { get; init; } = ApprovalPolicy.All;

    /// <summary>Approvals needed under <see cref="ApprovalPolicy.Quorum"/>.</summary>
    public int Quorum { get; init; }
    public TimeSpan? Expiry { get; init; }
    public ApprovalExpiryOutcome OnExpiry { get; init; } = ApprovalExpiryOutcome.Reject;

    /// <summary>Interval of reminder mails to approvers who have not decided, while the task is open.</summary>
    public TimeSpan? Remind { get; init; }
    public bool RequesterMayApprove { get; init; }

    /// <summary>A template: what is being decided, shown in mails and on the confirmation page.</summary>
    public string? Title { get; init; }

    /// <summary>Variables (or expressions) shown to approvers beside the title.</summary>
    public IReadOnlyList<string> Show { get; init; } = [];
}
