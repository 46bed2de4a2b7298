using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WeOps.Engine.Execution;
using WeOps.Engine.Model;

namespace WeOps.Engine.Persistence;

/// <summary>Matches messages and signals with the instances waiting for them, and starts the processes
/// whose start events they trigger.</summary>
public sealed class Correlator(InstanceStore store, DefinitionStore definitions)
{
    /// <summary>Delivers a message to each instance with a matching subscription (its oldest one); when no
    /// instance waits, starts the processes with a message start event of that name. Returns how many
    /// instances it reached or started.</summary>
    public async Task<MessageOutcome> PublishMessageAsync(string name, string? correlationKey, JsonObject? variables, CancellationToken cancellationToken)
    {
        List<(Guid InstanceId, int WaitId)> targets;
        await using (var db = store.OpenDb())
        {
            var rows = await db.Subscriptions.AsNoTracking()
                .Where(s => s.Kind == SubscriptionKinds.Message && s.Name == name && (s.CorrelationKey == null || s.CorrelationKey == correlationKey))
                .Select(s => new { s.InstanceId, s.WaitId })
                .ToListAsync(cancellationToken);
            targets = rows.GroupBy(r => r.InstanceId).Select(g => (g.Key, g.Min(r => r.WaitId))).ToList();
        }

        var delivered = new List<Guid>();
        foreach (var (instanceId, waitId) in targets)
        {
            var outcome = await store.HandleAsync(instanceId, new EventDelivered(waitId, Copy(variables)), null, cancellationToken);
            if (outcome.Status == StepStatus.Applied) delivered.Add(instanceId);
        }

        if (delivered.Count > 0) return new MessageOutcome(delivered, []);
        var started = await StartByEventAsync(d => d is MessageEventDefinition m && m.MessageName == name, variables, cancellationToken);
        return new MessageOutcome([], started);
    }

    public async Task<MessageOutcome> BroadcastSignalAsync(string name, JsonObject? variables, CancellationToken cancellationToken)
    {
        List<(Guid InstanceId, int WaitId)> targets;
        await using (var db = store.OpenDb())
        {
            targets = (await db.Subscriptions.AsNoTracking()
                .Where(s => s.Kind == SubscriptionKinds.Signal && s.Name == name)
                .OrderBy(s => s.Id)
                .Select(s => new { s.InstanceId, s.WaitId })
                .ToListAsync(cancellationToken)).Select(r => (r.InstanceId, r.WaitId)).ToList();
        }

        var delivered = new List<Guid>();
        foreach (var (instanceId, waitId) in targets)
        {
            var outcome = await store.HandleAsync(instanceId, new EventDelivered(waitId, Copy(variables)), null, cancellationToken);
            if (outcome.Status == StepStatus.Applied) delivered.Add(instanceId);
        }

        var started = await StartByEventAsync(d => d is SignalEventDefinition s && s.SignalName == name, variables, cancellationToken);
        return new MessageOutcome(delivered, started);
    }

    /// <summary>A message thrown by an instance. A waiting catch consumes its subscription, so if this
    /// runs twice after a crash the second delivery finds the wait gone and changes nothing.</summary>
    internal async Task FanOutMessageAsync(long jobId, MessageDelivery message, CancellationToken cancellationToken)
    {
        await PublishMessageAsync(message.Name, message.CorrelationKey, message.Variables, cancellationToken);
        await DeleteJobAsync(jobId, cancellationToken);
    }

    internal async Task FanOutSignalAsync(long jobId, SignalDelivery signal, CancellationToken cancellationToken)
    {
        await BroadcastSignalAsync(signal.Name, signal.Variables, cancellationToken);
        await DeleteJobAsync(jobId, cancellationToken);
    }

    internal async Task CancelChildAsync(long jobId, CancelChildDelivery cancel, CancellationToken cancellationToken)
    {
        List<InstanceRow> children;
        await using (var db = store.OpenDb())
        {
            children = await db.Instances.AsNoTracking().Where(i => i.ParentId == cancel.ParentId && i.EndedAt == null).ToListAsync(cancellationToken);
        }

        var child = children.FirstOrDefault(c => JsonSerializer.Deserialize<InstanceState>(c.State, StepWriter.Json)!.Parent?.WaitId == cancel.WaitId);
        if (child is null)
        {
            await DeleteJobAsync(jobId, cancellationToken);
            return;
        }

        await store.HandleAsync(child.Id, new InstanceCancelled("its calling activity was cancelled"), jobId, cancellationToken);
    }

    private async Task<List<Guid>> StartByEventAsync(Func<EventDefinition?, bool> matches, JsonObject? variables, CancellationToken cancellationToken)
    {
        var started = new List<Guid>();
        foreach (var (key, version, startEventId) in await definitions.StartEventsAsync(matches, cancellationToken))
        {
            var state = await store.StartAsync(key, version, Copy(variables), null, cancellationToken, startEventId);
            started.Add(Guid.Parse(state.InstanceId));
        }

        return started;
    }

    private async Task DeleteJobAsync(long jobId, CancellationToken cancellationToken)
    {
        await using var db = store.OpenDb();
        await db.Jobs.Where(j => j.Id == jobId).ExecuteDeleteAsync(cancellationToken);
    }

    private static JsonObject? Copy(JsonObject? variables) => (JsonObject?)variables?.DeepClone();
}

public sealed record MessageOutcome(IReadOnlyList<Guid> Delivered, IReadOnlyList<Guid> Started);
