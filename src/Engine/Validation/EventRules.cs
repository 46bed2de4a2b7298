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
                        check.Error(end, ProblemCodes.ErrorEndNoCode);
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
                check.Error(node, ProblemCodes.MessageWaitUnnamed);
                break;
            case MessageEventDefinition { CorrelationKey: null }:
                check.Warning(node, ProblemCodes.MessageNoCorrelation);
                break;
            case MessageEventDefinition message:
                check.CheckTemplate(node, "correlation key", message.CorrelationKey);
                break;
            case SignalEventDefinition { SignalName.Length: 0 }:
                check.Error(node, ProblemCodes.SignalWaitUnnamed);
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
                check.Error(node, ProblemCodes.MessageUnnamed, ("role", role));
                break;
            case MessageEventDefinition message:
                check.CheckTemplate(node, "correlation key", message.CorrelationKey);
                break;
            case SignalEventDefinition { SignalName.Length: 0 }:
                check.Error(node, ProblemCodes.SignalUnnamed, ("role", role));
                break;
            case TimerEventDefinition timer:
                CheckTimer(check, node, timer);
                break;
        }
    }

    private static void CheckTimer(ProcessCheck check, FlowNode node, TimerEventDefinition timer)
    {
        if (timer.Value.Length == 0)
            check.Error(node, ProblemCodes.TimerNoValue);
        else if (timer.Value.Contains("${", StringComparison.Ordinal))
            check.CheckTemplate(node, "timer", timer.Value);
        else if (TimerSchedule.Check(timer.Kind, timer.Value, timer.TimeZone) is { } error)
            check.Error(node, ProblemCodes.TimerInvalid, ("error", error));
    }

    private static void CheckBoundary(ProcessCheck check, BoundaryEvent boundary)
    {
        var host = check.NodeOrNull(boundary.AttachedToId);
        if (host is UnsupportedNode) return;
        if (host is not Activity)
        {
            if (boundary.AttachedToId.Length == 0) check.Error(boundary, ProblemCodes.BoundaryOnNothing);
            else if (host is null) check.Error(boundary, ProblemCodes.BoundaryOnMissing, ("host", boundary.AttachedToId));
            else check.Error(boundary, ProblemCodes.BoundaryOnNonActivity, ("host", ProcessCheck.NameOf(host)));
        }
        else if (host.ScopeId != boundary.ScopeId)
        {
            check.Error(boundary, ProblemCodes.BoundaryOtherScope, ("host", ProcessCheck.NameOf(host)));
        }

        if (boundary.Definition is ErrorEventDefinition && !boundary.CancelActivity)
            check.Error(boundary, ProblemCodes.ErrorBoundaryNonInterrupting);
        else
            CheckWait(check, boundary, boundary.Definition);
    }

    private static void CheckEventBasedGateway(ProcessCheck check, Gateway gateway)
    {
        if (gateway.Outgoing.Count < 2)
        {
            check.Error(gateway, ProblemCodes.EventGatewayTooFewPaths);
        }

        foreach (var flowId in gateway.Outgoing)
        {
            if (!check.Process.TryGetFlow(flowId, out var flow) || check.NodeOrNull(flow.TargetId) is not { } target) continue;
            var waits = target is IntermediateCatchEvent { Definition: TimerEventDefinition or MessageEventDefinition or SignalEventDefinition }
                or TaskNode { Kind: TaskKind.Receive }
                or UnsupportedNode;
            if (!waits)
            {
                check.Error(target, ProblemCodes.EventGatewayTargetNotEvent, ("gateway", ProcessCheck.NameOf(gateway)));
            }
        }
    }
}
