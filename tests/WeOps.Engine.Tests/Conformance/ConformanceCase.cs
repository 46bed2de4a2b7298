using System.Text.Json;
using System.Text.Json.Nodes;

namespace WeOps.Engine.Tests.Conformance;

/// <summary>The expectation file beside a conformance fixture (<c>name.json</c> next to <c>name.bpmn</c>).</summary>
public sealed record ConformanceCase
{
    public string Description { get; init; } = "";

    /// <summary>Other BPMN files of the folder to deploy first (called processes).</summary>
    public List<string> Deploy { get; init; } = [];
    public JsonObject? Variables { get; init; }
    public string? StartEvent { get; init; }

    /// <summary>The user who starts the instance.</summary>
    public string? StartedBy { get; init; }
    public List<ConformanceStep> Steps { get; init; } = [];
    public required ConformanceExpectation Expect { get; init; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };
}

/// <summary>One thing done to the instance after it started: at most one action, and optionally a check
/// (a step with only a check checks the state as it is).</summary>
public sealed record ConformanceStep
{
    /// <summary>ISO 8601 duration to move the clock by; timers due meanwhile fire in order.</summary>
    public string? AdvanceClock { get; init; }
    public string? CompleteUserTask { get; init; }
    public string? PublishMessage { get; init; }
    public string? CorrelationKey { get; init; }
    public string? BroadcastSignal { get; init; }

    /// <summary>Element id whose open incident is retried.</summary>
    public string? RetryIncident { get; init; }
    public bool Cancel { get; init; }

    /// <summary>Sets process variables as an operator would (uses <see cref="Variables"/>).</summary>
    public bool SetVariables { get; init; }
    public JsonObject? Variables { get; init; }
    public string? Actor { get; init; }

    /// <summary>Checked right after this step.</summary>
    public ConformanceExpectation? Expect { get; init; }
}

public sealed record ConformanceExpectation
{
    /// <summary>Element ids in the order they completed (multi-instance items each once; the body not).</summary>
    public List<string>? Completed { get; init; }

    /// <summary>Each named variable must equal this value (JSON equality); others are not checked.</summary>
    public JsonObject? Variables { get; init; }

    /// <summary>Variables that must not exist on the process.</summary>
    public List<string>? Absent { get; init; }

    /// <summary>Instance status: Running, Faulted, Completed, Failed, Cancelled.</summary>
    public string? State { get; init; }

    /// <summary>Element ids with open incidents.</summary>
    public List<string>? Incidents { get; init; }

    /// <summary>Element ids of open waits (jobs, timers, tasks, subscriptions), in any order.</summary>
    public List<string>? Waiting { get; init; }

    /// <summary>Statuses of the instances its call activities started, in the order they started.</summary>
    public List<string>? Children { get; init; }

    /// <summary>Element ids cancelled, in order.</summary>
    public List<string>? Cancelled { get; init; }
}
