using System.Text.Json.Nodes;
using WeOps.Engine.Execution;
using WeOps.Engine.Model;
using WeOps.Engine.Persistence;

namespace WeOps.Server.Endpoints;

/// <summary>An instance as the API shows it: where it is, what it did, what is wrong.</summary>
public sealed record InstanceView(
    Guid Id,
    string DefinitionKey,
    int Version,
    string? BusinessKey,
    string Status,
    JsonObject Variables,
    IReadOnlyList<string> Active,
    IReadOnlyList<InstanceView.Step>? History,
    IReadOnlyList<InstanceView.Fault> Faults,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    Guid? ParentId)
{
    /// <summary>One visit of an element: <c>outcome</c> is active, completed, cancelled or faulted.</summary>
    public sealed record Step(string ElementId, string? ElementType, string? Name, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string Outcome, string? Actor);

    public sealed record Fault(int IncidentId, string ElementId, string Kind, string Message, DateTimeOffset CreatedAt);

    /// <summary>Something that happened at an element without entering or leaving it: an approver's decision, an
    /// approval's expiry or reminder, a task handed on.</summary>
    public sealed record Event(DateTimeOffset Time, string Kind, string? ElementId, string? Detail, string? Actor);

    /// <summary>The history lines that are not element visits; null where the history is not shown.</summary>
    public IReadOnlyList<Event>? Events { get; init; }

    private static readonly string[] EventKinds =
        [nameof(HistoryKind.ApprovalDecided), nameof(HistoryKind.ApprovalExpired), nameof(HistoryKind.ApprovalReminded), nameof(HistoryKind.TaskReassigned)];

    public static async Task<InstanceView> FromStateAsync(InstanceState state, DefinitionStore definitions, CancellationToken cancellationToken)
    {
        var graph = await definitions.GraphAsync(state.DefinitionKey, state.DefinitionVersion, cancellationToken);
        return Build(Guid.Parse(state.InstanceId), state, null, graph, state.StartedAt, state.EndedAt, state.Parent is { } p ? Guid.Parse(p.InstanceId) : null);
    }

    public static async Task<InstanceView> FromDetailAsync(InstanceDetail detail, DefinitionStore definitions, CancellationToken cancellationToken)
    {
        var graph = await definitions.GraphAsync(detail.Summary.DefinitionKey, detail.Summary.Version, cancellationToken);
        return Build(detail.Summary.Id, detail.State, detail.History, graph, detail.Summary.StartedAt, detail.Summary.EndedAt, detail.Summary.ParentId) with
        {
            Events = detail.History.Where(h => EventKinds.Contains(h.Kind)).Select(h => new Event(Utc(h.Time), h.Kind, h.ElementId, h.Detail, h.Actor)).ToList(),
        };
    }

    private static InstanceView Build(Guid id, InstanceState state, IReadOnlyList<HistoryRow>? history, ProcessGraph? graph, DateTimeOffset startedAt, DateTimeOffset? endedAt, Guid? parentId) =>
        new(id,
            state.DefinitionKey,
            state.DefinitionVersion,
            state.BusinessKey,
            InstanceStatusName.Of(state),
            state.Variables,
            state.Tokens.Where(t => t.State is TokenState.Waiting or TokenState.Joining or TokenState.Faulted).Select(t => t.ElementId).Distinct().ToList(),
            history is null ? null : Steps(history, graph),
            state.Incidents.Select(i => new Fault(i.Id, i.ElementId, i.Kind.ToString(), i.Message, i.CreatedAt)).ToList(),
            startedAt,
            endedAt,
            parentId);

    /// <summary>Pairs each element's Entered line with the line that ended that visit.</summary>
    private static List<Step> Steps(IReadOnlyList<HistoryRow> history, ProcessGraph? graph)
    {
        var steps = new List<Step>();
        var open = new Dictionary<(int?, string, string?), int>();
        foreach (var row in history.Where(h => h.ElementId is not null))
        {
            var key = (row.TokenId, row.ElementId!, row.ElementType);
            switch (row.Kind)
            {
                case nameof(HistoryKind.Entered):
                    var name = graph is not null && graph.TryGetNode(row.ElementId!, out var node) ? node.Name : null;
                    open[key] = steps.Count;
                    steps.Add(new Step(row.ElementId!, row.ElementType, name, Utc(row.Time), null, "active", null));
                    break;
                case nameof(HistoryKind.Completed) or nameof(HistoryKind.Cancelled) or nameof(HistoryKind.IncidentRaised) when open.TryGetValue(key, out var index):
                    var outcome = row.Kind switch { nameof(HistoryKind.Completed) => "completed", nameof(HistoryKind.Cancelled) => "cancelled", _ => "faulted" };
                    steps[index] = steps[index] with { EndedAt = outcome == "faulted" ? null : Utc(row.Time), Outcome = outcome, Actor = row.Actor ?? steps[index].Actor };
                    if (outcome != "faulted") open.Remove(key);
                    break;
            }
        }

        return steps;
    }

    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
