using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WeOps.Engine.Execution;
using WeOps.Engine.Model;

namespace WeOps.Engine.Persistence;

public sealed record MigrationRefused(IReadOnlyList<string> Reasons);

/// <summary>What operators do to running instances: cancel, retry incidents, set variables, complete
/// tasks, move to another version.</summary>
public sealed class InstanceCommands(InstanceStore store, DefinitionStore definitions, TimeProvider time)
{
    public Task<StepOutcome> CancelAsync(Guid id, string? reason, string? actor, CancellationToken cancellationToken) =>
        store.HandleAsync(id, new InstanceCancelled(reason ?? "cancelled by an operator", actor), null, cancellationToken);

    /// <summary>Retries every open incident of the instance; returns the outcome of the last retry, or
    /// Ignored when there was nothing to retry.</summary>
    public async Task<StepOutcome> RetryAsync(Guid id, string? actor, CancellationToken cancellationToken)
    {
        var current = await LoadAsync(id, cancellationToken);
        if (current is null) return new StepOutcome(StepStatus.NotFound, null, $"no instance {id}");
        if (current.Incidents.Count == 0) return new StepOutcome(StepStatus.Ignored, current, "the instance has no incident to retry");
        StepOutcome outcome = new(StepStatus.Ignored, current);
        foreach (var incident in current.Incidents.ToList())
            outcome = await store.HandleAsync(id, new IncidentRetried(incident.Id, actor), null, cancellationToken);
        return outcome;
    }

    public Task<StepOutcome> SetVariablesAsync(Guid id, JsonObject variables, string? actor, CancellationToken cancellationToken) =>
        store.HandleAsync(id, new VariablesUpdated(variables, actor), null, cancellationToken);

    /// <summary>Completes an open user task; null when there is no open task with that id.</summary>
    public async Task<StepOutcome?> CompleteTaskAsync(long taskId, JsonObject? variables, string? actor, CancellationToken cancellationToken)
    {
        UserTaskRow? task;
        await using (var db = store.OpenDb())
        {
            task = await db.UserTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId && t.State == UserTaskStates.Open, cancellationToken);
        }

        if (task is null) return null;
        return await store.HandleAsync(task.InstanceId, new UserTaskCompleted(task.WaitId, variables, actor), null, cancellationToken);
    }

    /// <summary>Claims an open user task for <paramref name="claimant"/>, or releases it when null; null when there is no
    /// open task with that id. Who may do so is the caller's business; that nobody else holds it is the step's.</summary>
    public async Task<StepOutcome?> ClaimTaskAsync(long taskId, string? claimant, string? actor, CancellationToken cancellationToken)
    {
        UserTaskRow? task;
        await using (var db = store.OpenDb())
        {
            task = await db.UserTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId && t.State == UserTaskStates.Open, cancellationToken);
        }

        if (task is null) return null;
        return await store.HandleAsync(task.InstanceId, new TaskClaimed(task.WaitId, claimant, actor), null, cancellationToken);
    }

    /// <summary>Moves a running instance to another published version of its process. Every element the
    /// instance is at must exist in the target version, under the same id or the one the mapping gives,
    /// and be the same kind of element; otherwise nothing changes and the reasons are returned.</summary>
    public async Task<MigrationRefused?> MigrateAsync(Guid id, int toVersion, IReadOnlyDictionary<string, string> mapping, string? actor, CancellationToken cancellationToken)
    {
        await using var db = store.OpenDb();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var row = await db.Instances.FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (row is null) return new MigrationRefused([$"There is no instance {id}."]);
        var state = JsonSerializer.Deserialize<InstanceState>(row.State, StepWriter.Json)!;
        if (state.IsEnded) return new MigrationRefused([$"The instance has ended ({row.Status}); only running instances move."]);
        var from = await definitions.GraphAsync(row.DefinitionKey, row.Version, cancellationToken);
        var to = await definitions.GraphAsync(row.DefinitionKey, toVersion, cancellationToken);
        if (from is null || to is null) return new MigrationRefused([$"Process '{row.DefinitionKey}' has no version {toVersion}."]);

        string Map(string elementId) => mapping.TryGetValue(elementId, out var target) ? target : elementId;
        var reasons = new List<string>();
        var used = state.Tokens.Select(t => t.ElementId)
            .Concat(state.Scopes.Where(s => s.ElementId is not null).Select(s => s.ElementId!))
            .Concat(state.Waits.Select(w => w.ElementId))
            .Distinct()
            .ToList();
        foreach (var elementId in used)
        {
            var target = Map(elementId);
            if (!to.TryGetNode(target, out var node))
                reasons.Add($"'{elementId}' is active and version {toVersion} has no element '{target}': map it to one.");
            else if (from.TryGetNode(elementId, out var old) && old.GetType() != node.GetType())
                reasons.Add($"'{elementId}' ({old.ElementType}) would become '{target}', a {node.ElementType}: map it to an element of the same kind.");
        }

        foreach (var unknown in mapping.Keys.Where(k => !from.TryGetNode(k, out _)))
            reasons.Add($"The mapping names '{unknown}', which version {row.Version} does not have.");
        if (reasons.Count > 0) return new MigrationRefused(reasons);

        foreach (var token in state.Tokens) token.ElementId = Map(token.ElementId);
        foreach (var scope in state.Scopes.Where(s => s.ElementId is not null)) scope.ElementId = Map(scope.ElementId!);
        state.Waits = state.Waits.Select(w => w with { ElementId = Map(w.ElementId) }).ToList();
        var previous = row.Version;
        state.DefinitionVersion = toVersion;
        row.Version = toVersion;
        row.State = JsonSerializer.Serialize(state, StepWriter.Json);
        row.Revision++;
        row.UpdatedAt = time.GetUtcNow().UtcDateTime;

        foreach (var wait in state.Waits)
        {
            var payload = wait is JobWait job ? JsonSerializer.Serialize(job, StepWriter.Json) : null;
            await db.Jobs.Where(j => j.InstanceId == id && j.WaitId == wait.Id && j.Kind != JobKinds.Delivery)
                .ExecuteUpdateAsync(u => u.SetProperty(j => j.ElementId, wait.ElementId).SetProperty(j => j.Payload, j => payload ?? j.Payload), cancellationToken);
            await db.UserTasks.Where(t => t.InstanceId == id && t.WaitId == wait.Id).ExecuteUpdateAsync(u => u.SetProperty(t => t.ElementId, wait.ElementId), cancellationToken);
            await db.Subscriptions.Where(s => s.InstanceId == id && s.WaitId == wait.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.ElementId, wait.ElementId), cancellationToken);
        }

        db.History.Add(new HistoryRow
        {
            InstanceId = id,
            Time = time.GetUtcNow().UtcDateTime,
            Kind = "InstanceMigrated",
            Detail = $"version {previous} -> {toVersion}" + (mapping.Count > 0 ? "; " + string.Join(", ", mapping.Select(m => $"{m.Key} -> {m.Value}")) : ""),
            Actor = actor,
        });
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return null;
    }

    private async Task<InstanceState?> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = store.OpenDb();
        var json = await db.Instances.AsNoTracking().Where(i => i.Id == id).Select(i => i.State).FirstOrDefaultAsync(cancellationToken);
        return json is null ? null : JsonSerializer.Deserialize<InstanceState>(json, StepWriter.Json);
    }
}
