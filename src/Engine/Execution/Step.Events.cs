using System.Text.Json.Nodes;
using WeOps.Engine.Model;

namespace WeOps.Engine.Execution;

internal sealed partial class Step
{
    private void EnterEndEvent(Token token, EndEvent end)
    {
        if (end.Reply is { } reply) Reply(token, end, reply);
        switch (end.Definition)
        {
            case TerminateEventDefinition:
                Record(HistoryKind.Completed, end, token);
                Terminate(token, end);
                break;
            case ErrorEventDefinition error:
                Record(HistoryKind.Completed, end, token);
                ThrowError(token, error.ErrorCode ?? "", $"error end event '{end.DisplayName}'");
                break;
            case MessageEventDefinition message:
                events.Add(new MessageThrown(message.MessageName, CorrelationKey(token, message), []));
                Leave(token);
                break;
            case SignalEventDefinition signal:
                events.Add(new SignalThrown(signal.SignalName, []));
                Leave(token);
                break;
            default:
                Leave(token);
                break;
        }
    }

    /// <summary>Records the reply the hook's caller waits for; the caller polls the history for it, so
    /// it arrives whichever node runs this step.</summary>
    private void Reply(Token token, FlowNode node, HttpReply reply)
    {
        var body = reply.Body is null ? null : expressions.EvaluateTemplate(reply.Body, VisibleVariables(token.ScopeId));
        Record(HistoryKind.Replied, node, token, new JsonObject { ["status"] = reply.Status, ["body"] = body?.DeepClone() }.ToJsonString());
    }

    private void EnterThrowEvent(Token token, IntermediateThrowEvent thrown)
    {
        switch (thrown.Definition)
        {
            case SignalEventDefinition signal:
                events.Add(new SignalThrown(signal.SignalName, []));
                break;
            case MessageEventDefinition message:
                events.Add(new MessageThrown(message.MessageName, CorrelationKey(token, message), []));
                break;
        }

        Leave(token);
    }

    /// <summary>A terminate end event ends every token of its own scope; the scope then completes
    /// (a sub-process continues after itself, the process ends).</summary>
    private void Terminate(Token token, EndEvent end)
    {
        var scope = ScopeOf(token);
        RemoveToken(token, checkScope: false);
        foreach (var other in state.Tokens.Where(t => t.ScopeId == scope.Id).ToList())
            CancelToken(other, $"terminated by '{end.DisplayName}'");
        Record(HistoryKind.Terminated, end, token);
        CheckScopeDone(scope);
    }

    /// <summary>Arms the wait of a catch event (or of an event-based gateway's target) for a token.</summary>
    private void WaitFor(Token token, string elementId, EventDefinition definition)
    {
        token.State = TokenState.Waiting;
        switch (definition)
        {
            case TimerEventDefinition timer:
                Arm(TimerSchedule.Arm(timer, EvaluateTimerValue(token, timer), now) with { Id = NextId(), TokenId = token.Id, ElementId = elementId });
                break;
            case MessageEventDefinition message:
                Arm(new MessageWait { Id = NextId(), TokenId = token.Id, ElementId = elementId, MessageName = message.MessageName, CorrelationKey = CorrelationKey(token, message) });
                break;
            case SignalEventDefinition signal:
                Arm(new SignalWait { Id = NextId(), TokenId = token.Id, ElementId = elementId, SignalName = signal.SignalName });
                break;
            default:
                RaiseIncident(token, IncidentKind.NoPathTaken, $"'{elementId}' waits for an event the engine cannot wait for.");
                break;
        }
    }

    private string EvaluateTimerValue(Token token, TimerEventDefinition timer) =>
        Expressions.ExpressionEvaluator.IsTemplate(timer.Value)
            ? expressions.EvaluateTemplate(timer.Value, VisibleVariables(token.ScopeId))?.ToString() ?? ""
            : timer.Value;

    private void ArmBoundaryEvents(Token token, Activity activity)
    {
        foreach (var boundary in graph.BoundaryEventsOf(activity))
        {
            if (boundary.Definition is TimerEventDefinition or MessageEventDefinition or SignalEventDefinition)
                WaitFor(token, boundary.Id, boundary.Definition);
        }
    }

    private string? OnTimerFired(TimerFired s) =>
        state.Waits.FirstOrDefault(w => w.Id == s.WaitId) is TimerWait { Approval: not null } approvalTimer
            ? OnApprovalTimer(approvalTimer)
            : OnEvent(s.WaitId, null, typeof(TimerWait), s.Actor);

    private string? OnEventDelivered(EventDelivered s) => OnEvent(s.WaitId, s.Variables, null);

