using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace WeOps.Engine.Execution;

/// <summary>Something an instance waits for. Every wait is a row for the runtime: a job to run,
/// a timer due, a user task, a message or signal subscription, a child instance.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(JobWait), "job")]
[JsonDerivedType(typeof(TimerWait), "timer")]
[JsonDerivedType(typeof(MessageWait), "message")]
[JsonDerivedType(typeof(SignalWait), "signal")]
[JsonDerivedType(typeof(UserTaskWait), "userTask")]
[JsonDerivedType(typeof(ChildInstanceWait), "child")]
public abstract record Wait
{
    public int Id { get; init; }

    /// <summary>The token the wait belongs to (for a boundary event: the activity's token).</summary>
    public int TokenId { get; init; }

    /// <summary>The element that reacts when the wait is met: the activity, catch event or boundary event.</summary>
    public required string ElementId { get; init; }
}

/// <summary>A service task's executor call, due now or (after a failure) later.</summary>
public sealed record JobWait : Wait
{
    public required string ExecutorType { get; init; }
    public required JsonObject Inputs { get; init; }
    public DateTimeOffset DueAt { get; init; }

    /// <summary>1 for the first try.</summary>
    public int Attempt { get; init; } = 1;
    public int Retries { get; init; }
    public TimeSpan? Timeout { get; init; }
    public TimeSpan RetryBackoff { get; init; }
    public string? LastError { get; init; }
}

public sealed record TimerWait : Wait
{
    public DateTimeOffset DueAt { get; init; }

    /// <summary>For a cycle: how many more times it fires after this one (-1: unbounded).</summary>
    public int RemainingRepetitions { get; init; }
    public TimeSpan? Interval { get; init; }
    public string? Cron { get; init; }

    /// <summary>The time zone <see cref="Cron"/> is read in; null: UTC.</summary>
    public string? CronTimeZone { get; init; }

    /// <summary>Set for an approval task's own timers (expiry, reminders): they fire on the task, not on a boundary event.</summary>
    public ApprovalTimer? Approval { get; init; }
}

public sealed record MessageWait : Wait
{
    public required string MessageName { get; init; }
    public string? CorrelationKey { get; init; }
}

public sealed record SignalWait : Wait
{
    public required string SignalName { get; init; }
}

public sealed record UserTaskWait : Wait
{
    public string? Name { get; init; }
    public string? Assignee { get; init; }
    public IReadOnlyList<string> CandidateGroups { get; init; } = [];
    public IReadOnlyList<string> CandidateUsers { get; init; } = [];
    public DateTimeOffset? DueAt { get; init; }
    public string? FormKey { get; init; }

    /// <summary>The task's evaluated inputs: what the assignee is shown.</summary>
    public JsonObject Data { get; init; } = [];

    /// <summary>Set when the task is an approval.</summary>
    public ApprovalState? Approval { get; init; }
}

/// <summary>A call activity waiting for the instance it started.</summary>
public sealed record ChildInstanceWait : Wait
{
    public required string ProcessKey { get; init; }
    public int? Version { get; init; }
    public required JsonObject Variables { get; init; }
    public string? BusinessKey { get; init; }
}
