using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using Microsoft.EntityFrameworkCore;
using WeOps.Engine.Execution;
using WeOps.Engine.Persistence;
using WeOps.Engine.Time;

namespace WeOps.Engine.Tests.Conformance;

/// <summary>Carries out a conformance fixture on the durable engine: publishes its processes, starts the instance, and
/// after every action runs what became due as the workers would (one job at a time, in due order, so a trace does not
/// depend on which of two parallel jobs a thread finished first). Timers fire by moving the engine's manual clock.</summary>
public sealed class ConformanceDriver(DurableEngine engine, DefinitionStore publisher, ManualClock clock, string folder)
{
    private static readonly CancellationToken None = CancellationToken.None;

    public DurableEngine Engine => engine;

    /// <summary>Publishes the process of a fixture file (or one of <c>called/</c>) through <paramref name="publisher"/>;
    /// returns its key.</summary>
    public async Task<string> PublishAsync(string file)
    {
        var path = Path.Combine(folder, file);
        if (!File.Exists(path)) path = Path.Combine(folder, "called", file);
        var saved = await publisher.SaveDraftAsync(await File.ReadAllTextAsync(path), "conformance", None);
        Assert.True(saved.Key is not null, $"{file} names no process: {string.Join("; ", saved.Problems)}");
        try
        {
            await publisher.PublishAsync(saved.Key, null, "conformance", None);
        }
        catch (DefinitionInvalidException e)
        {
            Assert.Fail($"{file} cannot be published: {string.Join("; ", e.Problems)}");
        }

        return saved.Key;
    }

    public async Task<Guid> StartAsync(string key, JsonObject? variables, string? startEventId, string? startedBy)
    {
        var state = await engine.Instances.StartAsync(key, null, variables, null, None, startEventId, startedBy: startedBy);
        await RunUntilIdleAsync();
        return Guid.Parse(state.InstanceId);
    }

    public async Task PerformAsync(Guid id, ConformanceStep step)
    {
        if (step.AdvanceClock is not null) await AdvanceClockAsync(XmlConvert.ToTimeSpan(step.AdvanceClock));
        else if (step.CompleteUserTask is not null) await CompleteUserTaskAsync(id, step.CompleteUserTask, step.Variables, step.Actor);
        else if (step.PublishMessage is not null) await engine.Correlator.PublishMessageAsync(step.PublishMessage, step.CorrelationKey, step.Variables, None);
        else if (step.BroadcastSignal is not null) await engine.Correlator.BroadcastSignalAsync(step.BroadcastSignal, step.Variables, None);
        else if (step.RetryIncident is not null)
        {
            var incident = (await StateAsync(id)).Incidents.FirstOrDefault(i => i.ElementId == step.RetryIncident)
                ?? throw new InvalidOperationException($"No open incident at '{step.RetryIncident}'.");
            await engine.Instances.HandleAsync(id, new IncidentRetried(incident.Id, step.Actor), null, None);
        }
        else if (step.SetVariables) await engine.Commands.SetVariablesAsync(id, step.Variables ?? [], step.Actor, None);
        else if (step.Cancel) await engine.Commands.CancelAsync(id, "cancelled by the test", step.Actor, None);
        else if (step.Expect is null) throw new InvalidOperationException("A step must name one action, or only an expectation.");
        await RunUntilIdleAsync();
    }

    private async Task CompleteUserTaskAsync(Guid id, string elementId, JsonObject? variables, string? actor)
    {
        var task = (await engine.Queries.TasksAsync(new TaskFilter(InstanceId: id), None)).FirstOrDefault(t => t.ElementId == elementId)
            ?? throw new InvalidOperationException($"Instance {id} has no open user task '{elementId}'.");
        await engine.Commands.CompleteTaskAsync(task.Id, variables, actor, None);
    }

    /// <summary>Moves the clock to each due time up to <paramref name="by"/> from now in turn, running what fell due at
    /// each, so timers and retries fire in the order of their due times.</summary>
    public async Task AdvanceClockAsync(TimeSpan by)
    {
        var target = clock.GetUtcNow() + by;
        while (await NextDueAsync(target) is { } next)
        {
            clock.Set(next);
            await RunUntilIdleAsync();
        }

        clock.Set(target);
        await RunUntilIdleAsync();
    }

