using WeOps.Engine.Model;

namespace WeOps.Engine.Validation;

/// <summary>Loops a token can run around forever within one step, because nothing on them waits.
/// Found as strongly connected components (Tarjan, iterative so a long process cannot exhaust the
/// stack) of the graph restricted to elements that pass a token on at once.</summary>
internal static class CycleRules
{
    private const int MaxNamed = 5;

    public static void Check(ProcessCheck check)
    {
        var instant = check.Nodes.Where(PassesAtOnce).ToList();
        var successors = instant.ToDictionary(
            n => n.Id,
            n => n.Outgoing
                .Select(f => check.Process.TryGetFlow(f, out var flow) ? check.NodeOrNull(flow.TargetId) : null)
                .Where(t => t is not null && PassesAtOnce(t))
                .Select(t => t!.Id)
                .ToList(),
            StringComparer.Ordinal);

        // The loop is reported on its element that comes first in the file (check.Nodes is in file order).
        var position = instant.Select((node, index) => (node.Id, index)).ToDictionary(x => x.Id, x => x.index, StringComparer.Ordinal);
        foreach (var component in StronglyConnected(instant, successors))
        {
            var isLoop = component.Count > 1 || successors[component[0].Id].Contains(component[0].Id);
            if (!isLoop) continue;
            var ordered = component.OrderBy(n => position[n.Id]).ToList();
            var names = string.Join(", ", ordered.Take(MaxNamed).Select(ProcessCheck.NameOf)) + (ordered.Count > MaxNamed ? ", …" : "");
            check.Warning(ordered[0], ProblemCodes.LoopWithoutWait, ("elements", names));
        }
    }

    /// <summary>Elements a token passes without waiting for anything outside the engine.</summary>
    private static bool PassesAtOnce(FlowNode node) => node switch
    {
        Gateway gateway => gateway.Kind != GatewayKind.EventBased,
        IntermediateThrowEvent { Definition: null } => true,
        TaskNode task => task.Kind is TaskKind.None or TaskKind.Script or TaskKind.Manual,
        _ => false,
    };

    private static List<List<FlowNode>> StronglyConnected(List<FlowNode> nodes, Dictionary<string, List<string>> successors)
    {
        var byId = nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var components = new List<List<FlowNode>>();
        var counter = 0;

        foreach (var root in nodes)
        {
            if (index.ContainsKey(root.Id)) continue;
            var work = new Stack<(string Id, int Next)>();
            Visit(root.Id);
            work.Push((root.Id, 0));
            while (work.Count > 0)
            {
                var (id, next) = work.Pop();
                var edges = successors[id];
                if (next < edges.Count)
                {
                    work.Push((id, next + 1));
                    var target = edges[next];
                    if (!index.ContainsKey(target))
                    {
                        Visit(target);
                        work.Push((target, 0));
                    }
                    else if (onStack.Contains(target))
                    {
                        low[id] = Math.Min(low[id], index[target]);
                    }

                    continue;
                }

                if (low[id] == index[id])
                {
                    var component = new List<FlowNode>();
                    string member;
                    do
                    {
                        member = stack.Pop();
                        onStack.Remove(member);
                        component.Add(byId[member]);
                    }
                    while (member != id);
                    components.Add(component);
                }

                if (work.Count > 0)
                {
                    var parent = work.Peek().Id;
                    low[parent] = Math.Min(low[parent], low[id]);
                }
            }
        }

        return components;

        void Visit(string id)
        {
            index[id] = low[id] = counter++;
            stack.Push(id);
            onStack.Add(id);
        }
    }
}
