using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using WeOps.Engine.Alerts;
using WeOps.Engine.Execution;
using WeOps.Engine.Model;

namespace WeOps.Engine.Persistence;

public enum StepStatus { Applied, Ignored, NotFound, Refused }

/// <summary>Runs inside a step's transaction, after the instance is locked and before the interpreter: a reason
/// refuses the step and rolls back whatever the guard changed (e.g. an approval link marked used).</summary>
public delegate Task<string?> StepGuard(WeOpsDb db, CancellationToken cancellationToken);

public sealed record StepOutcome(StepStatus Status, InstanceState? State, string? Reason = null);

/// <summary>A process or version that cannot be started.</summary>
public sealed class StartRefusedException(string message) : Exception(message);

/// <summary>Runs the interpreter against stored instances: each step loads the instance under a row lock
/// (PostgreSQL) or the database's write lock (SQLite), and commits the new state, its history and its
/// waits in one transaction. A revision column catches any write based on a stale read.</summary>
public sealed class InstanceStore(
    DatabaseOptions options,
    DefinitionStore definitions,
    Interpreter interpreter,
    TimeProvider time,
    JobSignal signal,
    ILogger<InstanceStore> logger,
    LocalJobs? local = null,
    TimeSpan? localLock = null)
{
    private const int MaxConflictRetries = 8;

    /// <summary>Steps at most in one shared transaction: enough to spread a commit's cost, few enough that a
    /// batch holds its row locks briefly.</summary>
    private const int MaxBatch = 64;

    /// <summary>Batches in flight at once on PostgreSQL, so one batch's round trips overlap another's work; each
    /// drains its own lane of instances. SQLite has one writer, so one.</summary>
    private const int PostgresLanes = 2;

    private StepBatches? batches;
    private long sharedSteps;

    /// <summary>Starts and steps that committed in a transaction with others, since this store was made.</summary>
    public long StepsInSharedTransactions => Interlocked.Read(ref sharedSteps);

    public WeOpsDb OpenDb() => options.Open();

    public async Task<InstanceState> StartAsync(string key, int? version, JsonObject? variables, string? businessKey, CancellationToken cancellationToken,
        string? startEventId = null, long? consumedJobId = null, string? startedBy = null)
    {
        var start = new QueuedStart(Guid.NewGuid(), key, version, variables, businessKey, startEventId, startedBy);
        if (consumedJobId is not null) return await StartAloneAsync(start, consumedJobId, cancellationToken);
        var outcome = await Batches.Enqueue(new PendingStep(start.InstanceId, null, null, cancellationToken) { Start = start }).WaitAsync(cancellationToken);
        return outcome.Status == StepStatus.Refused ? throw new StartRefusedException(outcome.Reason!) : outcome.State!;
    }

    /// <summary>The graph and request of a start, read in the start's own transaction: a start with no version
    /// takes the latest published one, looked up once per process per batch (<paramref name="latest"/>).</summary>
    /// <exception cref="StartRefusedException">Nothing of that process or version can be started.</exception>
    private async Task<(ProcessGraph Graph, StartRequest Request)> ResolveAsync(WeOpsDb db, QueuedStart start, Dictionary<string, int?>? latest, CancellationToken cancellationToken)
    {
        var number = start.Version;
        if (number is null && latest?.TryGetValue(start.Key, out number) != true)
        {
            number = await DefinitionStore.LatestVersionAsync(db, start.Key, cancellationToken);
            latest?.Add(start.Key, number);
        }

        if (number is null) throw new StartRefusedException($"Process '{start.Key}' has no published version; publish it first.");
        var graph = await definitions.GraphAsync(start.Key, number.Value, cancellationToken)
            ?? throw new StartRefusedException($"Process '{start.Key}' has no version {number}.");
        if (start.StartEventId is null && graph.DefaultStartEvent() is null)
            throw new StartRefusedException($"Process '{start.Key}' has no none start event; it starts from its triggers only.");
        return (graph, new StartRequest(start.InstanceId.ToString(), number.Value)
        {
            Variables = start.Variables,
            BusinessKey = start.BusinessKey,
            StartEventId = start.StartEventId,
            StartedBy = start.StartedBy,
        });
    }

    private async Task<InstanceState> StartAloneAsync(QueuedStart start, long? consumedJobId, CancellationToken cancellationToken)
    {
        using var gate = await options.EnterWriteAsync(cancellationToken);
        await using var db = OpenDb();
        await using var tx = await BeginAsync(db, cancellationToken);
        var (graph, request) = await ResolveAsync(db, start, null, cancellationToken);
        var now = time.GetUtcNow();
        var writer = new StepWriter(db, now.UtcDateTime, local, localLock);
        var result = interpreter.Start(graph, request, now);
        if (consumedJobId is { } jobId) await db.Jobs.Where(j => j.Id == jobId).ExecuteDeleteAsync(cancellationToken);
        var row = writer.NewInstance(result, null);
        await writer.WriteAsync(row, result, null, cancellationToken);
        await StartChildrenAsync(db, writer, now, cancellationToken);
        await CommitAsync(db, tx, writer, cancellationToken);
        return result.State;
    }

    /// <summary>Starts an instance in the same transaction as <paramref name="consume"/>, which runs first,
    /// takes the job that asked for the start and says what to start (null: nothing). Whatever it changed
    /// in the unit of work commits with the instance, or neither does.</summary>
    internal async Task<InstanceState?> StartConsumingAsync(Func<WeOpsDb, CancellationToken, Task<PendingStart?>> consume, CancellationToken cancellationToken)
    {
        using var gate = await options.EnterWriteAsync(cancellationToken);
        await using var db = OpenDb();
        await using var tx = await BeginAsync(db, cancellationToken);
        var start = await consume(db, cancellationToken);
        var now = time.GetUtcNow();
        var writer = new StepWriter(db, now.UtcDateTime, local, localLock);
        StepResult? result = null;
        if (start is not null)
        {
            var graph = await definitions.GraphAsync(start.Key, start.Version, cancellationToken)
                ?? throw new InvalidOperationException($"Process '{start.Key}' has no version {start.Version}.");
            result = interpreter.Start(graph, new StartRequest(Guid.NewGuid().ToString(), start.Version) { Variables = start.Variables, StartEventId = start.StartEventId }, now);
            var row = writer.NewInstance(result, null);
            await writer.WriteAsync(row, result, null, cancellationToken);
            await StartChildrenAsync(db, writer, now, cancellationToken);
        }

        await CommitAsync(db, tx, writer, cancellationToken, wake: true);
        return result?.State;
    }

    /// <summary>Runs <paramref name="work"/> in one transaction in which it may write rows of its own and start
    /// instances (<see cref="InstanceBatch.Start"/>); all of it commits together, then the started
    /// instances' jobs go to the workers. Alert intake starts its instances this way.</summary>
    internal async Task<T> InTransactionAsync<T>(Func<InstanceBatch, Task<T>> work, CancellationToken cancellationToken)
    {
        using var gate = await options.EnterWriteAsync(cancellationToken);
        await using var db = OpenDb();
        await using var tx = await BeginAsync(db, cancellationToken);
        var now = time.GetUtcNow();
        var writer = new StepWriter(db, now.UtcDateTime, local, localLock);
        var result = await work(new InstanceBatch(db, writer, interpreter, now, options.Provider));
        await StartChildrenAsync(db, writer, now, cancellationToken);
        await CommitAsync(db, tx, writer, cancellationToken, wake: true);
        return result;
    }

    /// <summary>Applies a stimulus to an instance. <paramref name="consumedJobId"/> names the job row that
    /// brought it (a delivery), deleted in the same transaction so it cannot be applied twice. A step without a
    /// guard may share its transaction with other steps waiting at the same moment (<see cref="StepBatches"/>).</summary>
    public Task<StepOutcome> HandleAsync(Guid instanceId, Stimulus stimulus, long? consumedJobId, CancellationToken cancellationToken, StepGuard? guard = null)
    {
        if (guard is not null) return HandleAloneAsync(instanceId, stimulus, consumedJobId, guard, cancellationToken);
        return Batches.Enqueue(new PendingStep(instanceId, stimulus, consumedJobId, cancellationToken)).WaitAsync(cancellationToken);
    }

    /// <summary>Starts and unguarded steps go through queues (one per batch in flight), each in the order its steps
    /// came: a start does not overtake the steps queued before it.</summary>
    private StepBatches Batches => LazyInitializer.EnsureInitialized(ref batches,
        () => new StepBatches(ApplyManyAsync, options.Provider == DatabaseProvider.Postgres ? PostgresLanes : 1, MaxBatch));

    private async Task<StepOutcome> HandleAloneAsync(Guid instanceId, Stimulus stimulus, long? consumedJobId, StepGuard? guard, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryHandleAsync(instanceId, stimulus, consumedJobId, guard, cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxConflictRetries)
            {
                logger.LogDebug("Instance {Instance} changed under step {Stimulus}; retrying", instanceId, stimulus.GetType().Name);
            }
        }
    }

    private async Task<StepOutcome> TryHandleAsync(Guid instanceId, Stimulus stimulus, long? consumedJobId, StepGuard? guard, CancellationToken cancellationToken)
    {
        using var gate = await options.EnterWriteAsync(cancellationToken);
        await using var db = OpenDb();
        await using var tx = await BeginAsync(db, cancellationToken);
        var row = (await LockAsync(db, [instanceId], consumedJobId is { } consumed ? [consumed] : [], [], cancellationToken)).Rows.SingleOrDefault();
        if (row is null)
        {
            await tx.CommitAsync(cancellationToken);
            return new StepOutcome(StepStatus.NotFound, null, $"no instance {instanceId}");
        }

        var state = JsonSerializer.Deserialize<InstanceState>(row.State, StepWriter.Json)!;
        if (guard is not null && await guard(db, cancellationToken) is { } refused)
            return new StepOutcome(StepStatus.Refused, state, refused);
        var graph = await definitions.GraphAsync(row.DefinitionKey, row.Version, cancellationToken)
            ?? throw new InvalidOperationException($"Instance {instanceId} is pinned to {row.DefinitionKey} version {row.Version}, which is missing.");
        var now = time.GetUtcNow();
        var result = interpreter.Handle(graph, state, stimulus, now);
        if (result.Ignored is not null)
        {
            await tx.CommitAsync(cancellationToken);
            return new StepOutcome(StepStatus.Ignored, state, result.Ignored);
        }

        var writer = new StepWriter(db, now.UtcDateTime, local, localLock);
        if (consumedJobId is not null && JobWaitOf(stimulus) is { } consumedWait) writer.ConsumedWait = (instanceId, consumedWait);
        var statusBefore = row.Status;
        await writer.WriteAsync(row, result, stimulus, cancellationToken);
        await AlertLifecycle.AfterStepAsync(db, options.Provider, graph, row, statusBefore, now.UtcDateTime, logger, cancellationToken);
        await StartChildrenAsync(db, writer, now, cancellationToken);
        await CommitAsync(db, tx, writer, cancellationToken, wake: guard is not null);
        return new StepOutcome(StepStatus.Applied, result.State);
    }

    /// <summary>The wait a job or timer row answers for, when the stimulus came from one.</summary>
    private static int? JobWaitOf(Stimulus stimulus) => stimulus switch
    {
        JobCompleted c => c.WaitId,
        JobFailed f => f.WaitId,
        TimerFired t => t.WaitId,
        _ => null,
    };

    /// <summary>Applies a batch of steps in one transaction. If anything in it fails (a conflict, a deadlock, an
    /// engine error), nothing of it commits and each step runs again alone, so one bad step costs the others
    /// only time.</summary>
    private async Task ApplyManyAsync(IReadOnlyList<PendingStep> steps)
    {
        if (steps.Count > 1)
        {
            try
            {
                var outcomes = await TryHandleManyAsync(steps, CancellationToken.None);
                Interlocked.Add(ref sharedSteps, steps.Count);
                for (var i = 0; i < steps.Count; i++) steps[i].Done.TrySetResult(outcomes[i]);
                return;
            }
            catch (Exception e)
            {
                logger.LogDebug(e, "A batch of {Count} steps failed; applying them one by one", steps.Count);
            }
        }

        foreach (var step in steps)
        {
            try
            {
                step.Done.TrySetResult(step.Start is { } start
                    ? new StepOutcome(StepStatus.Applied, await StartAloneAsync(start, null, step.CancellationToken))
                    : await HandleAloneAsync(step.InstanceId, step.Stimulus!, step.ConsumedJobId, null, step.CancellationToken));
            }
            catch (OperationCanceledException) when (step.CancellationToken.IsCancellationRequested)
            {
                step.Done.TrySetCanceled(step.CancellationToken);
            }
            catch (Exception e)
            {
                step.Done.TrySetException(e);
            }
        }
    }

    private async Task<StepOutcome[]> TryHandleManyAsync(IReadOnlyList<PendingStep> steps, CancellationToken cancellationToken)
    {
        using var gate = await options.EnterWriteAsync(cancellationToken);
        await using var db = OpenDb();
        await using var tx = await BeginAsync(db, cancellationToken);
        var ids = steps.Where(s => s.Start is null).Select(s => s.InstanceId).Distinct().Order().ToArray();
        var consumed = steps.Where(s => s.ConsumedJobId is not null).Select(s => s.ConsumedJobId!.Value).ToArray();
        var latestOf = steps.Where(s => s.Start is { Version: null }).Select(s => s.Start!.Key).Distinct(StringComparer.Ordinal).ToArray();
        var (rows, latest) = await LockAsync(db, ids, consumed, latestOf, cancellationToken);

        var instances = new Dictionary<Guid, (InstanceRow Row, InstanceState State, ProcessGraph Graph)>();
        foreach (var row in rows)
        {
            var graph = await definitions.GraphAsync(row.DefinitionKey, row.Version, cancellationToken)
                ?? throw new InvalidOperationException($"Instance {row.Id} is pinned to {row.DefinitionKey} version {row.Version}, which is missing.");
            instances[row.Id] = (row, JsonSerializer.Deserialize<InstanceState>(row.State, StepWriter.Json)!, graph);
        }

        var now = time.GetUtcNow();
        var writer = new StepWriter(db, now.UtcDateTime, local, localLock);
        var written = new HashSet<Guid>();
        var outcomes = new StepOutcome[steps.Count];
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            if (step.Start is { } start)
            {
                ProcessGraph graph;
                StartRequest request;
                try
                {
                    (graph, request) = await ResolveAsync(db, start, latest, cancellationToken);
                }
                catch (StartRefusedException e)
                {
                    outcomes[i] = new StepOutcome(StepStatus.Refused, null, e.Message);
                    continue;
                }

                var started = interpreter.Start(graph, request, now);
                await writer.WriteAsync(writer.NewInstance(started, null), started, null, cancellationToken);
                outcomes[i] = new StepOutcome(StepStatus.Applied, started.State);
                continue;
            }

            if (!instances.TryGetValue(step.InstanceId, out var instance))
            {
                outcomes[i] = new StepOutcome(StepStatus.NotFound, null, $"no instance {step.InstanceId}");
                continue;
            }

            // Only this step's own job row is gone: a wait an earlier step of the batch re-armed (a retry keeps its
            // wait id) is a new row that a later step disarming it must still delete.
            writer.ConsumedWait = step.ConsumedJobId is not null && JobWaitOf(step.Stimulus!) is { } consumedWait ? (step.InstanceId, consumedWait) : null;
            var result = interpreter.Handle(instance.Graph, instance.State, step.Stimulus!, now);
            if (result.Ignored is not null)
            {
                outcomes[i] = new StepOutcome(StepStatus.Ignored, instance.State, result.Ignored);
                continue;
            }

            // A second step on the same instance may delete or update rows by query; what the first one added must be
            // in the database by then, or a wait it disarms would survive as a row. A step that only adds (a branch
            // arriving at a join) needs no flush.
            if (!written.Add(step.InstanceId) && writer.ChangesRowsByQuery(step.InstanceId, result))
            {
                await writer.FlushAsync(cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
            }

            var statusBefore = instance.Row.Status;
            await writer.WriteAsync(instance.Row, result, step.Stimulus, cancellationToken);
            await AlertLifecycle.AfterStepAsync(db, options.Provider, instance.Graph, instance.Row, statusBefore, now.UtcDateTime, logger, cancellationToken);
            instances[step.InstanceId] = instance with { State = result.State };
            outcomes[i] = new StepOutcome(StepStatus.Applied, result.State);
        }

        await StartChildrenAsync(db, writer, now, cancellationToken);
        await CommitAsync(db, tx, writer, cancellationToken);
        return outcomes;
    }

    /// <summary>Commits a step, then hands the jobs it locked for this node to the node's workers; if the
    /// commit fails, their places are given back. The workers are woken when the step left work for them to claim,
    /// or always (<paramref name="wake"/>) when code other than the step writer may have added rows.</summary>
    private async Task CommitAsync(WeOpsDb db, IDbContextTransaction tx, StepWriter writer, CancellationToken cancellationToken, bool wake = false)
    {
        var committed = false;
        try
        {
            await writer.FlushAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
            committed = true;
        }
        finally
        {
            if (!committed) local?.Cancel(writer.LocalJobs.Count);
        }

        foreach (var job in writer.LocalJobs) local!.Publish(job);
        if (wake || writer.LeftWorkToClaim) signal.Notify();
    }

    /// <summary>Starts the instances call activities asked for, in the caller's transaction. A called
    /// process that cannot be found fails the call activity through a delivered stimulus.</summary>
    private async Task StartChildrenAsync(WeOpsDb db, StepWriter writer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        for (var i = 0; i < writer.ChildrenToStart.Count; i++)
        {
            var (parentId, wait) = writer.ChildrenToStart[i];
            var version = wait.Version ?? await DefinitionStore.LatestVersionAsync(db, wait.ProcessKey, cancellationToken);
            ProcessGraph? graph = version is { } v ? await definitions.GraphAsync(wait.ProcessKey, v, cancellationToken) : null;
            if (graph?.DefaultStartEvent() is null)
            {
                var why = graph is null ? $"process '{wait.ProcessKey}' has no published version{(wait.Version is { } n ? $" {n}" : "")}" : $"process '{wait.ProcessKey}' has no none start event";
                writer.Deliver(parentId, new StimulusDelivery(new ChildFailed(wait.Id, null, why)));
                continue;
            }

            var request = new StartRequest(Guid.NewGuid().ToString(), version!.Value)
            {
                Variables = wait.Variables,
                BusinessKey = wait.BusinessKey,
                Parent = new ParentLink(parentId.ToString(), wait.Id),
            };
            var result = interpreter.Start(graph, request, now);
            var row = writer.NewInstance(result, parentId);
            await writer.WriteAsync(row, result, null, cancellationToken);
        }

        writer.ChildrenToStart.Clear();
    }

    /// <summary>Reads the instances of <paramref name="ids"/> for a step (locked on PostgreSQL; SQLite's write lock is
    /// the transaction's) and deletes the <paramref name="consumed"/> job rows that brought it. On PostgreSQL this is one
    /// round trip, which also reads the latest versions of <paramref name="latestOf"/> and leaves the rows to the step
    /// writer; on SQLite the rows are the unit of work's and the latest versions are looked up as starts resolve.</summary>
    private async Task<(List<InstanceRow> Rows, Dictionary<string, int?> Latest)> LockAsync(
        WeOpsDb db, Guid[] ids, long[] consumed, string[] latestOf, CancellationToken cancellationToken)
    {
        if (options.Provider == DatabaseProvider.Postgres) return await PostgresRows.LockAsync(db, ids, consumed, latestOf, cancellationToken);
        var rows = await db.Instances.Where(i => ids.Contains(i.Id)).ToListAsync(cancellationToken);
        if (consumed.Length > 0) await db.Jobs.Where(j => consumed.Contains(j.Id)).ExecuteDeleteAsync(cancellationToken);
        return (rows, new Dictionary<string, int?>(StringComparer.Ordinal));
    }

    /// <summary>On SQLite this is BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default): the write lock is
    /// taken first, so two steps never both read and then both write.</summary>
    private static Task<IDbContextTransaction> BeginAsync(WeOpsDb db, CancellationToken cancellationToken) =>
        db.Database.BeginTransactionAsync(cancellationToken);
}

