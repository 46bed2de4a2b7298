using WeOps.Engine.Model;
using WeOps.Engine.Persistence;

namespace WeOps.Engine.Alerts;

/// <summary>A published process version with an alert start event.</summary>
internal sealed record AlertRuleVersion(string Key, int Version, string StartEventId, ProcessGraph Graph, AlertRule Rule);

internal static class AlertRules
{
    /// <summary>The alert rule of each process's latest published version.</summary>
    public static async Task<IReadOnlyList<AlertRuleVersion>> LatestAsync(DefinitionStore definitions, CancellationToken cancellationToken)
    {
        var found = new List<AlertRuleVersion>();
        foreach (var (key, version, startEventId) in await definitions.StartEventsAsync(d => d is AlertEventDefinition, cancellationToken))
        {
            if (await definitions.GraphAsync(key, version, cancellationToken) is not { } graph) continue;
            var start = (StartEvent)graph.Node(startEventId);
            found.Add(new AlertRuleVersion(key, version, startEventId, graph, ((AlertEventDefinition)start.Definition!).Rule));
        }

        return found;
    }

    /// <summary>The rule of a process version, if it starts from alerts.</summary>
    public static AlertRule? Of(ProcessGraph graph) =>
        graph.StartEventsIn(null).Select(s => s.Definition).OfType<AlertEventDefinition>().FirstOrDefault()?.Rule;
}
