using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WeOps.Engine.Execution;
using WeOps.Engine.Executors;
using WeOps.Engine.Model;
using WeOps.Engine.Time;

namespace WeOps.Engine.Runtime;

/// <summary>Runs instances in memory, one step at a time and in a fixed order: jobs execute in the
/// order they were created, timers fire in due order as the clock is moved. For tests, the benchmark
/// and embedding; nothing survives the process.</summary>
public sealed class InMemoryRuntime(Interpreter interpreter, ExecutorCatalog executors, TimeProvider clock, ILogger? logger = null)
{
    private readonly ILogger logger = logger ?? NullLogger.Instance;

    /// <summary>Where executors put output too large for a variable.</summary>
    public InMemoryLargeOutputStore LargeOutputs { get; } = new();
    private readonly Dictionary<string, List<ProcessGraph>> definitions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RunningInstance> instances = new(StringComparer.Ordinal);
    private readonly List<HistoryEntry> emptyHistory = [];
    private readonly Queue<(string InstanceId, OutboundEvent Event)> outbox = new();
    private int nextInstance = 1;

    public TimeProvider Clock => clock;

    /// <summary>Publishes a process as its next version; returns the version number.</summary>
    public int Deploy(ProcessGraph graph)
    {
        if (!definitions.TryGetValue(graph.Key, out var versions)) definitions[graph.Key] = versions = [];
        versions.Add(graph);
        return versions.Count;
    }

    public async Task<string> StartAsync(string key, JsonObject? variables = null, int? version = null, string? startEventId = null, string? businessKey = null, string? startedBy = null)
    {
        var id = StartInstance(key, version, new StartRequest("", 0) { Variables = variables, StartEventId = startEventId, BusinessKey = businessKey, StartedBy = startedBy });
        await RunUntilIdleAsync();
        return id;
    }

    public InstanceState Instance(string instanceId) => Get(instanceId).State;

    public IReadOnlyList<HistoryEntry> History(string instanceId) => instances.TryGetValue(instanceId, out var i) ? i.History : emptyHistory;

    public IEnumerable<InstanceState> Instances => instances.Values.Select(i => i.State);

    /// <summary>Instances started by a call activity of the given one.</summary>
    public IEnumerable<InstanceState> ChildrenOf(string instanceId) => Instances.Where(s => s.Parent?.InstanceId == instanceId);

    public IEnumerable<(string InstanceId, Wait Wait)> OpenWaits =>
        instances.Values.SelectMany(i => i.State.Waits.Select(w => (i.State.InstanceId, w)));

    /// <summary>Delivers a message to every subscription with its name and correlation key; when none waits,
    /// starts the processes whose message start event has that name. Returns how many it reached.</summary>
    public async Task<int> PublishMessageAsync(string name, string? correlationKey = null, JsonObject? variables = null)
    {
        var reached = DeliverMessage(name, correlationKey, variables);
        await RunUntilIdleAsync();
        return reached;
    }

    public async Task<int> BroadcastSignalAsync(string name, JsonObject? variables = null)
    {
        var reached = DeliverSignal(name, variables);
        await RunUntilIdleAsync();
        return reached;
    }

    public async Task CompleteUserTaskAsync(string instanceId, string elementId, JsonObject? variables = null, string? actor = null)
    {
        var wait = Get(instanceId).State.Waits.OfType<UserTaskWait>().FirstOrDefault(w => w.ElementId == elementId)
            ?? throw new InvalidOperationException($"Instance {instanceId} has no open user task '{elementId}'.");
        Handle(instanceId, new UserTaskCompleted(wait.Id, variables, actor));
        await RunUntilIdleAsync();
    }

    public async Task SendAsync(string instanceId, Stimulus stimulus)
    {
        Handle(instanceId, stimulus);
        await RunUntilIdleAsync();
    }

