using System.Globalization;
using System.Xml.Linq;
using WeOps.Engine.Forms;
using WeOps.Engine.Model;
using static WeOps.Engine.Parsing.BpmnNamespaces;
using static WeOps.Engine.Parsing.ParseContext;

namespace WeOps.Engine.Parsing;

/// <summary>Turns one BPMN flow-node element into a <see cref="FlowNode"/>. What the engine cannot run
/// becomes an <see cref="UnsupportedNode"/> whose reason the validator reports.</summary>
internal sealed class NodeReader(ParseContext context)
{
    private const string DefinitionSuffix = "EventDefinition";

    /// <summary>The triggers each kind of event supports ("none" is an event without a definition).
    /// Error start events are read for event sub-processes; the validator refuses them elsewhere.</summary>
    private static readonly Dictionary<string, string[]> SupportedTriggers = new(StringComparer.Ordinal)
    {
        ["startEvent"] = ["none", "message", "timer", "signal", "error"],
        ["endEvent"] = ["none", "terminate", "error", "message", "signal"],
        ["intermediateCatchEvent"] = ["timer", "message", "signal"],
        ["intermediateThrowEvent"] = ["none", "signal", "message"],
        ["boundaryEvent"] = ["timer", "message", "error", "signal"],
    };

    private readonly ExtensionReader extensions = new(context);
    private readonly CamundaReader camunda = new(context);

    public FlowNode Read(XElement element, string id, string? scopeId)
    {
        var node = element.Name.LocalName switch
        {
            "startEvent" or "endEvent" or "intermediateCatchEvent" or "intermediateThrowEvent" or "boundaryEvent" => Event(element, id),
            "exclusiveGateway" => Gateway(element, id, GatewayKind.Exclusive),
            "parallelGateway" => Gateway(element, id, GatewayKind.Parallel),
            "inclusiveGateway" => Gateway(element, id, GatewayKind.Inclusive),
            "eventBasedGateway" => Gateway(element, id, GatewayKind.EventBased),
            "task" => Task(element, id, TaskKind.None),
            "serviceTask" => Task(element, id, TaskKind.Service),
            "userTask" => Task(element, id, TaskKind.User),
            "scriptTask" => Task(element, id, TaskKind.Script),
            "sendTask" => Task(element, id, TaskKind.Send),
            "receiveTask" => Task(element, id, TaskKind.Receive),
            "manualTask" => Task(element, id, TaskKind.Manual),
            "subProcess" => Activity(element, id, new SubProcess
            {
                Id = id,
                ElementType = element.Name.LocalName,
                TriggeredByEvent = extensions.Bool(element, "triggeredByEvent", false, element, id),
            }),
            "callActivity" => Activity(element, id, CallActivity(element, id)),
            "businessRuleTask" => Unsupported(element, id, "Business rule tasks (DMN decisions) are not supported: use a script task or a service task."),
            "complexGateway" => Unsupported(element, id, "Complex gateways are not supported yet: use an inclusive or an exclusive gateway."),
            "adHocSubProcess" => Unsupported(element, id, "Ad-hoc sub-processes are not supported yet: use a sub-process with parallel branches."),
            "transaction" => Unsupported(element, id, "Transactions are not supported yet: use a sub-process with error boundary events."),
            var other => Unsupported(element, id, $"<{other}> elements are not supported by the engine."),
        };

        CheckTriggerPlacement(element, id, node);
        return node with
        {
            Name = NonEmpty((string?)element.Attribute("name")),
            ScopeId = scopeId,
            Line = LineOf(element) ?? 0,
        };
    }

