using System.Collections.Concurrent;
using System.Collections.Frozen;

namespace WeOps.Engine.Model;

/// <summary>One executable process of a BPMN file, immutable once parsed.</summary>
public sealed class ProcessGraph
{
    private readonly FrozenDictionary<string, FlowNode> nodes;
    private readonly FrozenDictionary<string, SequenceFlow> flows;
    private readonly FrozenDictionary<string, IReadOnlyList<FlowNode>> nodesByScope;
    private readonly ConcurrentDictionary<(string From, string To), bool> reachability = new();

    public ProcessGraph(string key, string? name, bool isExecutable, IEnumerable<FlowNode> nodes, IEnumerable<SequenceFlow> flows)
    {
        Key = key;
        Name = name;
        IsExecutable = isExecutable;
        this.nodes = nodes.ToFrozenDictionary(n => n.Id, StringComparer.Ordinal);
        this.flows = flows.ToFrozenDictionary(f => f.Id, StringComparer.Ordinal);
        nodesByScope = this.nodes.Values
            .GroupBy(n => n.ScopeId ?? string.Empty)
            .ToFrozenDictionary(g => g.Key, g => (IReadOnlyList<FlowNode>)g.OrderBy(n => n.Line).ToList());
    }

    /// <summary>The process id in the file; definitions are addressed by it.</summary>
    public string Key { get; }
    public string? Name { get; }
    public bool IsExecutable { get; }

    public IEnumerable<FlowNode> Nodes => nodes.Values;
    public IEnumerable<SequenceFlow> Flows => flows.Values;

    public FlowNode Node(string id) =>
        nodes.TryGetValue(id, out var node) ? node : throw new KeyNotFoundException($"Process '{Key}' has no element '{id}'.");

    public bool TryGetNode(string id, out FlowNode node) => nodes.TryGetValue(id, out node!);

    public SequenceFlow Flow(string id) =>
        flows.TryGetValue(id, out var flow) ? flow : throw new KeyNotFoundException($"Process '{Key}' has no sequence flow '{id}'.");

    public bool TryGetFlow(string id, out SequenceFlow flow) => flows.TryGetValue(id, out flow!);

    /// <summary>Nodes directly inside a scope (null: the process level), in document order.</summary>
    public IReadOnlyList<FlowNode> NodesIn(string? scopeId) =>
        nodesByScope.TryGetValue(scopeId ?? string.Empty, out var list) ? list : [];

    public IEnumerable<StartEvent> StartEventsIn(string? scopeId) => NodesIn(scopeId).OfType<StartEvent>();

    /// <summary>The start event a new instance begins at when none is named: the none start event (one
    /// without ops:http), else the only start event.</summary>
    public StartEvent? DefaultStartEvent()
    {
        var starts = StartEventsIn(null).ToList();
        return starts.FirstOrDefault(s => s.Definition is null && s.Http is null) ?? (starts.Count == 1 ? starts[0] : null);
    }

    public IEnumerable<BoundaryEvent> BoundaryEventsOf(Activity activity) =>
        activity.BoundaryEventIds.Select(id => (BoundaryEvent)Node(id));

    /// <summary>True when a token at <paramref name="from"/> could still arrive at <paramref name="to"/>
    /// by following sequence flows (and boundary events) inside the same scope, without passing through
    /// <paramref name="to"/>. Used by the inclusive join.</summary>
    public bool CanReach(string from, string to) =>
        reachability.GetOrAdd((from, to), key => Search(key.From, key.To));

    private bool Search(string from, string to)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        stack.Push(from);
        while (stack.Count > 0)
        {
            var id = stack.Pop();
            if (!seen.Add(id)) continue;
            var node = Node(id);
            IEnumerable<string> next = node.Outgoing.Select(f => Flow(f).TargetId);
            if (node is Activity activity) next = next.Concat(activity.BoundaryEventIds);
            foreach (var target in next)
            {
                if (target == to) return true;
                stack.Push(target);
            }
        }

        return false;
    }
}