    /// <summary>Moves the clock forward, firing timers and retrying jobs at their due times in order.</summary>
    public async Task AdvanceClockAsync(TimeSpan by)
    {
        var manual = clock as ManualClock ?? throw new InvalidOperationException("Only a runtime on a ManualClock can be advanced.");
        var target = clock.GetUtcNow() + by;
        while (true)
        {
            var next = OpenWaits
                .Select(w => w.Wait switch { TimerWait t => t.DueAt, JobWait j => j.DueAt, _ => DateTimeOffset.MaxValue })
                .Where(due => due <= target)
                .DefaultIfEmpty(DateTimeOffset.MaxValue)
                .Min();
            if (next == DateTimeOffset.MaxValue) break;
            if (next > clock.GetUtcNow()) manual.Set(next);
            await RunUntilIdleAsync();
        }

        manual.Set(target);
        await RunUntilIdleAsync();
    }

    /// <summary>Runs due jobs and timers, delivers thrown messages and signals, and starts and finishes
    /// child instances until nothing is left to do now.</summary>
    public async Task RunUntilIdleAsync()
    {
        for (var rounds = 0; rounds < 100_000; rounds++)
        {
            if (outbox.TryDequeue(out var thrown))
            {
                Deliver(thrown.Event);
                continue;
            }

            var now = clock.GetUtcNow();
            var due = OpenWaits
                .Where(w => w.Wait is JobWait j && j.DueAt <= now || w.Wait is TimerWait t && t.DueAt <= now)
                .OrderBy(w => w.Wait switch { JobWait j => j.DueAt, TimerWait t => t.DueAt, _ => now })
                .ThenBy(w => w.InstanceId, StringComparer.Ordinal)
                .ThenBy(w => w.Wait.Id)
                .FirstOrDefault();
            if (due.Wait is JobWait job)
            {
                Handle(due.InstanceId, await RunJobAsync(due.InstanceId, job));
                continue;
            }

            if (due.Wait is TimerWait timer)
            {
                Handle(due.InstanceId, new TimerFired(timer.Id));
                continue;
            }

            return;
        }

        throw new InvalidOperationException("The runtime did not become idle after 100000 rounds; a process keeps itself busy.");
    }

    private async Task<Stimulus> RunJobAsync(string instanceId, JobWait job)
    {
        if (!executors.TryGet(job.ExecutorType, out var executor))
            return new JobFailed(job.Id, $"No executor is registered for type '{job.ExecutorType}'.");
        using var timeout = job.Timeout is { } t ? new CancellationTokenSource(t) : new CancellationTokenSource();
        try
        {
            var context = new ExecutorContext(instanceId, job.ElementId, job.Attempt, logger, LargeOutputs);
            return new JobCompleted(job.Id, await executor.ExecuteAsync((JsonObject)job.Inputs.DeepClone(), context, timeout.Token));
        }
        catch (BpmnErrorException e)
        {
            return new JobFailed(job.Id, e.Message, e.ErrorCode);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return new JobFailed(job.Id, $"timed out after {job.Timeout}");
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Job {Job} of instance {Instance} at {Element} failed", job.Id, instanceId, job.ElementId);
            return new JobFailed(job.Id, e.Message);
        }
    }

    private string StartInstance(string key, int? version, StartRequest request)
    {
        var graph = Definition(key, version, out var number);
        var id = $"i{nextInstance++}";
        var result = interpreter.Start(graph, request with { InstanceId = id, DefinitionVersion = number }, clock.GetUtcNow());
        instances[id] = new RunningInstance(graph, result.State);
        Apply(id, result);
        return id;
    }

    private void Handle(string instanceId, Stimulus stimulus)
    {
        var instance = Get(instanceId);
        var result = interpreter.Handle(instance.Graph, instance.State, stimulus, clock.GetUtcNow());
        if (result.Ignored is not null)
        {
            logger.LogDebug("Instance {Instance} ignored {Stimulus}: {Reason}", instanceId, stimulus, result.Ignored);
            return;
        }

        instance.State = result.State;
        Apply(instanceId, result);
    }