    private string? OnEvent(int waitId, JsonObject? variables, Type? expected, string? actor = null)
    {
        var wait = state.Waits.FirstOrDefault(w => w.Id == waitId);
        if (wait is null) return $"wait {waitId} is no longer open";
        if (expected is not null && wait.GetType() != expected) return $"wait {waitId} is a {wait.GetType().Name}";
        if (wait is not (TimerWait or MessageWait or SignalWait)) return $"wait {waitId} is a {wait.GetType().Name}, not an event";
        var token = FindToken(wait.TokenId)!;
        var current = graph.Node(token.ElementId);
        var target = graph.Node(wait.ElementId);

        Guarded(token, () =>
        {
            if (target is BoundaryEvent boundary)
            {
                TriggerBoundary(token, boundary, wait, variables);
            }
            else if (current is Gateway { Kind: GatewayKind.EventBased } gateway)
            {
                DisarmWaitsOf(token);
                Record(HistoryKind.Completed, gateway, token);
                token.ElementId = target.Id;
                token.ArrivedVia = gateway.Outgoing.First(f => graph.Flow(f).TargetId == target.Id);
                Record(HistoryKind.Entered, target, token);
                ApplyResult(token, (target as Activity)?.Outputs ?? [], variables);
                Leave(token, actor);
            }
            else
            {
                ApplyResult(token, (target as Activity)?.Outputs ?? [], variables);
                Leave(token, actor);
            }
        });
        return null;
    }

    private void TriggerBoundary(Token activityToken, BoundaryEvent boundary, Wait wait, JsonObject? variables)
    {
        if (boundary.CancelActivity)
        {
            CancelToken(activityToken, $"interrupted by '{boundary.DisplayName}'");
        }
        else if (wait is TimerWait timer && TimerSchedule.Next(timer) is { } next)
        {
            Rearm(wait, next with { Id = NextId() });
        }
        else if (wait is TimerWait)
        {
            Disarm(wait);
        }

        var token = NewToken(boundary.Id, activityToken.ScopeId, null);
        if (variables is not null)
        {
            foreach (var (name, value) in variables)
                SetVariable(token.ScopeId, name, value);
        }

        Enqueue(token);
    }

    /// <summary>Throws a BPMN error from a token: the nearest enclosing activity with a matching error
    /// boundary catches it; uncaught, it fails a called instance (its caller gets the error) or leaves
    /// an incident on a top-level one.</summary>
    private void ThrowError(Token origin, string code, string message)
    {
        Record(HistoryKind.ErrorThrown, graph.Node(origin.ElementId), origin, $"error '{code}': {message}");
        var current = origin;
        var self = graph.Node(origin.ElementId) is Activity;
        while (true)
        {
            if (self && graph.Node(current.ElementId) is Activity activity && !IsLoopItem(current, activity)
                && CatchingBoundary(activity, code) is { } boundary)
            {
                CancelToken(current, $"error '{code}' caught by '{boundary.DisplayName}'");
                var token = NewToken(boundary.Id, current.ScopeId, null);
                SetVariable(token.ScopeId, "error", new JsonObject { ["code"] = code, ["message"] = message });
                var caught = (ErrorEventDefinition)boundary.Definition;
                if (caught.CodeVariable is { } codeVariable) SetVariable(token.ScopeId, codeVariable, code);
                if (caught.MessageVariable is { } messageVariable) SetVariable(token.ScopeId, messageVariable, message);
                Enqueue(token);
                return;
            }

            var owner = OwnerOf(ScopeOf(current));
            if (owner is null) break;
            current = owner;
            self = true;
        }

        if (state.Parent is not null)
        {
            FailInstance(code, message);
            return;
        }

        RaiseIncident(origin, IncidentKind.UnhandledError, $"Error '{code}' ({message}) was thrown and no boundary event catches it.");
    }

    private BoundaryEvent? CatchingBoundary(Activity activity, string code)
    {
        var errors = graph.BoundaryEventsOf(activity).Where(b => b.Definition is ErrorEventDefinition).ToList();
        return errors.FirstOrDefault(b => ((ErrorEventDefinition)b.Definition).ErrorCode == code)
            ?? errors.FirstOrDefault(b => ((ErrorEventDefinition)b.Definition).ErrorCode is null);
    }

    private void FailInstance(string code, string message)
    {
        foreach (var token in state.Tokens.Where(t => t.ScopeId == state.RootScope.Id).ToList())
            CancelToken(token, $"error '{code}'");
        state.Status = InstanceStatus.Failed;
        state.EndedAt = now;
        state.EndErrorCode = code;
        state.EndErrorMessage = message;
        Record(HistoryKind.InstanceFailed, null, null, $"error '{code}': {message}");
    }

    private string? OnVariablesUpdated(VariablesUpdated s)
    {
        foreach (var (name, value) in s.Variables)
            SetLocal(state.RootScope, name, value);
        Record(HistoryKind.VariablesUpdated, null, null, string.Join(", ", s.Variables.Select(v => v.Key)), s.Actor);
        return null;
    }

    private string? OnCancelled(InstanceCancelled s)
    {
        foreach (var token in state.Tokens.Where(t => t.ScopeId == state.RootScope.Id).ToList())
            CancelToken(token, s.Reason ?? "instance cancelled");
        state.Incidents.Clear();
        state.Status = InstanceStatus.Cancelled;
        state.EndedAt = now;
        Record(HistoryKind.InstanceCancelled, null, null, s.Reason, s.Actor);
        return null;
    }
}
