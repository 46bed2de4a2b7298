namespace WeOps.Engine.Model;

/// <summary>A name and an expression or template: an input evaluated before an activity runs,
/// or an output evaluated when it completes.</summary>
public sealed record VariableMapping(string Name, string Value);

/// <summary>Multi-instance settings: a collection (or a cardinality), parallel or sequential.</summary>
public sealed record LoopDefinition
{
    public bool IsSequential { get; init; }
    public string? Collection { get; init; }
    public string? ElementVariable { get; init; }
    public string? Cardinality { get; init; }
    public string? CompletionCondition { get; init; }
    public string? OutputCollection { get; init; }
    public string? OutputElement { get; init; }
}

public abstract record Activity : FlowNode
{
    public IReadOnlyList<VariableMapping> Inputs { get; init; } = [];
    public IReadOnlyList<VariableMapping> Outputs { get; init; } = [];
    public LoopDefinition? Loop { get; init; }
    public IReadOnlyList<string> BoundaryEventIds { get; init; } = [];

    /// <summary>The flow taken when the activity completes and no other outgoing flow is (BPMN <c>default</c>).</summary>
    public string? DefaultFlowId { get; init; }
}

public enum TaskKind { None, Service, User, Script, Send, Receive, Manual }

/// <summary><c>ops:task</c>: which executor runs a service or send task, with retry and timeout.</summary>
public sealed record TaskDefinition(string Type, int Retries, TimeSpan? Timeout, TimeSpan RetryBackoff);

/// <summary>A user task's assignment.</summary>
public sealed record UserTaskDefinition
{
    public string? Assignee { get; init; }
    public IReadOnlyList<string> CandidateGroups { get; init; } = [];
    public IReadOnlyList<string> CandidateUsers { get; init; } = [];
    public string? DueDate { get; init; }
    public string? FormKey { get; init; }

    /// <summary>The form the task is worked with (<c>ops:form</c>); null when it has none.</summary>
    public WeOps.Engine.Forms.FormSchema? Form { get; init; }

    /// <summary>Set when the task is an approval (<c>ops:approval</c>).</summary>
    public ApprovalDefinition? Approval { get; init; }
}

public sealed record TaskNode : Activity
{
    public required TaskKind Kind { get; init; }
    public TaskDefinition? Task { get; init; }
    public string? Script { get; init; }
    public string? ScriptFormat { get; init; }
    public string? ResultVariable { get; init; }

    /// <summary>Receive task subscription, or the message a send task publishes.</summary>
    public MessageEventDefinition? Message { get; init; }
    public UserTaskDefinition? UserTask { get; init; }

    /// <summary>A send task's <c>ops:httpReply</c>: answers the hook call when the task is reached.</summary>
    public HttpReply? Reply { get; init; }
}

public sealed record SubProcess : Activity
{
    /// <summary>Event sub-processes are parsed so they can be reported; they are not run.</summary>
    public bool TriggeredByEvent { get; init; }
}

public sealed record CallActivity : Activity
{
    public required string CalledProcessKey { get; init; }

    /// <summary>A published version number, or null for the latest.</summary>
    public int? CalledVersion { get; init; }

    /// <summary>When true (the default) the child sees all of the caller's variables,
    /// and all of the child's variables are copied back; inputs and outputs narrow that.</summary>
    public bool PropagateAllVariables { get; init; } = true;

    /// <summary>Set for Camunda's <c>camunda:in variables="all"</c> beside other mappings: the child gets every
    /// variable of the caller, and the inputs on top.</summary>
    public bool PassAllIn { get; init; }

    /// <summary>Set for <c>camunda:out variables="all"</c>: every variable of the child comes back, the outputs on top.</summary>
    public bool PassAllOut { get; init; }
}
