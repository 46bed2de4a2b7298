using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace WeOps.Engine.Execution;

[JsonConverter(typeof(JsonStringEnumConverter<InstanceStatus>))]
public enum InstanceStatus
{
    Running,

    /// <summary>Running, but a token is stuck on an incident an operator must retry or cancel.</summary>
    Faulted,
    Completed,

    /// <summary>Ended by an error no boundary caught; a parent's call activity receives the error.</summary>
    Failed,
    Cancelled,
}

/// <summary>The parent's call activity waiting for this instance.</summary>
public sealed record ParentLink(string InstanceId, int WaitId);

/// <summary>Everything about one running process instance: the input and output of the interpreter.
/// Plain data, serialisable as JSON, so a store can keep it as one document.</summary>
public sealed class InstanceState
{
    public required string InstanceId { get; set; }
    public required string DefinitionKey { get; set; }
    public int DefinitionVersion { get; set; }
    public string? BusinessKey { get; set; }
    public InstanceStatus Status { get; set; }
    public ParentLink? Parent { get; set; }
    public string? StartedBy { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>The error code an instance ended with when it is <see cref="InstanceStatus.Failed"/>.</summary>
    public string? EndErrorCode { get; set; }
    public string? EndErrorMessage { get; set; }

    public List<Scope> Scopes { get; set; } = [];
    public List<Token> Tokens { get; set; } = [];
    public List<Wait> Waits { get; set; } = [];
    public List<Incident> Incidents { get; set; } = [];

    /// <summary>Source of ids for tokens, scopes, waits and incidents; ids are unique within the instance.</summary>
    public int NextId { get; set; } = 1;

    [JsonIgnore]
    public Scope RootScope => Scopes.First(s => s.ParentId is null);

    /// <summary>The process-level variables.</summary>
    [JsonIgnore]
    public JsonObject Variables => RootScope.Variables;

    [JsonIgnore]
    public bool IsEnded => Status is InstanceStatus.Completed or InstanceStatus.Failed or InstanceStatus.Cancelled;

    public InstanceState Clone() =>
        JsonSerializer.Deserialize<InstanceState>(JsonSerializer.SerializeToUtf8Bytes(this, StateJson.Options), StateJson.Options)!;
}

[JsonConverter(typeof(JsonStringEnumConverter<ScopeKind>))]
public enum ScopeKind { Process, SubProcess, MultiInstanceBody, MultiInstanceItem }

/// <summary>A variable scope: the process, a running sub-process, or a multi-instance body or item.</summary>
public sealed class Scope
{
    public int Id { get; set; }
    public int? ParentId { get; set; }
    public ScopeKind Kind { get; set; }

    /// <summary>The sub-process or multi-instance activity this scope runs; null for the process.</summary>
    public string? ElementId { get; set; }

    /// <summary>The token waiting at <see cref="ElementId"/> in the parent scope while this scope runs.</summary>
    public int? OwnerTokenId { get; set; }
    public JsonObject Variables { get; set; } = [];

    /// <summary>Multi-instance body bookkeeping.</summary>
    public MultiInstanceProgress? Loop { get; set; }
}

public sealed class MultiInstanceProgress
{
    public JsonArray Items { get; set; } = [];
    public int Started { get; set; }
    public int Completed { get; set; }
    public JsonArray Results { get; set; } = [];
}

[JsonConverter(typeof(JsonStringEnumConverter<TokenState>))]
public enum TokenState
{
    /// <summary>Queued to move within the current step.</summary>
    Active,

    /// <summary>At an activity or event with open waits.</summary>
    Waiting,

    /// <summary>Parked at a joining gateway.</summary>
    Joining,

    /// <summary>Stopped on an incident.</summary>
    Faulted,
}

public sealed class Token
{
    public int Id { get; set; }
    public required string ElementId { get; set; }
    public int ScopeId { get; set; }
    public TokenState State { get; set; }

    /// <summary>The sequence flow the token came in by; joins count these.</summary>
    public string? ArrivedVia { get; set; }
}

[JsonConverter(typeof(JsonStringEnumConverter<IncidentKind>))]
public enum IncidentKind { JobFailed, ExpressionFailed, NoPathTaken, UnhandledError, StepLimit, ChildFailed }

/// <summary>A token that cannot move on without an operator: retry it, or cancel the instance.</summary>
public sealed class Incident
{
    public int Id { get; set; }
    public int TokenId { get; set; }
    public required string ElementId { get; set; }
    public IncidentKind Kind { get; set; }
    public required string Message { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal static class StateJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
