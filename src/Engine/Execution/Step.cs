using System.Text.Json.Nodes;
using WeOps.Engine.Executors;
using WeOps.Engine.Expressions;
using WeOps.Engine.Model;

namespace WeOps.Engine.Execution;

/// <summary>One interpreter step: applies a stimulus to a (cloned) state and runs tokens until all wait.
/// This file holds the token queue, scopes and the effects; behaviours per element kind live in the
/// other Step.*.cs files.</summary>
internal sealed partial class Step(ProcessGraph graph, InstanceState state, DateTimeOffset now, ExpressionEvaluator expressions, InterpreterOptions options,
    ExecutorCatalog? executors)
{
    private readonly Queue<Token> queue = new();
    private readonly List<Wait> armed = [];
    private readonly List<Wait> disarmed = [];
    private readonly List<Wait> updated = [];
    private readonly List<HistoryEntry> history = [];
    private readonly List<OutboundEvent> events = [];
    private int steps;

    public void Start(StartRequest request)
    {
        var root = NewScope(ScopeKind.Process, parent: null, elementId: null, ownerTokenId: null);
        if (request.Variables is not null)
        {
            foreach (var (name, value) in request.Variables)
                root.Variables[name] = value?.DeepClone();
        }

        Record(HistoryKind.InstanceStarted, null, null, null, request.StartEventId);
        var start = request.StartEventId is null
            ? graph.DefaultStartEvent() ?? throw new InvalidOperationException($"Process '{graph.Key}' has no none start event; name the start event to begin at.")
            : graph.Node(request.StartEventId) as StartEvent ?? throw new InvalidOperationException($"'{request.StartEventId}' is not a start event of process '{graph.Key}'.");
        if (start.ScopeId is not null)
            throw new InvalidOperationException($"'{start.Id}' is inside a sub-process; an instance starts at a process-level start event.");
        if (start.InitiatorVariable is { } initiator) root.Variables[initiator] = request.StartedBy;
        Enqueue(NewToken(start.Id, root.Id, arrivedVia: null));
        Run();
    }

    /// <summary>Applies a stimulus; returns why it was ignored, or null when it applied.</summary>
    public string? Apply(Stimulus stimulus)
    {
        var ignored = stimulus switch
        {
            JobCompleted s => OnJobCompleted(s),
            JobFailed s => OnJobFailed(s),
            TimerFired s => OnTimerFired(s),
            EventDelivered s => OnEventDelivered(s),
            UserTaskCompleted s => OnUserTaskCompleted(s),
            ChildCompleted s => OnChildCompleted(s),
            ChildFailed s => OnChildFailed(s),
            IncidentRetried s => OnIncidentRetried(s),
            InstanceCancelled s => OnCancelled(s),
            VariablesUpdated s => OnVariablesUpdated(s),
            ApprovalDecided s => OnApprovalDecided(s),
            TaskReassigned s => OnTaskReassigned(s),
            TaskClaimed s => OnTaskClaimed(s),
            _ => throw new ArgumentOutOfRangeException(nameof(stimulus), stimulus.GetType().Name),
        };
        if (ignored is null) Run();
        return ignored;
    }

    public StepResult Finish()
    {
        if (!state.IsEnded)
            state.Status = state.Incidents.Count > 0 ? InstanceStatus.Faulted : InstanceStatus.Running;
        // A wait changed and then disarmed in the same step is only disarmed.
        updated.RemoveAll(w => !state.Waits.Contains(w));
        return new StepResult(state, armed, disarmed, history, events) { Updated = updated };
    }

    private void Run()
    {
        while (true)
        {
            while (queue.TryDequeue(out var token))
            {
                if (!state.Tokens.Contains(token) || token.State != TokenState.Active) continue;
                if (++steps > options.MaxStepsPerStimulus)
                {
                    RaiseIncident(token, IncidentKind.StepLimit,
                        $"More than {options.MaxStepsPerStimulus} elements were entered without waiting; the loop through '{token.ElementId}' never reaches a wait state.");
                    continue;
                }

                Enter(token);
            }

            // An inclusive join may fire only once no other token can still reach it; that is known
            // once the queue has drained.
            if (!FireReadyInclusiveJoins()) break;
        }
    }

    private void Enter(Token token)
    {
        var node = graph.Node(token.ElementId);
        if (node is Activity { Loop: not null } looped && !IsLoopItem(token, looped)) RecordBody(HistoryKind.Entered, looped, token);
        else Record(HistoryKind.Entered, node, token);
        try
        {
            switch (node)
            {
                case StartEvent: Leave(token); break;
                case EndEvent end: EnterEndEvent(token, end); break;
                case IntermediateThrowEvent thrown: EnterThrowEvent(token, thrown); break;
                case IntermediateCatchEvent catching: WaitFor(token, catching.Id, catching.Definition); break;
                case Gateway gateway: EnterGateway(token, gateway); break;
                case Activity activity: EnterActivity(token, activity); break;
                case BoundaryEvent: Leave(token); break;
                default: RaiseIncident(token, IncidentKind.NoPathTaken, $"'{node.Id}' ({node.ElementType}) cannot be run."); break;
            }
        }
        catch (ExpressionException e)
        {
            RaiseIncident(token, IncidentKind.ExpressionFailed, e.Message);
        }
    }

    /// <summary>The token completes its element and follows the outgoing flows.</summary>
    private void Leave(Token token, string? actor = null)
    {
        var node = graph.Node(token.ElementId);
        DisarmWaitsOf(token);
        Record(HistoryKind.Completed, node, token, actor: actor);
        if (node is Activity activity && IsLoopItem(token, activity))
        {
            RemoveToken(token, checkScope: true);
            return;
        }

        Continue(token, node);
    }

    /// <summary>Follows the flows out of a completed node: those without a condition and those whose
    /// condition holds; an activity's default flow only when none of the others is taken.</summary>
    private void Continue(Token token, FlowNode node) => TakeFlows(token, SelectUnconditionalOrTrue(token, node));

    /// <summary>Moves a token along the chosen flows: the token itself takes the first, copies take the rest.
    /// No flow: the token ends here (an implicit end).</summary>
    private void TakeFlows(Token token, IReadOnlyList<SequenceFlow> flows)
    {
        if (flows.Count == 0)
        {
            RemoveToken(token, checkScope: true);
            return;
        }

        for (var i = 0; i < flows.Count; i++)
        {
            var moving = i == 0 ? token : NewToken(token.ElementId, token.ScopeId, null);
            moving.ElementId = flows[i].TargetId;
            moving.ArrivedVia = flows[i].Id;
            moving.State = TokenState.Active;
            Enqueue(moving);
        }
    }

    private List<SequenceFlow> SelectUnconditionalOrTrue(Token token, FlowNode node)
    {
        var defaultFlowId = (node as Activity)?.DefaultFlowId;
        var flows = node.Outgoing.Select(graph.Flow).Where(f => f.Id != defaultFlowId).ToList();
        var chosen = flows.All(f => f.Condition is null) ? flows : flows.Where(f => f.Condition is null || Condition(token, f)).ToList();
        if (chosen.Count == 0 && defaultFlowId is not null && node.Outgoing.Contains(defaultFlowId)) chosen.Add(graph.Flow(defaultFlowId));
        return chosen;
    }

    private bool Condition(Token token, SequenceFlow flow) =>
        expressions.EvaluateCondition(flow.Condition!, VisibleVariables(token.ScopeId));

    // ---- tokens and scopes ----

    private Token NewToken(string elementId, int scopeId, string? arrivedVia)
    {
        var token = new Token { Id = state.NextId++, ElementId = elementId, ScopeId = scopeId, ArrivedVia = arrivedVia, State = TokenState.Active };
        state.Tokens.Add(token);
        return token;
    }

    private void Enqueue(Token token)
    {
        token.State = TokenState.Active;
        queue.Enqueue(token);
    }

    private Scope NewScope(ScopeKind kind, Scope? parent, string? elementId, int? ownerTokenId)
    {
        var scope = new Scope { Id = state.NextId++, Kind = kind, ParentId = parent?.Id, ElementId = elementId, OwnerTokenId = ownerTokenId };
        state.Scopes.Add(scope);
        return scope;
    }

    private Scope ScopeOf(Token token) => state.Scopes.First(s => s.Id == token.ScopeId);

    private Scope? FindScope(int id) => state.Scopes.FirstOrDefault(s => s.Id == id);

    private Token? FindToken(int id) => state.Tokens.FirstOrDefault(t => t.Id == id);

    private void RemoveToken(Token token, bool checkScope)
    {
        state.Tokens.Remove(token);
        state.Incidents.RemoveAll(i => i.TokenId == token.Id);
        if (checkScope && FindScope(token.ScopeId) is { } scope) CheckScopeDone(scope);
    }

    /// <summary>A scope whose tokens and child scopes are all gone is complete.</summary>
    private void CheckScopeDone(Scope scope)
    {
        if (state.Tokens.Any(t => t.ScopeId == scope.Id) || state.Scopes.Any(s => s.ParentId == scope.Id)) return;
        CompleteScope(scope);
    }

    private void CompleteScope(Scope scope)
    {
        switch (scope.Kind)
        {
            case ScopeKind.Process:
                if (state.IsEnded) return;
                state.Status = InstanceStatus.Completed;
                state.EndedAt = now;
                Record(HistoryKind.InstanceCompleted, null, null);
                break;
            case ScopeKind.SubProcess:
                CompleteSubProcess(scope);
                break;
            case ScopeKind.MultiInstanceItem:
                CompleteLoopItem(scope);
                break;
            case ScopeKind.MultiInstanceBody:
                CompleteLoopBody(scope);
                break;
        }
    }

    /// <summary>Cancels a token and everything below it: its waits, the scopes it owns and their tokens.</summary>
    private void CancelToken(Token token, string reason)
    {
        foreach (var child in state.Scopes.Where(s => s.OwnerTokenId == token.Id && s.ParentId == token.ScopeId).ToList())
            RemoveScope(child, reason);
        DisarmWaitsOf(token);
        if (graph.TryGetNode(token.ElementId, out var node) && token.State != TokenState.Active)
            Record(HistoryKind.Cancelled, node, token, reason);
        RemoveToken(token, checkScope: false);
    }

    private void RemoveScope(Scope scope, string reason)
    {
        foreach (var token in state.Tokens.Where(t => t.ScopeId == scope.Id).ToList())
            CancelToken(token, reason);
        foreach (var child in state.Scopes.Where(s => s.ParentId == scope.Id).ToList())
            RemoveScope(child, reason);
        state.Scopes.Remove(scope);
    }

    /// <summary>The token that waits at the sub-process or multi-instance activity enclosing a scope.</summary>
    private Token? OwnerOf(Scope scope)
    {
        for (var s = scope; s is not null; s = s.ParentId is { } p ? FindScope(p) : null)
        {
            if (s.OwnerTokenId is { } owner) return FindToken(owner);
        }

        return null;
    }

    // ---- waits, incidents, history ----

    private T Arm<T>(T wait) where T : Wait
    {
        state.Waits.Add(wait);
        armed.Add(wait);
        return wait;
    }

    private int NextId() => state.NextId++;

    private void Disarm(Wait wait)
    {
        if (!state.Waits.Remove(wait)) return;
        if (!armed.Remove(wait)) disarmed.Add(wait);
    }

    private void DisarmWaitsOf(Token token)
    {
        foreach (var wait in state.Waits.Where(w => w.TokenId == token.Id).ToList())
            Disarm(wait);
    }

    /// <summary>Replaces a wait with its next version: a retried job keeps its id, a cycle timer's next
    /// firing gets a new one (and the old wait is disarmed).</summary>
    private void Rearm(Wait old, Wait updated)
    {
        state.Waits.Remove(old);
        if (!armed.Remove(old) && old.Id != updated.Id) disarmed.Add(old);
        state.Waits.Add(updated);
        armed.Add(updated);
    }

    private void RaiseIncident(Token token, IncidentKind kind, string message)
    {
        token.State = TokenState.Faulted;
        state.Incidents.RemoveAll(i => i.TokenId == token.Id);
        state.Incidents.Add(new Incident { Id = NextId(), TokenId = token.Id, ElementId = token.ElementId, Kind = kind, Message = message, CreatedAt = now });
        Record(HistoryKind.IncidentRaised, graph.TryGetNode(token.ElementId, out var node) ? node : null, token, message);
    }

    private void Record(HistoryKind kind, FlowNode? node, Token? token, string? detail = null, string? actor = null) =>
        history.Add(new HistoryEntry(now, kind, node?.Id, node?.ElementType, token?.Id) { Detail = detail, Actor = actor });

    private void RecordBody(HistoryKind kind, Activity activity, Token token) =>
        history.Add(new HistoryEntry(now, kind, activity.Id, HistoryEntry.MultiInstanceBodyType, token.Id));
}
