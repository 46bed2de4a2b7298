using WeOps.Engine.Model;

namespace WeOps.Engine.Validation;

/// <summary>Sequence flows and gateways: every flow connects two elements of one scope, decisions
/// have conditions, and every element can be reached and leads somewhere.</summary>
internal static class FlowRules
{
    public static void Check(ProcessCheck check)
    {
        foreach (var flow in check.Flows) CheckFlow(check, flow);
        foreach (var gateway in check.Nodes.OfType<Gateway>()) CheckGateway(check, gateway);
        foreach (var activity in check.Nodes.OfType<Activity>()) CheckActivityDefault(check, activity);
        CheckDeadEnds(check);
        CheckReachability(check);
    }

    private static void CheckFlow(ProcessCheck check, SequenceFlow flow)
    {
        var source = End(check, flow, flow.SourceId, ProblemCodes.FlowNoSource, ProblemCodes.FlowSourceMissing);
        var target = End(check, flow, flow.TargetId, ProblemCodes.FlowNoTarget, ProblemCodes.FlowTargetMissing);
        if ((source is not null && source.ScopeId != flow.ScopeId) || (target is not null && target.ScopeId != flow.ScopeId))
        {
            check.Error(flow, ProblemCodes.FlowCrossesSubProcess);
        }

        if (target is StartEvent or BoundaryEvent)
            check.Error(flow, ProblemCodes.FlowIntoStart, ("target", ProcessCheck.NameOf(target)));
        if (source is EndEvent)
            check.Error(flow, ProblemCodes.FlowOutOfEnd, ("source", ProcessCheck.NameOf(source)));

        if (flow.Condition is null || source is null or UnsupportedNode) return;
        switch (source)
        {
            case Gateway { Kind: GatewayKind.Exclusive or GatewayKind.Inclusive } gateway when gateway.DefaultFlowId == flow.Id:
                check.Warning(flow, ProblemCodes.ConditionIgnoredOnDefault, ("gateway", ProcessCheck.NameOf(gateway)));
                break;
            case Gateway { Kind: GatewayKind.Exclusive or GatewayKind.Inclusive }:
                check.CheckExpression(flow, "condition", flow.Condition);
                break;
            case Gateway { Kind: GatewayKind.Parallel } gateway:
                check.Warning(flow, ProblemCodes.ConditionIgnoredAfterParallel, ("gateway", ProcessCheck.NameOf(gateway)));
                break;
            case Activity activity when activity.DefaultFlowId == flow.Id:
                check.Warning(flow, ProblemCodes.ConditionIgnoredOnActivityDefault, ("activity", ProcessCheck.NameOf(activity)));
                break;
            case Gateway { Kind: GatewayKind.EventBased } gateway:
                check.Warning(flow, ProblemCodes.ConditionIgnoredAfterEventGateway, ("gateway", ProcessCheck.NameOf(gateway)));
                break;
            // An activity or an event leaving by conditional flows: the token takes each flow whose condition holds.
            default:
                check.CheckExpression(flow, "condition", flow.Condition);
                break;
        }
    }

    private static FlowNode? End(ProcessCheck check, SequenceFlow flow, string id, ProblemCode none, ProblemCode missing)
    {
        if (id.Length == 0)
        {
            check.Error(flow, none);
            return null;
        }

        var node = check.NodeOrNull(id);
        if (node is null)
            check.Error(flow, missing, ("id", id));
        return node;
    }

    private static void CheckGateway(ProcessCheck check, Gateway gateway)
    {
        if (gateway.Kind is not (GatewayKind.Exclusive or GatewayKind.Inclusive)) return;
        if (gateway.DefaultFlowId is { } defaultFlow && !gateway.Outgoing.Contains(defaultFlow))
        {
            check.Error(gateway, ProblemCodes.GatewayDefaultNotOutgoing, ("flow", defaultFlow));
        }

        if (gateway.Outgoing.Count < 2) return;
        foreach (var flowId in gateway.Outgoing)
        {
            if (flowId == gateway.DefaultFlowId || !check.Process.TryGetFlow(flowId, out var flow) || flow.Condition is not null) continue;
            check.Error(flow, ProblemCodes.GatewayFlowWithoutCondition, ("gateway", ProcessCheck.NameOf(gateway)));
        }
    }

    /// <summary>An activity's default flow is taken when no other outgoing flow is; one that does not leave it
    /// would never be taken.</summary>
    private static void CheckActivityDefault(ProcessCheck check, Activity activity)
    {
        if (activity.DefaultFlowId is { } defaultFlow && !activity.Outgoing.Contains(defaultFlow))
            check.Error(activity, ProblemCodes.ActivityDefaultNotOutgoing, ("flow", defaultFlow));
    }

    private static void CheckDeadEnds(ProcessCheck check)
    {
        foreach (var node in check.Nodes)
        {
            if (node.Outgoing.Count > 0 || node is EndEvent or UnsupportedNode or SubProcess { TriggeredByEvent: true }) continue;
            if (node is BoundaryEvent)
                check.Error(node, ProblemCodes.BoundaryNoOutgoing);
            else
                check.Warning(node, ProblemCodes.DeadEnd);
        }
    }

    /// <summary>One walk from every start event (and from unsupported elements nothing leads to, which
    /// are reported already and may be entered in ways the engine does not follow, like links).</summary>
    private static void CheckReachability(ProcessCheck check)
    {
        var attached = check.Nodes.OfType<Activity>().SelectMany(a => a.BoundaryEventIds).ToHashSet(StringComparer.Ordinal);
        var reached = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<FlowNode>();
        foreach (var node in check.Nodes)
        {
            var isSeed = node is StartEvent
                || (node is UnsupportedNode && node.Incoming.Count == 0)
                || (node is BoundaryEvent && !attached.Contains(node.Id));
            if (isSeed && reached.Add(node.Id)) pending.Enqueue(node);
        }

        while (pending.TryDequeue(out var node))
        {
            var next = node.Outgoing.Select(f => check.Process.TryGetFlow(f, out var flow) ? flow.TargetId : string.Empty);
            if (node is Activity activity) next = next.Concat(activity.BoundaryEventIds);
            foreach (var id in next)
            {
                if (check.NodeOrNull(id) is { } target && reached.Add(id)) pending.Enqueue(target);
            }
        }

        var scopesWithStart = check.Nodes.OfType<StartEvent>().Select(s => s.ScopeId ?? string.Empty).ToHashSet(StringComparer.Ordinal);
        foreach (var node in check.Nodes)
        {
            // Nothing to add where the scope has no start event (an error already), for boundary events
            // of an unreachable activity, and for what is reported as unsupported.
            if (reached.Contains(node.Id) || !scopesWithStart.Contains(node.ScopeId ?? string.Empty)
                || node is BoundaryEvent or UnsupportedNode or SubProcess { TriggeredByEvent: true }) continue;
            if (node.Incoming.Count == 0) check.Warning(node, ProblemCodes.Unconnected);
            else check.Warning(node, ProblemCodes.Unreachable, ("scope", node.ScopeId is null ? "process" : "sub-process"));
        }
    }
}