    private FlowNode Event(XElement element, string id)
    {
        var type = element.Name.LocalName;
        var definitions = element.Elements()
            .Where(e => e.Name.Namespace == Bpmn && (e.Name.LocalName.EndsWith(DefinitionSuffix, StringComparison.Ordinal) || e.Name.LocalName == "eventDefinitionRef"))
            .ToList();
        if (definitions.Count > 1)
            return Unsupported(element, id, "Events with several triggers (multiple events) are not supported: use one event per trigger.");
        var definition = definitions.Count == 1 ? definitions[0] : null;
        if (definition?.Name.LocalName == "eventDefinitionRef")
            return Unsupported(element, id, "Triggers shared by reference (eventDefinitionRef) are not supported: define the trigger inside the event.");

        var trigger = definition is null ? "none" : definition.Name.LocalName[..^DefinitionSuffix.Length];
        if (UnsupportedTrigger(type, trigger) is { } reason) return Unsupported(element, id, reason);

        var read = definition is null ? null : Definition(definition, element, id);
        return type switch
        {
            "startEvent" => new StartEvent
            {
                Id = id,
                ElementType = type,
                Definition = StartTrigger(element, id, read),
                Http = extensions.Http(element, id),
                Form = StartForm(element, id, definition),
                InitiatorVariable = CamundaReader.Initiator(element),
            },
            "endEvent" => new EndEvent { Id = id, ElementType = type, Definition = read, Reply = extensions.HttpReply(element, id) },
            "intermediateCatchEvent" => new IntermediateCatchEvent { Id = id, ElementType = type, Definition = read! },
            "intermediateThrowEvent" => new IntermediateThrowEvent { Id = id, ElementType = type, Definition = read },
            _ => new BoundaryEvent
            {
                Id = id,
                ElementType = type,
                AttachedToId = NonEmpty((string?)element.Attribute("attachedToRef")) ?? string.Empty,
                CancelActivity = extensions.Bool(element, "cancelActivity", true, element, id),
                Definition = read!,
            },
        };
    }

    /// <summary>A start form belongs to a none start event, the one a person starts from; on a message, timer or
    /// signal start nobody fills it, which is reported.</summary>
    private FormSchema? StartForm(XElement element, string id, XElement? definition)
    {
        var form = extensions.Form(element, id);
        if (form is null || definition is null) return form;
        context.Warning(id, $"{Describe(element)}: ops:form on a {definition.Name.LocalName[..^DefinitionSuffix.Length]} start event is never shown: only a none start event has a start form.", OpsElement(element, "form"));
        return null;
    }

    /// <summary>An <c>ops:alert</c> start event is a none start event in BPMN terms (what modelers draw);
    /// the extension makes it a trigger, which cannot be combined with a standard one.</summary>
    private EventDefinition? StartTrigger(XElement element, string id, EventDefinition? standard)
    {
        var alert = extensions.Alert(element, id);
        if (alert is null) return standard;
        if (standard is not null)
        {
            context.Error(id, $"{Describe(element)} has both a {standard.GetType().Name.Replace("EventDefinition", "", StringComparison.Ordinal).ToLowerInvariant()} trigger and ops:alert: " +
                "an event has one trigger, so use a start event without an event definition for the alert.", OpsElement(element, "alert"));
            return standard;
        }

        return alert;
    }

    private static string? UnsupportedTrigger(string eventType, string trigger)
    {
        if (SupportedTriggers[eventType].Contains(trigger)) return null;
        return (eventType, trigger) switch
        {
            (_, "escalation") => "Escalation events are not supported yet.",
            (_, "compensate") => "Compensation events are not supported yet.",
            (_, "conditional") => "Conditional events are not supported yet: wait for a message, or decide with a gateway.",
            (_, "link") => "Link events are not supported yet: connect the sequence flow directly.",
            (_, "cancel") => "Cancel events are not supported yet (they belong to transactions).",
            ("intermediateCatchEvent", "none") => "An intermediate catch event must wait for something: give it a timer, a message or a signal.",
            ("boundaryEvent", "none") => "A boundary event needs a trigger: a timer, a message, a signal or an error.",
            _ => $"A {trigger} trigger cannot be used on {Article(eventType)}.",
        };
    }

