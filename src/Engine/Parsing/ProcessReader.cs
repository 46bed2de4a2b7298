using System.Xml.Linq;
using WeOps.Engine.Model;
using static WeOps.Engine.Parsing.BpmnNamespaces;
using static WeOps.Engine.Parsing.ParseContext;

namespace WeOps.Engine.Parsing;

/// <summary>Reads one <c>process</c> element: walks it and its sub-processes in document order,
/// then links nodes to their sequence flows and activities to their boundary events.</summary>
internal sealed class ProcessReader(ParseContext context)
{
    public const int MaxNesting = 64;

    /// <summary>Children of a process or sub-process that are not flow nodes: diagram-only or data
    /// elements, and an activity's own children. Read elsewhere or deliberately ignored.</summary>
    private static readonly HashSet<string> NotFlowNodes = new(StringComparer.Ordinal)
    {
        "documentation", "extensionElements", "auditing", "monitoring", "property", "laneSet",
        "ioSpecification", "ioBinding", "dataInputAssociation", "dataOutputAssociation",
        "multiInstanceLoopCharacteristics", "standardLoopCharacteristics", "incoming", "outgoing",
        "dataObject", "dataObjectReference", "dataStoreReference", "textAnnotation", "association",
        "group", "category", "resourceRole", "performer", "humanPerformer", "potentialOwner",
        "correlationSubscription", "supports",
    };

    private readonly NodeReader nodeReader = new(context);
    private readonly ExtensionReader extensions = new(context);
    private readonly List<FlowNode> nodes = [];
    private readonly List<SequenceFlow> flows = [];

    /// <summary>The process, or null when it cannot be read at all (reported).</summary>
    public ProcessGraph? Read(XElement process)
    {
        if (!context.Claim(process, out var key)) return null;
        context.CheckOpsElements(process, key);

        // bpmn.io writes isExecutable="false" by default; every process is read and validated alike.
        var isExecutable = extensions.Bool(process, "isExecutable", true, process, key);
        if (!ReadScope(process, scopeId: null, depth: 0)) return null;
        VendorExtensions.Check(context, process, key);
        return new ProcessGraph(key, NonEmpty((string?)process.Attribute("name")), isExecutable, Linked(), flows);
    }

    /// <summary>Reads the flow nodes and flows directly inside a scope, descending into sub-processes.
    /// False when sub-processes nest too deep: the process is then not read.</summary>
    private bool ReadScope(XElement scope, string? scopeId, int depth)
    {
        foreach (var child in scope.Elements())
        {
            if (child.Name.Namespace != Bpmn || NotFlowNodes.Contains(child.Name.LocalName)) continue;
            if (child.Name.LocalName == "sequenceFlow")
            {
                if (!context.ClaimFlow(child, out var flowId)) continue;
                context.CheckOpsElements(child, flowId);
                flows.Add(Flow(child, flowId, scopeId));
                continue;
            }

            if (!context.Claim(child, out var id)) continue;
            context.CheckOpsElements(child, id);

            var node = nodeReader.Read(child, id, scopeId);
            nodes.Add(node);
            if (node is not SubProcess) continue;
            if (depth + 1 > MaxNesting)
            {
                context.Error(id, $"Sub-processes nested deeper than {MaxNesting} levels: '{id}' is one level too many, so the process was not read. Flatten the process or move parts into called processes.", child);
                return false;
            }

            if (!ReadScope(child, id, depth + 1)) return false;
        }

        return true;
    }

    private static SequenceFlow Flow(XElement element, string id, string? scopeId) => new()
    {
        Id = id,
        Name = NonEmpty((string?)element.Attribute("name")),
        SourceId = ((string?)element.Attribute("sourceRef"))?.Trim() ?? string.Empty,
        TargetId = ((string?)element.Attribute("targetRef"))?.Trim() ?? string.Empty,
        ScopeId = scopeId,
        Condition = NonEmpty(element.Element(Bpmn + "conditionExpression")?.Value),
        Line = LineOf(element) ?? 0,
    };

    /// <summary>The nodes with their incoming and outgoing flows (from the flows' source and target,
    /// in document order) and, for activities, their boundary events.</summary>
    private IEnumerable<FlowNode> Linked()
    {
        var incoming = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var outgoing = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var flow in flows)
        {
            Add(outgoing, flow.SourceId, flow.Id);
            Add(incoming, flow.TargetId, flow.Id);
        }

        var activityIds = nodes.OfType<Activity>().Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        var boundaries = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var boundary in nodes.OfType<BoundaryEvent>())
        {
            if (activityIds.Contains(boundary.AttachedToId)) Add(boundaries, boundary.AttachedToId, boundary.Id);
        }

        foreach (var node in nodes)
        {
            var linked = node with
            {
                Incoming = incoming.TryGetValue(node.Id, out var inFlows) ? inFlows : [],
                Outgoing = outgoing.TryGetValue(node.Id, out var outFlows) ? outFlows : [],
            };
            if (linked is Activity activity && boundaries.TryGetValue(node.Id, out var attached))
                linked = activity with { BoundaryEventIds = attached };
            yield return linked;
        }
    }

    private static void Add(Dictionary<string, List<string>> lists, string key, string value)
    {
        if (!lists.TryGetValue(key, out var list)) lists[key] = list = [];
        list.Add(value);
    }
}
