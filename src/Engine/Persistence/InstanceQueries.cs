using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WeOps.Engine.Execution;

namespace WeOps.Engine.Persistence;

public sealed record InstanceFilter(string? DefinitionKey = null, string? Status = null, string? BusinessKey = null, int Limit = 100, int Offset = 0);

public sealed record InstanceSummary(Guid Id, string DefinitionKey, int Version, string? BusinessKey, string Status, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, Guid? ParentId);

public sealed record InstanceDetail(InstanceSummary Summary, InstanceState State, IReadOnlyList<HistoryRow> History);

public sealed record TaskFilter(string? Assignee = null, Guid? InstanceId = null, string? State = UserTaskStates.Open, string? CandidateGroup = null, int Limit = 100);

/// <summary>The read side: instances, their history and user tasks, straight from the tables.</summary>
public sealed class InstanceQueries(InstanceStore store)
{
    public async Task<IReadOnlyList<InstanceSummary>> ListAsync(InstanceFilter filter, CancellationToken cancellationToken)
    {
        await using var db = store.OpenDb();
        var query = db.Instances.AsNoTracking();
        if (filter.DefinitionKey is not null) query = query.Where(i => i.DefinitionKey == filter.DefinitionKey);
        if (filter.Status is not null) query = query.Where(i => i.Status == filter.Status);
        if (filter.BusinessKey is not null) query = query.Where(i => i.BusinessKey == filter.BusinessKey);
        var rows = await query.OrderByDescending(i => i.StartedAt).ThenBy(i => i.Id).Skip(filter.Offset).Take(filter.Limit).ToListAsync(cancellationToken);
        return rows.Select(Summary).ToList();
    }

    public async Task<InstanceDetail?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = store.OpenDb();
        var row = await db.Instances.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (row is null) return null;
        var history = await db.History.AsNoTracking().Where(h => h.InstanceId == id).OrderBy(h => h.Id).ToListAsync(cancellationToken);
        return new InstanceDetail(
            Summary(row),
            JsonSerializer.Deserialize<InstanceState>(row.State, StepWriter.Json)!,
            history);
    }

    private static InstanceSummary Summary(InstanceRow i) =>
        new(i.Id, i.DefinitionKey, i.Version, i.BusinessKey, i.Status, DefinitionStore.Utc(i.StartedAt), i.EndedAt is { } end ? DefinitionStore.Utc(end) : null, i.ParentId);

    public async Task<IReadOnlyList<UserTaskRow>> TasksAsync(TaskFilter filter, CancellationToken cancellationToken)
    {
        await using var db = store.OpenDb();
        var query = db.UserTasks.AsNoTracking();
        if (filter.State is not null) query = query.Where(t => t.State == filter.State);
        if (filter.InstanceId is { } instance) query = query.Where(t => t.InstanceId == instance);
        if (filter.Assignee is not null) query = query.Where(t => t.Assignee == filter.Assignee);
        if (filter.CandidateGroup is not null) query = query.Where(t => t.CandidateGroups.Contains("," + filter.CandidateGroup + ","));
        return await query.OrderBy(t => t.Id).Take(filter.Limit).ToListAsync(cancellationToken);
    }

    public async Task<UserTaskRow?> TaskAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = store.OpenDb();
        return await db.UserTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
    }
}
