using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using WeOps.Engine.Model;

namespace WeOps.Engine.Execution;

/// <summary>An open approval: the seats that decide, the decisions so far, and what the approvers are shown.
/// A seat is <c>user:alice</c> (only alice decides) or <c>group:cab</c> (any one member decides for the group).</summary>
public sealed record ApprovalState
{
    public ApprovalPolicy Policy { get; init; }
    public int Quorum { get; init; }
    public IReadOnlyList<string> Seats { get; init; } = [];
    public IReadOnlyList<ApprovalDecision> Decisions { get; init; } = [];

    /// <summary>Who asked; under <see cref="RequesterMayApprove"/> false they cannot decide.</summary>
    public string? Requester { get; init; }

    /// <summary>Who started the instance. Under <see cref="RequesterMayApprove"/> false they cannot decide either,
    /// so naming somebody else as the requester is no way to approve one's own request.</summary>
    public string? StartedBy { get; init; }
    public bool RequesterMayApprove { get; init; }

    /// <summary>True when <paramref name="username"/> may not decide because they asked: the requester or the starter.</summary>
    public bool BarsAsRequester(string? username) =>
        !RequesterMayApprove && username is not null && (username == Requester || username == StartedBy);
    public string? Title { get; init; }

    /// <summary>The fields the designer chose to show (<c>show</c>), evaluated when the task opened.</summary>
    public JsonObject Fields { get; init; } = [];
    public DateTimeOffset? ExpiresAt { get; init; }
    public ApprovalExpiryOutcome OnExpiry { get; init; }

    public const string UserPrefix = "user:";
    public const string GroupPrefix = "group:";

    [JsonIgnore]
    public IEnumerable<string> UndecidedSeats => Seats.Where(s => Decisions.All(d => d.Seat != s));

    public ApprovalDecision? DecisionOf(string seat) => Decisions.FirstOrDefault(d => d.Seat == seat);

    /// <summary>The outcome the decisions so far settle, or null while it is open.
    /// any: the first approval approves; it rejects only when every seat rejected.
    /// all: the first rejection rejects; it approves when every seat approved.
    /// quorum n: n approvals approve; it rejects as soon as n approvals can no longer be reached.</summary>
    public static string? Outcome(ApprovalPolicy policy, int quorum, int seats, int approvals, int rejections)
    {
        var undecided = seats - approvals - rejections;
        var needed = policy switch
        {
            ApprovalPolicy.Any => 1,
            ApprovalPolicy.All => seats,
            _ => quorum,
        };
        if (approvals >= needed) return ApprovalOutcomes.Approved;
        if (approvals + undecided < needed) return ApprovalOutcomes.Rejected;
        return null;
    }

    [JsonIgnore]
    public string? CurrentOutcome => Outcome(Policy, Quorum, Seats.Count,
        Decisions.Count(d => d.Decision == ApprovalOutcomes.Approve), Decisions.Count(d => d.Decision == ApprovalOutcomes.Reject));

    /// <summary>The <c>approval</c> variable: outcome (null while open) and every decision.</summary>
    public JsonObject ToVariable(string? outcome, bool expired = false)
    {
        var decisions = new JsonArray();
        foreach (var d in Decisions)
        {
            decisions.Add(new JsonObject
            {
                ["approver"] = d.Approver,
                ["seat"] = d.Seat,
                ["decision"] = d.Decision,
                ["comment"] = d.Comment,
                ["channel"] = d.Channel,
                ["at"] = d.At.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            });
        }

        var variable = new JsonObject { ["outcome"] = outcome, ["decisions"] = decisions };
        if (expired) variable["expired"] = true;
        return variable;
    }

    /// <summary>"alice", or "group cab": how mails and pages name a seat.</summary>
    public static string Describe(string seat) =>
        seat.StartsWith(GroupPrefix, StringComparison.Ordinal) ? $"group {seat[GroupPrefix.Length..]}" : seat.StartsWith(UserPrefix, StringComparison.Ordinal) ? seat[UserPrefix.Length..] : seat;
}

/// <summary>One approver's decision for one seat. <see cref="Channel"/>: link, api or designer.</summary>
public sealed record ApprovalDecision(string Seat, string Approver, string Decision, string? Comment, string Channel, DateTimeOffset At);

public static class ApprovalOutcomes
{
    public const string Approve = "approve";
    public const string Reject = "reject";
    public const string Approved = "approved";
    public const string Rejected = "rejected";

    public static bool IsDecision(string? text) => text is Approve or Reject;
}

public static class ApprovalChannels
{
    public const string Link = "link";
    public const string Api = "api";
    public const string Designer = "designer";

    /// <summary>A reply to the approval mail, read from the reply mailbox; only the server sets it.</summary>
    public const string Mail = "mail";

    public static bool IsKnown(string? text) => text is Link or Api or Designer;
}

/// <summary>Which approval timer a timer wait is: the expiry, or the next reminder.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApprovalTimer>))]
public enum ApprovalTimer { Expiry, Reminder }