    private EventDefinition? Definition(XElement definition, XElement owner, string ownerId)
    {
        switch (definition.Name.LocalName)
        {
            case "messageEventDefinition":
                return new MessageEventDefinition(context.MessageName(definition, ownerId, owner), ExtensionReader.CorrelationKey(owner));
            case "signalEventDefinition":
                return new SignalEventDefinition(context.SignalName(definition, ownerId, owner));
            case "errorEventDefinition":
                var (code, name) = context.ErrorReference(definition, ownerId, owner);
                return new ErrorEventDefinition(code, name)
                {
                    CodeVariable = NonEmpty((string?)definition.Attribute(Camunda + "errorCodeVariable")),
                    MessageVariable = NonEmpty((string?)definition.Attribute(Camunda + "errorMessageVariable")),
                };
            case "terminateEventDefinition":
                return new TerminateEventDefinition();
            case "timerEventDefinition":
                return Timer(definition, owner, ownerId);
            default:
                return null;
        }
    }

    private TimerEventDefinition Timer(XElement definition, XElement owner, string ownerId)
    {
        var cronElement = OpsElement(owner, "cron");
        if (NonEmpty((string?)cronElement?.Attribute("expression")) is { } cron)
        {
            return new TimerEventDefinition(TimerKind.Cron, cron)
            {
                TimeZone = NonEmpty((string?)cronElement!.Attribute("timeZone")),
                Misfire = extensions.Misfire(cronElement, owner, ownerId),
            };
        }

        foreach (var child in definition.Elements().Where(e => e.Name.Namespace == Bpmn))
        {
            var value = child.Value.Trim();
            switch (child.Name.LocalName)
            {
                case "timeDate":
                    return new TimerEventDefinition(TimerKind.Date, value);
                case "timeDuration":
                    return new TimerEventDefinition(TimerKind.Duration, value);
                case "timeCycle":
                    // Camunda 7 accepts a cron expression as a cycle; ISO cycles start with R.
                    var isCron = !value.StartsWith('R') && !value.Contains("${", StringComparison.Ordinal) && value.Contains(' ', StringComparison.Ordinal);
                    // ops:cron without an expression still sets the misfire policy of a standard cycle.
                    return new TimerEventDefinition(isCron ? TimerKind.Cron : TimerKind.Cycle, value)
                    {
                        TimeZone = NonEmpty((string?)cronElement?.Attribute("timeZone")),
                        Misfire = cronElement is null ? MisfirePolicy.FireOnce : extensions.Misfire(cronElement, owner, ownerId),
                    };
            }
        }

        // No value: the validator asks for one.
        return new TimerEventDefinition(TimerKind.Duration, string.Empty);
    }

    private static Gateway Gateway(XElement element, string id, GatewayKind kind) => new()
    {
        Id = id,
        ElementType = element.Name.LocalName,
        Kind = kind,
        DefaultFlowId = NonEmpty((string?)element.Attribute("default")),
    };

    private FlowNode Task(XElement element, string id, TaskKind kind)
    {
        var task = new TaskNode { Id = id, ElementType = element.Name.LocalName, Kind = kind };
        if (kind != TaskKind.User && OpsElement(element, "approval") is { } approval)
            context.Error(id, $"{Describe(element)} has <ops:approval>, which only a user task can carry: make it a user task.", approval);
        task = kind switch
        {
            TaskKind.Service => task with { Task = extensions.Task(element, id) },
            TaskKind.Send => task with
            {
                Task = extensions.Task(element, id),
                Message = element.Attribute("messageRef") is null ? null : Message(element, id),
                Reply = extensions.HttpReply(element, id),
            },
            TaskKind.Receive => task with { Message = Message(element, id) },
            TaskKind.User => task with { UserTask = extensions.UserTask(element, id) },
            TaskKind.Script => task with
            {
                Script = NonEmpty(element.Element(Bpmn + "script")?.Value),
                ScriptFormat = NonEmpty((string?)element.Attribute("scriptFormat")),
                ResultVariable = NonEmpty((string?)OpsElement(element, "script")?.Attribute("resultVariable"))
                    ?? NonEmpty((string?)element.Attribute(Camunda + "resultVariable")),
            },
            _ => task,
        };
        return Activity(element, id, task);
    }