    private async Task<DateTimeOffset?> NextDueAsync(DateTimeOffset until)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var limit = until.ToUnixTimeMilliseconds();
        await using var db = engine.Instances.OpenDb();
        var due = await db.Jobs.Where(j => j.DueAt > now && j.DueAt <= limit).OrderBy(j => j.DueAt).Select(j => (long?)j.DueAt).FirstOrDefaultAsync(None);
        return due is { } millis ? DateTimeOffset.FromUnixTimeMilliseconds(millis) : null;
    }

    /// <summary>Runs due jobs (executor calls, timers, deliveries between instances) until none is due.</summary>
    public Task RunUntilIdleAsync() => engine.Worker.DrainAsync(None);

    public async Task<InstanceState> StateAsync(Guid id)
    {
        await using var db = engine.Instances.OpenDb();
        var json = await db.Instances.AsNoTracking().Where(i => i.Id == id).Select(i => i.State).SingleAsync(None);
        return JsonSerializer.Deserialize<InstanceState>(json, StepWriter.Json)!;
    }

    public async Task CheckAsync(Guid id, ConformanceExpectation expect, string when)
    {
        var detail = await engine.Queries.GetAsync(id, None) ?? throw new InvalidOperationException($"Instance {id} is gone.");
        var state = detail.State;
        var history = detail.History;
        var context = $"{when}; incidents: [{string.Join("; ", state.Incidents.Select(i => $"{i.ElementId}: {i.Message}"))}]";
        if (expect.Completed is not null)
        {
            var trace = history
                .Where(h => h.Kind == nameof(HistoryKind.Completed) && h.ElementType != HistoryEntry.MultiInstanceBodyType)
                .Select(h => h.ElementId!)
                .ToList();
            Assert.True(expect.Completed.SequenceEqual(trace),
                $"Completed {when}:\n expected [{string.Join(", ", expect.Completed)}]\n actual   [{string.Join(", ", trace)}]\n{context}");
        }

        if (expect.State is not null) Assert.True(expect.State == state.Status.ToString(), $"State {when}: expected {expect.State}, was {state.Status}; {context}");
        if (expect.Variables is not null)
        {
            foreach (var (name, value) in expect.Variables)
            {
                Assert.True(state.Variables.TryGetPropertyValue(name, out var actual), $"Variable '{name}' is missing {when}; variables: {state.Variables.ToJsonString()}");
                Assert.True(JsonNode.DeepEquals(value, actual), $"Variable '{name}' {when}: expected {value?.ToJsonString() ?? "null"}, was {actual?.ToJsonString() ?? "null"}");
            }
        }

        foreach (var name in expect.Absent ?? [])
            Assert.False(state.Variables.ContainsKey(name), $"Variable '{name}' should not exist {when}: {state.Variables.ToJsonString()}");
        if (expect.Incidents is not null)
            Assert.Equal(expect.Incidents.Order(), state.Incidents.Select(i => i.ElementId).Order());
        if (expect.Waiting is not null)
            Assert.True(expect.Waiting.Order().SequenceEqual(state.Waits.Select(w => w.ElementId).Order()),
                $"Waiting {when}: expected [{string.Join(", ", expect.Waiting.Order())}], was [{string.Join(", ", state.Waits.Select(w => w.ElementId).Order())}]");
        if (expect.Children is not null)
        {
            var children = await ChildrenAsync(id);
            Assert.True(expect.Children.SequenceEqual(children), $"Children {when}: expected [{string.Join(", ", expect.Children)}], was [{string.Join(", ", children)}]");
        }

        if (expect.Cancelled is not null)
        {
            var cancelled = history.Where(h => h.Kind == nameof(HistoryKind.Cancelled)).Select(h => h.ElementId!).ToList();
            Assert.True(expect.Cancelled.SequenceEqual(cancelled), $"Cancelled {when}: expected [{string.Join(", ", expect.Cancelled)}], was [{string.Join(", ", cancelled)}]");
        }
    }

    /// <summary>The statuses of the instances call activities of <paramref name="id"/> started, in the order they started.</summary>
    private async Task<List<string>> ChildrenAsync(Guid id)
    {
        await using var db = engine.Instances.OpenDb();
        var states = await db.Instances.AsNoTracking().Where(i => i.ParentId == id).OrderBy(i => i.StartedAt).Select(i => i.State).ToListAsync(None);
        return states.Select(s => JsonSerializer.Deserialize<InstanceState>(s, StepWriter.Json)!.Status.ToString()).ToList();
    }
}