/// <summary>One transaction of <see cref="InstanceStore.InTransactionAsync{T}"/>: its unit of work, and
/// the way to start instances in it.</summary>
internal sealed class InstanceBatch(WeOpsDb db, StepWriter writer, Interpreter interpreter, DateTimeOffset now, DatabaseProvider provider)
{
    public WeOpsDb Db => db;
    public DateTimeOffset Now => now;
    public DatabaseProvider Provider => provider;

    /// <summary>Starts an instance of <paramref name="graph"/> (a published version) at a start event.</summary>
    public async Task<StepResult> Start(ProcessGraph graph, int version, string startEventId, JsonObject variables, CancellationToken cancellationToken)
    {
        var result = interpreter.Start(graph, new StartRequest(Guid.NewGuid().ToString(), version) { Variables = variables, StartEventId = startEventId }, now);
        var row = writer.NewInstance(result, null);
        await writer.WriteAsync(row, result, null, cancellationToken);
        return result;
    }

    public void Deliver(Guid instanceId, Delivery delivery) => writer.Deliver(instanceId, delivery);
}

/// <summary>Wakes the node's workers when a step on this node created work, instead of waiting for the next poll.</summary>
public sealed class JobSignal
{
    private readonly SemaphoreSlim semaphore = new(0, 1);

    public void Notify()
    {
        if (semaphore.CurrentCount == 0)
        {
            try
            {
                semaphore.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => semaphore.WaitAsync(timeout, cancellationToken);
}
