namespace WeOps.Engine.Model;

/// <summary>What an event waits for or throws.</summary>
public abstract record EventDefinition;

public sealed record MessageEventDefinition(string MessageName, string? CorrelationKey) : EventDefinition;

public sealed record SignalEventDefinition(string SignalName) : EventDefinition;

/// <summary>An error by code; a catching definition with a null code catches every error.</summary>
public sealed record ErrorEventDefinition(string? ErrorCode, string? ErrorName) : EventDefinition
{
    /// <summary>On an error boundary event: the variable that receives the caught error's code (Camunda's
    /// <c>errorCodeVariable</c>); the variable <c>error</c> is set in any case.</summary>
    public string? CodeVariable { get; init; }

    /// <summary>Likewise for the error's message (<c>errorMessageVariable</c>).</summary>
    public string? MessageVariable { get; init; }
}

public sealed record TerminateEventDefinition : EventDefinition;

public enum TimerKind { Date, Duration, Cycle, Cron }

/// <summary>A timer: the value is ISO 8601 (date, duration, repeating interval) or a Quartz cron expression.
/// It may be a <c>${expr}</c> template evaluated when the timer is armed.</summary>
public sealed record TimerEventDefinition(TimerKind Kind, string Value) : EventDefinition
{
    /// <summary>The IANA or Windows time zone a cron expression is read in (<c>ops:cron timeZone</c>); null: UTC.</summary>
    public string? TimeZone { get; init; }

    /// <summary>For a timer start event: what to do about occurrences missed during downtime (<c>ops:cron misfire</c>).</summary>
    public MisfirePolicy Misfire { get; init; } = MisfirePolicy.FireOnce;
}

public sealed record StartEvent : FlowNode
{
    public EventDefinition? Definition { get; init; }

    /// <summary><c>ops:http</c>: the hook that starts the process here.</summary>
    public HttpTrigger? Http { get; init; }

    /// <summary>The form a person fills to start the process here (<c>ops:form</c> on a none start event).</summary>
    public WeOps.Engine.Forms.FormSchema? Form { get; init; }

    /// <summary>The variable that receives the user who started the instance (Camunda's <c>initiator</c>);
    /// null when the process has none.</summary>
    public string? InitiatorVariable { get; init; }
}

public sealed record EndEvent : FlowNode
{
    public EventDefinition? Definition { get; init; }

    /// <summary><c>ops:httpReply</c>: the answer to the hook call that started the instance.</summary>
    public HttpReply? Reply { get; init; }
}

public sealed record IntermediateCatchEvent : FlowNode
{
    public required EventDefinition Definition { get; init; }
}

public sealed record IntermediateThrowEvent : FlowNode
{
    public EventDefinition? Definition { get; init; }
}

public sealed record BoundaryEvent : FlowNode
{
    public required string AttachedToId { get; init; }
    public bool CancelActivity { get; init; } = true;
    public required EventDefinition Definition { get; init; }
}
