using WeOps.Engine.Execution;
using WeOps.Engine.Model;

namespace WeOps.Engine.Validation;

/// <summary>What events wait for and throw: timers that can be scheduled, messages and signals with
/// names, boundary events on activities, event-based gateways followed by events.</summary>
internal static class EventRules
{
    public static void Check(ProcessCheck check)
    {
        foreach (var node in check.Nodes)
        {
            switch (node)
            {
                case StartEvent start:
                    CheckThrownOrStarting(check, start, start.Definition, "that starts the process");
                    break;
                case IntermediateCatchEvent catchEvent:
                    CheckWait(check, catchEvent, catchEvent.Definition);
                    break;
                case IntermediateThrowEvent throwEvent:
                    CheckThrownOrStarting(check, throwEvent, throwEvent.Definition, "it sends");
                    break;
                case EndEvent end:
                    CheckThrownOrStarting(check, end, end.Definition, "it sends");
                    if (end.Definition is ErrorEventDefinition { ErrorCode: null })
                        check.Error(end, $"Error end event {end.DisplayName} names no error code: choose an error with an error code for it to throw.");
                    break;
                case BoundaryEvent boundary:
                    CheckBoundary(check, boundary);
                    break;
                case TaskNode { Kind: TaskKind.Receive } receive:
                    CheckWait(check, receive, receive.Message ?? new MessageEventDefinition(string.Empty, null));
                    break;
                case TaskNode { Kind: TaskKind.Send, Task: null, Message: { } message } send:
                    CheckThrownOrStarting(check, send, message, "it sends");
                    break;
                case Gateway { Kind: GatewayKind.EventBased } gateway:
                    CheckEventBasedGateway(check, gateway);
                    break;
            }
        }
    }

    /// <summary>Something waits here: a named message (with a correlation key, or every instance gets
    /// it), a named signal, or a timer.</summary>
    private static void CheckWait(ProcessCheck check, FlowNode node, EventDefinition definition)
    {
        switch (definition)
        {
            case MessageEventDefinition { MessageName.Length: 0 }:
                check.Error(node, $"{node.DisplayName} waits for a message but names none: choose the message it waits for.");
                break;
            case MessageEventDefinition { CorrelationKey: null }:
                check.Warning(node, $"{node.DisplayName} has no correlation key (ops:subscription correlationKey), so every instance waiting for this message receives it. " +
                    "Set a key such as ${orderId} if the message is meant for one instance.");
                break;
            case MessageEventDefinition message:
                check.CheckTemplate(node, "correlation key", message.CorrelationKey);
                break;
            case SignalEventDefinition { SignalName.Length: 0 }:
                check.Error(node, $"{node.DisplayName} waits for a signal but names none: choose the signal it waits for.");
                break;
            case TimerEventDefinition timer:
                CheckTimer(check, node, timer);
                break;
        }
    }

    private static void CheckThrownOrStarting(ProcessCheck check, FlowNode node, EventDefinition? definition, string role)
    {
        switch (definition)
        {
            case MessageEventDefinition { MessageName.Length: 0 }:
                check.Error(node, $"{node.DisplayName} names no message: choose the message {role}.");
                break;
            case MessageEventDefinition message:
                check.CheckTemplate(node, "correlation key", message.CorrelationKey);
                break;
            case SignalEventDefinition { SignalName.Length: 0 }:
                check.Error(node, $"{node.DisplayName} names no signal: choose the signal {role}.");
                break;
            case TimerEventDefinition timer:
                CheckTimer(check, node, timer);
                break;
        }
    }

    private static void CheckTimer(ProcessCheck check, FlowNode node, TimerEventDefinition timer)
    {
        if (timer.Value.Length == 0)
            check.Error(node, $"{node.DisplayName} has a timer without a value: set a date, a duration or a cycle.");
        else if (timer.Value.Contains("${", StringComparison.Ordinal))
            check.CheckTemplate(node, "timer", timer.Value);
        else if (TimerSchedule.Check(timer.Kind, timer.Value, timer.TimeZone) is { } error)
            check.Error(node, $"{node.DisplayName}: the timer {error}");
    }

    private static void CheckBoundary(ProcessCheck check, BoundaryEvent boundary)
    {
        var host = check.NodeOrNull(boundary.AttachedToId);
        if (host is UnsupportedNode) return;
        if (host is not Activity)
        {
            var what = boundary.AttachedToId.Length == 0 ? "nothing"
                : host is null ? $"'{boundary.AttachedToId}', which is not in the process,"
                : $"{host.DisplayName}, which is not a task, sub-process or call activity,";
            check.Error(boundary, $"Boundary event {boundary.DisplayName} is attached to {what} so it can never fire: attach it to an activity.");
        }
        else if (host.ScopeId != boundary.ScopeId)
        {
            check.Error(boundary, $"Boundary event {boundary.DisplayName} is not in the same process or sub-process as {host.DisplayName}, which it is attached to.");
        }

        if (boundary.Definition is ErrorEventDefinition && !boundary.CancelActivity)
            check.Error(boundary, $"Error boundary event {boundary.DisplayName} is non-interrupting, but an error always ends the activity: make it interrupting.");
        else
            CheckWait(check, boundary, boundary.Definition);
    }

    private static void CheckEventBasedGateway(ProcessCheck check, Gateway gateway)
    {
        if (gateway.Outgoing.Count < 2)
        {
            check.Error(gateway, $"Event-based gateway {gateway.DisplayName} needs at least two outgoing flows, each to an event to wait for: " +
                "the first event that happens decides the path.");
        }

        foreach (var flowId in gateway.Outgoing)
        {
            if (!check.Process.TryGetFlow(flowId, out var flow) || check.NodeOrNull(flow.TargetId) is not { } target) continue;
            var waits = target is IntermediateCatchEvent { Definition: TimerEventDefinition or MessageEventDefinition or SignalEventDefinition }
                or TaskNode { Kind: TaskKind.Receive }
                or UnsupportedNode;
            if (!waits)
            {
                check.Error(target, $"{target.DisplayName} follows event-based gateway {gateway.DisplayName}, but only timer, message or signal " +
                    "catch events and receive tasks can: the gateway waits for one of them to happen.");
            }
        }
    }
}