    private void Apply(string instanceId, StepResult result)
    {
        var instance = instances[instanceId];
        instance.History.AddRange(result.History);
        foreach (var thrown in result.Events) outbox.Enqueue((instanceId, thrown));
        foreach (var child in result.Armed.OfType<ChildInstanceWait>())
        {
            try
            {
                StartInstance(child.ProcessKey, child.Version, new StartRequest("", 0)
                {
                    Variables = child.Variables,
                    BusinessKey = child.BusinessKey,
                    Parent = new ParentLink(instanceId, child.Id),
                });
            }
            catch (KeyNotFoundException e)
            {
                Handle(instanceId, new ChildFailed(child.Id, null, e.Message));
            }
        }

        foreach (var child in result.Disarmed.OfType<ChildInstanceWait>())
        {
            var running = instances.Values.FirstOrDefault(i => i.State.Parent == new ParentLink(instanceId, child.Id) && !i.State.IsEnded);
            if (running is not null) Handle(running.State.InstanceId, new InstanceCancelled("the calling activity was cancelled"));
        }

        var state = result.State;
        if (state.IsEnded && state.Parent is { } parent && instances.ContainsKey(parent.InstanceId))
        {
            Handle(parent.InstanceId, state.Status switch
            {
                InstanceStatus.Completed => new ChildCompleted(parent.WaitId, (JsonObject)state.Variables.DeepClone()),
                InstanceStatus.Failed => new ChildFailed(parent.WaitId, state.EndErrorCode, state.EndErrorMessage ?? "failed"),
                _ => new ChildFailed(parent.WaitId, null, $"instance {state.InstanceId} was {state.Status.ToString().ToLowerInvariant()}"),
            });
        }
    }

    private void Deliver(OutboundEvent thrown)
    {
        switch (thrown)
        {
            case SignalThrown s: DeliverSignal(s.SignalName, s.Variables); break;
            case MessageThrown m: DeliverMessage(m.MessageName, m.CorrelationKey, m.Variables); break;
        }
    }

    private int DeliverMessage(string name, string? correlationKey, JsonObject? variables)
    {
        // One subscription per instance: the oldest, as the message is one event for that instance.
        var targets = OpenWaits
            .Where(w => w.Wait is MessageWait m && m.MessageName == name && (m.CorrelationKey is null || m.CorrelationKey == correlationKey))
            .GroupBy(w => w.InstanceId)
            .Select(g => g.OrderBy(w => w.Wait.Id).First())
            .ToList();
        foreach (var (instanceId, wait) in targets)
            Handle(instanceId, new EventDelivered(wait.Id, (JsonObject?)variables?.DeepClone()));
        if (targets.Count > 0) return targets.Count;
        return StartByEvent(e => e is MessageEventDefinition m && m.MessageName == name, variables);
    }

    private int DeliverSignal(string name, JsonObject? variables)
    {
        var targets = OpenWaits.Where(w => w.Wait is SignalWait s && s.SignalName == name).ToList();
        foreach (var (instanceId, wait) in targets)
            Handle(instanceId, new EventDelivered(wait.Id, (JsonObject?)variables?.DeepClone()));
        return targets.Count + StartByEvent(e => e is SignalEventDefinition s && s.SignalName == name, variables);
    }

    private int StartByEvent(Func<EventDefinition?, bool> matches, JsonObject? variables)
    {
        var started = 0;
        foreach (var (key, versions) in definitions.ToList())
        {
            var latest = versions[^1];
            foreach (var start in latest.StartEventsIn(null).Where(s => matches(s.Definition)))
            {
                StartInstance(key, versions.Count, new StartRequest("", 0) { Variables = (JsonObject?)variables?.DeepClone(), StartEventId = start.Id });
                started++;
            }
        }

        return started;
    }

    private ProcessGraph Definition(string key, int? version, out int number)
    {
        if (!definitions.TryGetValue(key, out var versions))
            throw new KeyNotFoundException($"No process '{key}' is deployed.");
        number = version ?? versions.Count;
        if (number < 1 || number > versions.Count)
            throw new KeyNotFoundException($"Process '{key}' has no version {number}.");
        return versions[number - 1];
    }

    private RunningInstance Get(string instanceId) =>
        instances.TryGetValue(instanceId, out var instance) ? instance : throw new KeyNotFoundException($"No instance '{instanceId}'.");

    private sealed class RunningInstance(ProcessGraph graph, InstanceState state)
    {
        public ProcessGraph Graph { get; } = graph;
        public InstanceState State { get; set; } = state;
        public List<HistoryEntry> History { get; } = [];
    }
}