    private MessageEventDefinition Message(XElement task, string id) =>
        new(context.MessageName(task, id, task), ExtensionReader.CorrelationKey(task));

    private CallActivity CallActivity(XElement element, string id)
    {
        var called = OpsElement(element, "calledProcess");
        var versionText = NonEmpty((string?)called?.Attribute("version"))
            ?? ((string?)element.Attribute(Camunda + "calledElementBinding") == "version" ? NonEmpty((string?)element.Attribute(Camunda + "calledElementVersion")) : null);
        int? version = null;
        if (versionText is not null && versionText != "latest")
        {
            if (int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0)
                version = number;
            else
                context.Error(id, $"{Describe(element)}: called process version \"{versionText}\" is neither \"latest\" nor a version number.", called ?? element);
        }

        // Camunda's in/out mappings say what crosses, like ops:input and ops:output; without them everything does.
        var mappings = camunda.CallMappings(element, id);
        return new CallActivity
        {
            Id = id,
            ElementType = element.Name.LocalName,
            CalledProcessKey = NonEmpty((string?)called?.Attribute("key")) ?? NonEmpty((string?)element.Attribute("calledElement")) ?? string.Empty,
            CalledVersion = version,
            PropagateAllVariables = called is null ? mappings is null : extensions.Bool(called, "propagateAllVariables", true, element, id),
            PassAllIn = mappings?.AllIn ?? false,
            PassAllOut = mappings?.AllOut ?? false,
            Inputs = mappings?.Inputs ?? [],
            Outputs = mappings?.Outputs ?? [],
        };
    }

    /// <summary>Adds what every activity has, unless a marker makes the activity one we cannot run.</summary>
    private FlowNode Activity(XElement element, string id, Activity activity)
    {
        if (element.Element(Bpmn + "standardLoopCharacteristics") is not null)
            return Unsupported(element, id, "Standard loops (repeat while a condition holds) are not supported: use a multi-instance marker, or a gateway that loops back.");
        if (extensions.Bool(element, "isForCompensation", false, element, id))
            return Unsupported(element, id, "Compensation handlers are not supported yet.");

        return activity with
        {
            Inputs = [.. extensions.Mappings(element, "input", id), .. camunda.Parameters(element, "inputParameter", id), .. activity.Inputs],
            Outputs = [.. extensions.Mappings(element, "output", id), .. camunda.Parameters(element, "outputParameter", id), .. activity.Outputs],
            Loop = extensions.Loop(element, id),
            DefaultFlowId = NonEmpty((string?)element.Attribute("default")),
        };
    }

    /// <summary>ops:http starts a process and ops:httpReply answers its caller: anywhere else they would be
    /// silently ignored, so they are errors there.</summary>
    private void CheckTriggerPlacement(XElement element, string id, FlowNode node)
    {
        if (OpsElement(element, "http") is { } http && node is not StartEvent)
            context.Error(id, $"{Describe(element)} has <ops:http>, which only a start event can have: move it to the start event the call should start.", http);
        if (OpsElement(element, "httpReply") is { } reply && node is not (EndEvent or TaskNode { Kind: TaskKind.Send }))
            context.Error(id, $"{Describe(element)} has <ops:httpReply>, which only an end event or a send task can have.", reply);
    }

    private static UnsupportedNode Unsupported(XElement element, string id, string reason) =>
        new() { Id = id, ElementType = element.Name.LocalName, Reason = reason };

    private static string Article(string eventType) => eventType switch
    {
        "startEvent" => "a start event",
        "endEvent" => "an end event",
        "intermediateCatchEvent" => "an intermediate catch event",
        "intermediateThrowEvent" => "an intermediate throw event",
        _ => "a boundary event",
    };
}
