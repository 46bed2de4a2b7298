using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace WeOps.Engine.Execution;

[JsonConverter(typeof(JsonStringEnumConverter<HistoryKind>))]
public enum HistoryKind
{
    InstanceStarted,
    Entered,
    Completed,
    Cancelled,
    Terminated,
    Retrying,
    IncidentRaised,
    IncidentRetried,
    ErrorThrown,
    InstanceCompleted,
    InstanceFailed,
    InstanceCancelled,
    VariablesUpdated,

    /// <summary>An <c>ops:httpReply</c> was reached; the detail is <c>{"status":…, "body":…}</c>, which the
    /// hook's caller is waiting for.</summary>
    Replied,
    ApprovalDecided,
    ApprovalExpired,
    ApprovalReminded,
    TaskReassigned,
}

/// <summary>One line of an instance's history.</summary>
public sealed record HistoryEntry(DateTimeOffset Time, HistoryKind Kind, string? ElementId, string? ElementType, int? TokenId)
{
    public string? Detail { get; init; }
    public string? Actor { get; init; }

    /// <summary>The element type of entries about a multi-instance activity as a whole; its items carry
    /// the activity's own type.</summary>
    public const string MultiInstanceBodyType = "multiInstanceBody";
}

/// <summary>What an instance asks of the world outside it when a step ends.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(SignalThrown), "signal")]
[JsonDerivedType(typeof(MessageThrown), "message")]
[JsonDerivedType(typeof(ApprovalMailRequested), "approvalMail")]
public abstract record OutboundEvent;

public sealed record SignalThrown(string SignalName, JsonObject Variables) : OutboundEvent;

public sealed record MessageThrown(string MessageName, string? CorrelationKey, JsonObject Variables) : OutboundEvent;

/// <summary>Approvers of a task to be mailed a link: the request itself, a reminder, or a newly assigned seat.</summary>
public sealed record ApprovalMailRequested(int WaitId, IReadOnlyList<string> Seats, string Reason) : OutboundEvent
{
    public const string Request = "request";
    public const string Reminder = "reminder";
}

/// <summary>The interpreter's answer: the new state, and what changed, so a store can write it in one transaction.</summary>
public sealed record StepResult(
    InstanceState State,
    IReadOnlyList<Wait> Armed,
    IReadOnlyList<Wait> Disarmed,
    IReadOnlyList<HistoryEntry> History,
    IReadOnlyList<OutboundEvent> Events)
{
    /// <summary>Set when the stimulus did not apply (its wait is gone, the instance ended): nothing changed.</summary>
    public string? Ignored { get; init; }

    /// <summary>Waits still open whose content changed (an approval's decisions, a new assignee): same ids.</summary>
    public IReadOnlyList<Wait> Updated { get; init; } = [];
}

/// <summary>How to start an instance.</summary>
public sealed record StartRequest(string InstanceId, int DefinitionVersion = 1)
{
    public JsonObject? Variables { get; init; }

    /// <summary>The start event to begin at; null for the process's none start event.</summary>
    public string? StartEventId { get; init; }
    public string? BusinessKey { get; init; }
    public ParentLink? Parent { get; init; }

    /// <summary>Who started the instance (the caller's name); an approval's requester when no <c>requester</c> variable says otherwise.</summary>
    public string? StartedBy { get; init; }
}
