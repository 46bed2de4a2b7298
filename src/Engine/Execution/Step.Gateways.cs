using WeOps.Engine.Model;

namespace WeOps.Engine.Execution;

internal sealed partial class Step
{
    private void EnterGateway(Token token, Gateway gateway)
    {
        switch (gateway.Kind)
        {
            case GatewayKind.Exclusive:
                ChooseOne(token, gateway);
                break;
            case GatewayKind.Parallel when gateway.Incoming.Count > 1:
                token.State = TokenState.Joining;
                TryParallelJoin(token, gateway);
                break;
            case GatewayKind.Parallel:
                Record(HistoryKind.Completed, gateway, token);
                TakeFlows(token, gateway.Outgoing.Select(graph.Flow).ToList());
                break;
            case GatewayKind.Inclusive when gateway.Incoming.Count > 1:
                token.State = TokenState.Joining; // fired by FireReadyInclusiveJoins once nothing else can arrive
                break;
            case GatewayKind.Inclusive:
                ChooseSome(token, gateway);
                break;
            case GatewayKind.EventBased:
                WaitForFirstEvent(token, gateway);
                break;
        }
    }

    private void ChooseOne(Token token, Gateway gateway)
    {
        var flows = gateway.Outgoing.Select(graph.Flow).ToList();
        var chosen = flows.Count == 1 && flows[0].Condition is null
            ? flows[0]
            : flows.FirstOrDefault(f => f.Id != gateway.DefaultFlowId && f.Condition is not null && Condition(token, f))
              ?? flows.FirstOrDefault(f => f.Id == gateway.DefaultFlowId);
        if (chosen is null)
        {
            if (flows.Count == 0)
            {
                Record(HistoryKind.Completed, gateway, token);
                RemoveToken(token, checkScope: true);
                return;
            }

            RaiseIncident(token, IncidentKind.NoPathTaken,
                $"No condition out of gateway '{gateway.DisplayName}' is true and it has no default flow.");
            return;
        }

        Record(HistoryKind.Completed, gateway, token);
        TakeFlows(token, [chosen]);
    }

    private void ChooseSome(Token token, Gateway gateway)
    {
        var flows = gateway.Outgoing.Select(graph.Flow).ToList();
        var chosen = flows.Where(f => f.Id != gateway.DefaultFlowId && (f.Condition is null || Condition(token, f))).ToList();
        if (chosen.Count == 0 && gateway.DefaultFlowId is not null) chosen.Add(graph.Flow(gateway.DefaultFlowId));
        if (chosen.Count == 0 && flows.Count > 0)
        {
            RaiseIncident(token, IncidentKind.NoPathTaken,
                $"No condition out of gateway '{gateway.DisplayName}' is true and it has no default flow.");
            return;
        }

        Record(HistoryKind.Completed, gateway, token);
        TakeFlows(token, chosen);
    }

    /// <summary>A parallel join fires when a token has arrived on every incoming flow.</summary>
    private void TryParallelJoin(Token arrived, Gateway gateway)
    {
        var waiting = JoiningAt(gateway, arrived.ScopeId);
        var oneEach = gateway.Incoming
            .Select(flow => waiting.FirstOrDefault(t => t.ArrivedVia == flow))
            .ToList();
        if (oneEach.Any(t => t is null)) return;
        Join(oneEach!, gateway);
        TakeFlows(oneEach[0]!, gateway.Outgoing.Select(graph.Flow).ToList());
    }

    /// <summary>Fires every inclusive join that has tokens waiting and that no other token of its scope
    /// can still reach. Returns whether one fired.</summary>
    private bool FireReadyInclusiveJoins()
    {
        var fired = false;
        var candidates = state.Tokens
            .Where(t => t.State == TokenState.Joining && graph.Node(t.ElementId) is Gateway { Kind: GatewayKind.Inclusive })
            .Select(t => (t.ElementId, t.ScopeId))
            .Distinct()
            .ToList();
        foreach (var (gatewayId, scopeId) in candidates)
        {
            var gateway = (Gateway)graph.Node(gatewayId);
            var waiting = JoiningAt(gateway, scopeId);
            if (waiting.Count == 0) continue;
            var blocked = state.Tokens.Any(t =>
                t.ScopeId == scopeId && !waiting.Contains(t) && (t.ElementId == gatewayId || graph.CanReach(t.ElementId, gatewayId)));
            if (blocked) continue;
            Join(waiting, gateway);
            var survivor = waiting[0];
            survivor.State = TokenState.Active;
            Guarded(survivor, () => ChooseSome(survivor, gateway));
            fired = true;
        }

        return fired;
    }

    private List<Token> JoiningAt(Gateway gateway, int scopeId) =>
        state.Tokens.Where(t => t.ElementId == gateway.Id && t.ScopeId == scopeId && t.State == TokenState.Joining).OrderBy(t => t.Id).ToList();

    /// <summary>Merges the given tokens into the first; the others are consumed.</summary>
    private void Join(IReadOnlyList<Token> tokens, Gateway gateway)
    {
        foreach (var extra in tokens.Skip(1))
            RemoveToken(extra, checkScope: false);
        tokens[0].State = TokenState.Active;
        if (gateway.Kind == GatewayKind.Parallel) Record(HistoryKind.Completed, gateway, tokens[0]);
    }

    /// <summary>An event-based gateway waits for each event after it; the first to happen wins.</summary>
    private void WaitForFirstEvent(Token token, Gateway gateway)
    {
        foreach (var flow in gateway.Outgoing.Select(graph.Flow))
        {
            switch (graph.Node(flow.TargetId))
            {
                case IntermediateCatchEvent catching:
                    WaitFor(token, catching.Id, catching.Definition);
                    break;
                case TaskNode { Kind: TaskKind.Receive, Message: { } message } receive:
                    WaitFor(token, receive.Id, message);
                    break;
                default:
                    RaiseIncident(token, IncidentKind.NoPathTaken,
                        $"Event-based gateway '{gateway.DisplayName}' leads to '{flow.TargetId}', which is not an event to wait for.");
                    DisarmWaitsOf(token);
                    return;
            }
        }
    }
}
