using System.Collections.Concurrent;
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

/// <summary>Runs the interpreter against stored instances. A step evaluates outside any lock and transaction, from the
/// state the instance's last step on this node left (<see cref="InstanceTips"/>) or from a plain read; its transaction
/// then locks the instance (a row lock on PostgreSQL, the database's write lock on SQLite), checks that the instance is
/// still at the revision the step was evaluated from, and commits the new state, its history and its waits together. A
/// step that finds the instance changed is evaluated again from a fresh read (ADR 0017).</summary>
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

    /// <summary>Instances whose last state this node keeps for their next step: a few thousand states of a few KB.</summary>
    private const int TipsKept = 4096;

    /// <summary>What a transaction answers a step evaluated from a revision the instance has left: evaluate it again.</summary>
    private static readonly StepOutcome Stale = new(StepStatus.Ignored, null, "the instance changed after the step was evaluated");

    private readonly InstanceTips tips = new(TipsKept);

    /// <summary>The latest published version of each process as this node last read it. A start at the latest version
    /// evaluates on it; its transaction reads the latest version anyway and sends it back when that changed.</summary>
    private readonly ConcurrentDictionary<string, int> latestSeen = new(StringComparer.Ordinal);

    private StepBatches? batches;
    private long sharedSteps;

    /// <summary>Starts and steps that committed in a transaction with others, since this store was made.</summary>
    public long StepsInSharedTransactions => Interlocked.Read(ref sharedSteps);

    /// <summary>Steps and starts evaluated again because their instance (or the latest version they started) changed
    /// between their evaluation and their transaction.</summary>
    public long StepsEvaluatedAgain => Interlocked.Read(ref evaluatedAgain);

    private long evaluatedAgain;

    public WeOpsDb OpenDb() => options.Open();

    /// <summary>The time on this store's clock.</summary>
    internal DateTimeOffset Now => time.GetUtcNow();

    public async Task<InstanceState> StartAsync(string key, int? version, JsonObject? variables, string? businessKey, CancellationToken cancellationToken,
        string? startEventId = null, long? consumedJobId = null, string? startedBy = null)
    {
        var start = new QueuedStart(Guid.NewGuid(), key, version, variables, businessKey, startEventId, startedBy);
        for (var attempt = 1; ; attempt++)
        {
            Task<StepOutcome> applying;
            using (var hold = await tips.HoldAsync(start.InstanceId, cancellationToken))
            {
                var step = await EvaluateStartAsync(start, consumedJobId, fresh: attempt > 1, cancellationToken);
                hold.Tip = step.Result!.State.IsEnded ? null : new InstanceTip(step.Result.State, 1, step);
                applying = Batches.Enqueue(step);
            }

            var outcome = await applying.WaitAsync(cancellationToken);
            if (!IsStale(outcome, start.InstanceId, attempt)) return outcome.State!;
        }
    }

    /// <summary>Evaluates a start outside any transaction. A start with no version takes the latest published one as
    /// this node last read it, or reads it (<paramref name="fresh"/>: always); its transaction checks it is still the
    /// latest.</summary>
    /// <exception cref="StartRefusedException">Nothing of that process or version can be started.</exception>
    private async Task<PendingStep> EvaluateStartAsync(QueuedStart start, long? consumedJobId, bool fresh, CancellationToken cancellationToken)
    {
        var number = start.Version;
        if (number is null)
        {
            if (!fresh && latestSeen.TryGetValue(start.Key, out var seen)) number = seen;
            else RememberLatest(start.Key, number = await definitions.LatestVersionAsync(start.Key, cancellationToken));
        }

        if (number is null) throw new StartRefusedException($"Process '{start.Key}' has no published version; publish it first.");
        var graph = await definitions.GraphAsync(start.Key, number.Value, cancellationToken)
            ?? throw new StartRefusedException($"Process '{start.Key}' has no version {number}.");
        if (start.StartEventId is null && graph.DefaultStartEvent() is null)
            throw new StartRefusedException($"Process '{start.Key}' has no none start event; it starts from its triggers only.");
        var request = new StartRequest(start.InstanceId.ToString(), number.Value)
        {
            Variables = start.Variables,
            BusinessKey = start.BusinessKey,
            StartEventId = start.StartEventId,
            StartedBy = start.StartedBy,
        };
        var now = time.GetUtcNow();
        var result = interpreter.Start(graph, request, now);
        return new PendingStep(start.InstanceId, null, consumedJobId, cancellationToken)
        {
            Start = start,
            Result = result,
            Graph = graph,
            LatestVersion = start.Version is null ? number : null,
            Children = await EvaluateChildrenAsync(result, now, cancellationToken),
        };
    }

    private void RememberLatest(string key, int? version)
    {
        if (version is { } known) latestSeen[key] = known;
        else latestSeen.TryRemove(key, out _);
    }

    /// <summary>Evaluates the starts of the instances the call activities of <paramref name="result"/> start, and theirs,
    /// before the transaction that writes them.</summary>
    private async Task<IReadOnlyDictionary<(Guid ParentId, int WaitId), PreparedChild>> EvaluateChildrenAsync(StepResult result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!result.Armed.Any(w => w is ChildInstanceWait)) return PreparedChild.None;
        var children = new Dictionary<(Guid, int), PreparedChild>();
        var parents = new Queue<StepResult>([result]);
        while (parents.TryDequeue(out var parent))
        {
            var parentId = Guid.Parse(parent.State.InstanceId);
            foreach (var wait in parent.Armed.OfType<ChildInstanceWait>())
            {
                var version = wait.Version ?? await definitions.LatestVersionAsync(wait.ProcessKey, cancellationToken);
                var graph = version is { } v ? await definitions.GraphAsync(wait.ProcessKey, v, cancellationToken) : null;
                if (graph?.DefaultStartEvent() is null)
                {
                    children[(parentId, wait.Id)] = new PreparedChild(null, null, ChildCannotStart(wait, graph));
                    continue;
                }

                var started = interpreter.Start(graph, ChildStart(parentId, wait, version!.Value), now);
                children[(parentId, wait.Id)] = new PreparedChild(graph, started, null);
                parents.Enqueue(started);
            }
        }

        return children;
    }

    private static StartRequest ChildStart(Guid parentId, ChildInstanceWait wait, int version) => new(Guid.NewGuid().ToString(), version)
    {
        Variables = wait.Variables,
        BusinessKey = wait.BusinessKey,
        Parent = new ParentLink(parentId.ToString(), wait.Id),
    };

    private static string ChildCannotStart(ChildInstanceWait wait, ProcessGraph? graph) => graph is null
        ? $"process '{wait.ProcessKey}' has no published version{(wait.Version is { } n ? $" {n}" : "")}"
        : $"process '{wait.ProcessKey}' has no none start event";

    /// <summary>True (and counted) when <paramref name="outcome"/> says the step must be evaluated again.</summary>
    /// <exception cref="DbUpdateConcurrencyException">The instance changed under every attempt.</exception>
    private bool IsStale(StepOutcome outcome, Guid instanceId, int attempt)
    {
        if (!ReferenceEquals(outcome, Stale)) return false;
        if (attempt >= MaxConflictRetries)
            throw new DbUpdateConcurrencyException($"Instance {instanceId} changed under each of {attempt} attempts of a step; try again.");
        Interlocked.Increment(ref evaluatedAgain);
        logger.LogDebug("Instance {Instance} changed after a step was evaluated; evaluating it again", instanceId);
        return true;
    }

    /// <summary>Evaluates, outside any transaction and lock, the start that <paramref name="peek"/> (reading without a
    /// lock) expects the transaction to make, so that a slow script on its first steps does not hold the write lock
    /// (ADR 0017). Null when peek expects none.</summary>
    internal async Task<PreparedStart?> PrepareStartAsync(Func<WeOpsDb, CancellationToken, Task<PendingStart?>> peek, CancellationToken cancellationToken)
    {
        PendingStart? start;
        await using (var db = OpenDb()) start = await peek(db, cancellationToken);
        if (start is null) return null;
        var graph = await definitions.GraphAsync(start.Key, start.Version, cancellationToken);
        return graph is null ? null : await PrepareStartAsync(graph, start, cancellationToken);
    }

    /// <summary>Evaluates the start of <paramref name="start"/> and of the instances its call activities start, outside
    /// any transaction.</summary>
    internal async Task<PreparedStart> PrepareStartAsync(ProcessGraph graph, PendingStart start, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // What the transaction will compare with, kept apart from the variables the interpreter takes in.
        var expected = start with { Variables = (JsonObject?)start.Variables?.DeepClone() };
        var result = interpreter.Start(graph, new StartRequest(Guid.NewGuid().ToString(), start.Version) { Variables = start.Variables, StartEventId = start.StartEventId }, now);
        return new PreparedStart(expected, result, await EvaluateChildrenAsync(result, now, cancellationToken));
    }

    /// <summary>Starts an instance in the same transaction as <paramref name="consume"/>, which runs first,
    /// takes the job that asked for the start and says what to start (null: nothing). Whatever it changed
    /// in the unit of work commits with the instance, or neither does. A start that matches
    /// <paramref name="prepared"/> is written as evaluated there; another (the rows changed meanwhile) is
    /// evaluated here.</summary>
    internal async Task<InstanceState?> StartConsumingAsync(Func<WeOpsDb, CancellationToken, Task<PendingStart?>> consume, PreparedStart? prepared,
        CancellationToken cancellationToken)
    {
        using var gate = await options.EnterWriteAsync(cancellationToken);
        await using var db = OpenDb();
        await using var tx = await BeginAsync(db, cancellationToken);
        var start = await consume(db, cancellationToken);
        var now = time.GetUtcNow();
        var writer = new StepWriter(db, now.UtcDateTime, local, localLock);
        StepResult? result = null;
        var children = PreparedChild.None;
        if (start is not null)
        {
            if (prepared is not null && prepared.Matches(start))
            {
                (result, children) = (prepared.Result, prepared.Children);
            }
            else
            {
                var graph = await definitions.GraphAsync(start.Key, start.Version, cancellationToken)
                    ?? throw new InvalidOperationException($"Process '{start.Key}' has no version {start.Version}.");
                result = interpreter.Start(graph, new StartRequest(Guid.NewGuid().ToString(), start.Version) { Variables = start.Variables, StartEventId = start.StartEventId }, now);
            }

            var row = writer.NewInstance(result, null);
            await writer.WriteAsync(row, result, null, cancellationToken);
            await StartChildrenAsync(db, writer, now, children, cancellationToken);
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
        var batch = new InstanceBatch(db, writer, interpreter, now, options.Provider);
        var result = await work(batch);
        await StartChildrenAsync(db, writer, now, batch.PreparedChildren, cancellationToken);
        await CommitAsync(db, tx, writer, cancellationToken, wake: true);
        return result;
    }

    /// <summary>Applies a stimulus to an instance. <paramref name="consumedJobId"/> names the job row that
    /// brought it (a delivery), deleted in the same transaction so it cannot be applied twice. The step is evaluated
    /// before it joins a transaction; one without a guard may share its transaction with other steps waiting at the
    /// same moment (<see cref="StepBatches"/>). A guard runs in the step's own transaction, under the instance's lock.</summary>
    public async Task<StepOutcome> HandleAsync(Guid instanceId, Stimulus stimulus, long? consumedJobId, CancellationToken cancellationToken, StepGuard? guard = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            PendingStep step;
            Task<StepOutcome>? applying = null;
            using (var hold = await tips.HoldAsync(instanceId, cancellationToken))
            {
                step = await EvaluateAsync(hold, instanceId, stimulus, consumedJobId, fresh: attempt > 1, cancellationToken);
                // Joining the queue while the instance's gate is held keeps its steps in the order they were evaluated.
                if (guard is null) applying = Batches.Enqueue(step);
            }

            StepOutcome outcome;
            if (guard is null)
            {
                outcome = await applying!.WaitAsync(cancellationToken);
            }
            else
            {
                // A guarded step has a transaction of its own; the step it was evaluated after commits first.
                if (step.After is { } before) await ((Task)before.Done.Task).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                outcome = await ApplyGuardedAsync(step, guard, cancellationToken);
            }

            if (!IsStale(outcome, instanceId, attempt)) return outcome;
        }
    }

    /// <summary>Applies a guarded step in a transaction of its own and completes it, so that a step evaluated after it
    /// goes on. A step that did not apply (refused, stale, failed) takes its result out of the instance's tip, so the next
    /// step evaluates from the stored state instead of meeting it stale.</summary>
    private async Task<StepOutcome> ApplyGuardedAsync(PendingStep step, StepGuard guard, CancellationToken cancellationToken)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var outcome = await ApplyAloneAsync(step, guard, cancellationToken);
            step.Done.TrySetResult(outcome);
            return outcome;
        }
        catch
        {
            // Whoever waits for it only needs to know it is over.
            step.Done.TrySetCanceled(CancellationToken.None);
            throw;
        }
        finally
        {
            if (!step.Applied)
            {
                using var hold = await tips.HoldAsync(step.InstanceId, CancellationToken.None);
                if (hold.Tip?.After == step) hold.Tip = null;
            }
        }
    }

    /// <summary>Evaluates a step outside any transaction: from the instance's tip on this node, or (none, or
    /// <paramref name="fresh"/>) from the instance as stored, read without a lock. The result becomes the tip.</summary>
    private async Task<PendingStep> EvaluateAsync(InstanceTips.Hold hold, Guid instanceId, Stimulus stimulus, long? consumedJobId, bool fresh, CancellationToken cancellationToken)
    {
        var tip = fresh ? null : hold.Tip;
        if (tip is null) hold.Tip = tip = await ReadAsync(instanceId, cancellationToken);
        if (tip is null) return new PendingStep(instanceId, stimulus, consumedJobId, cancellationToken);

        var state = tip.State;
        var graph = await definitions.GraphAsync(state.DefinitionKey, state.DefinitionVersion, cancellationToken)
            ?? throw new InvalidOperationException($"Instance {instanceId} is pinned to {state.DefinitionKey} version {state.DefinitionVersion}, which is missing.");
        var now = time.GetUtcNow();
        var result = interpreter.Handle(graph, state, stimulus, now);
        var step = new PendingStep(instanceId, stimulus, consumedJobId, cancellationToken)
        {
            Result = result,
            Graph = graph,
            From = state,
            Revision = tip.Revision,
            After = tip.After,
            Children = result.Ignored is null ? await EvaluateChildrenAsync(result, now, cancellationToken) : PreparedChild.None,
        };
        if (result.Ignored is null) hold.Tip = result.State.IsEnded ? null : new InstanceTip(result.State, tip.Revision + 1, step);
        return step;
    }

    /// <summary>The instance as stored, read without a lock; null when there is none.</summary>
    private async Task<InstanceTip?> ReadAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        await using var db = OpenDb();
        var row = await db.Instances.AsNoTracking().Where(i => i.Id == instanceId).Select(i => new { i.State, i.Revision }).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : new InstanceTip(JsonSerializer.Deserialize<InstanceState>(row.State, StepWriter.Json)!, row.Revision, null);
    }

    /// <summary>Starts and unguarded steps go through queues (one per batch in flight), each in the order its steps
    /// came: a start does not overtake the steps queued before it.</summary>
    private StepBatches Batches => LazyInitializer.EnsureInitialized(ref batches,
        () => new StepBatches(ApplyManyAsync, options.Provider == DatabaseProvider.Postgres ? PostgresLanes : 1, MaxBatch));

    /// <summary>The wait a job or timer row answers for, when the stimulus came from one.</summary>
    private static int? JobWaitOf(Stimulus stimulus) => stimulus switch
    {
        JobCompleted c => c.WaitId,
        JobFailed f => f.WaitId,
        TimerFired t => t.WaitId,
        _ => null,
    };

    /// <summary>Applies a batch of evaluated steps in one transaction. If anything in it fails (a deadlock, an engine
    /// error, a corrupt row), nothing of it commits and each step is applied again alone, so one bad step costs the
    /// others only time.</summary>
    private async Task ApplyManyAsync(IReadOnlyList<PendingStep> steps)
    {
        if (steps.Count > 1)
        {
            try
            {
                var outcomes = await TryApplyAsync(steps, null, CancellationToken.None);
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
                step.Done.TrySetResult(await ApplyAloneAsync(step, null, step.CancellationToken));
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

    private async Task<StepOutcome> ApplyAloneAsync(PendingStep step, StepGuard? guard, CancellationToken cancellationToken)
    {
        try
        {
            return (await TryApplyAsync([step], guard, cancellationToken))[0];
        }
        catch (DbUpdateConcurrencyException)
        {
            // A write outside the steps (an instance migrated) between the lock and the write: nothing committed.
            return Stale;
        }
    }

    /// <summary>Writes evaluated steps in one transaction. Each instance is locked and read; a step whose instance is
    /// no longer at the revision it was evaluated from (or a start whose latest version changed) writes nothing, keeps
    /// its job row, and is answered <see cref="Stale"/>. Nothing is evaluated here: the transaction holds only what
    /// the database does. A <paramref name="guard"/> (single steps only) runs after the lock; its refusal rolls back.</summary>
    private async Task<StepOutcome[]> TryApplyAsync(IReadOnlyList<PendingStep> steps, StepGuard? guard, CancellationToken cancellationToken)
    {
        using var gate = await options.EnterWriteAsync(cancellationToken);
        await using var db = OpenDb();
        await using var tx = await BeginAsync(db, cancellationToken);
        var ids = steps.Where(s => s.Start is null).Select(s => s.InstanceId).Distinct().Order().ToArray();
        var latestOf = steps.Where(s => s.Start is { Version: null }).Select(s => s.Start!.Key).Distinct(StringComparer.Ordinal).ToArray();
        var (rows, latest) = await LockAsync(db, ids, latestOf, cancellationToken);
        foreach (var key in latestOf) RememberLatest(key, latest[key]);

        var locked = rows.ToDictionary(r => r.Id);
        var now = time.GetUtcNow();
        var writer = new StepWriter(db, now.UtcDateTime, local, localLock);
        var applied = new HashSet<PendingStep>();
        var written = new HashSet<Guid>();
        var outcomes = new StepOutcome[steps.Count];
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            if (step.Start is { } start)
            {
                if (start.Version is null && latest[start.Key] != step.LatestVersion)
                {
                    outcomes[i] = Stale;
                    continue;
                }

                if (step.ConsumedJobId is { } startJob) writer.Consume(startJob);
                var started = step.Result!;
                await writer.WriteAsync(writer.NewInstance(started, null), started, null, cancellationToken);
                applied.Add(step);
                outcomes[i] = new StepOutcome(StepStatus.Applied, started.State);
                continue;
            }

            if (!locked.TryGetValue(step.InstanceId, out var row))
            {
                if (step.ConsumedJobId is { } orphanJob) writer.Consume(orphanJob);
                outcomes[i] = new StepOutcome(StepStatus.NotFound, null, $"no instance {step.InstanceId}");
                continue;
            }

            if (step.Result is not { } result || !step.IsCurrent(row.Revision, applied))
            {
                outcomes[i] = Stale;
                continue;
            }

            if (guard is not null && await guard(db, cancellationToken) is { } refused) return [new StepOutcome(StepStatus.Refused, step.From, refused)];
            if (step.ConsumedJobId is { } consumedJob) writer.Consume(consumedJob);
            if (result.Ignored is not null)
            {
                outcomes[i] = new StepOutcome(StepStatus.Ignored, step.From, result.Ignored);
                continue;
            }

            // Only this step's own job row is gone: a wait an earlier step of the batch re-armed (a retry keeps its
            // wait id) is a new row that a later step disarming it must still delete.
            writer.ConsumedWait = step.ConsumedJobId is not null && JobWaitOf(step.Stimulus!) is { } consumedWait ? (step.InstanceId, consumedWait) : null;

            // A second step on the same instance may delete or update rows by query; what the first one added must be
            // in the database by then, or a wait it disarms would survive as a row. A step that only adds (a branch
            // arriving at a join) needs no flush.
            if (!written.Add(step.InstanceId) && writer.ChangesRowsByQuery(step.InstanceId, result))
            {
                await writer.FlushAsync(cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
            }

            var statusBefore = row.Status;
            await writer.WriteAsync(row, result, step.Stimulus, cancellationToken);
            await AlertLifecycle.AfterStepAsync(db, options.Provider, step.Graph!, row, statusBefore, now.UtcDateTime, logger, cancellationToken);
            await TicketProcessEntries.AfterStepAsync(db, step.Graph!, row, statusBefore, result.State, step.Stimulus, now.UtcDateTime, cancellationToken);
            applied.Add(step);
            outcomes[i] = new StepOutcome(StepStatus.Applied, result.State);
        }

        await StartChildrenAsync(db, writer, now, ChildrenOf(applied), cancellationToken);
        await CommitAsync(db, tx, writer, cancellationToken, wake: guard is not null);
        foreach (var step in applied) step.MarkApplied();
        return outcomes;
    }

    private static IReadOnlyDictionary<(Guid ParentId, int WaitId), PreparedChild> ChildrenOf(HashSet<PendingStep> steps)
    {
        Dictionary<(Guid, int), PreparedChild>? all = null;
        foreach (var step in steps)
        {
            if (step.Children.Count == 0) continue;
            all ??= [];
            foreach (var (key, child) in step.Children) all[key] = child;
        }

        return all ?? PreparedChild.None;
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

    /// <summary>Writes the instances call activities asked for, in the caller's transaction: as evaluated before it
    /// (<paramref name="evaluated"/>), or, for the starts of alert intake and schedules, evaluated here. A called
    /// process that cannot be found fails the call activity through a delivered stimulus.</summary>
    private async Task StartChildrenAsync(WeOpsDb db, StepWriter writer, DateTimeOffset now, IReadOnlyDictionary<(Guid ParentId, int WaitId), PreparedChild> evaluated,
        CancellationToken cancellationToken)
    {
        for (var i = 0; i < writer.ChildrenToStart.Count; i++)
        {
            var (parentId, wait) = writer.ChildrenToStart[i];
            StepResult result;
            if (evaluated.TryGetValue((parentId, wait.Id), out var child))
            {
                if (child.Result is null)
                {
                    writer.Deliver(parentId, new StimulusDelivery(new ChildFailed(wait.Id, null, child.Why!)));
                    continue;
                }

                result = child.Result;
            }
            else
            {
                var version = wait.Version ?? await DefinitionStore.LatestVersionAsync(db, wait.ProcessKey, cancellationToken);
                ProcessGraph? graph = version is { } v ? await definitions.GraphAsync(wait.ProcessKey, v, cancellationToken) : null;
                if (graph?.DefaultStartEvent() is null)
                {
                    writer.Deliver(parentId, new StimulusDelivery(new ChildFailed(wait.Id, null, ChildCannotStart(wait, graph))));
                    continue;
                }

                result = interpreter.Start(graph, ChildStart(parentId, wait, version!.Value), now);
            }

            var row = writer.NewInstance(result, parentId);
            await writer.WriteAsync(row, result, null, cancellationToken);
        }

        writer.ChildrenToStart.Clear();
    }

    /// <summary>Reads the instances of <paramref name="ids"/> for a step (locked on PostgreSQL; SQLite's write lock is
    /// the transaction's). On PostgreSQL this is one round trip, which also reads the latest versions of
    /// <paramref name="latestOf"/> and leaves the rows to the step writer; on SQLite the rows are the unit of work's.</summary>
    private async Task<(List<InstanceRow> Rows, Dictionary<string, int?> Latest)> LockAsync(
        WeOpsDb db, Guid[] ids, string[] latestOf, CancellationToken cancellationToken)
    {
        if (options.Provider == DatabaseProvider.Postgres) return await PostgresRows.LockAsync(db, ids, latestOf, cancellationToken);
        var rows = await db.Instances.Where(i => ids.Contains(i.Id)).ToListAsync(cancellationToken);
        var latest = new Dictionary<string, int?>(StringComparer.Ordinal);
        foreach (var key in latestOf) latest[key] = await DefinitionStore.LatestVersionAsync(db, key, cancellationToken);
        return (rows, latest);
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

    private Dictionary<(Guid ParentId, int WaitId), PreparedChild>? preparedChildren;

    /// <summary>The child starts evaluated with the prepared starts written in this batch.</summary>
    public IReadOnlyDictionary<(Guid ParentId, int WaitId), PreparedChild> PreparedChildren => preparedChildren ?? PreparedChild.None;

    /// <summary>Starts an instance of <paramref name="graph"/> (a published version) at a start event: as
    /// <paramref name="prepared"/> evaluated it before the transaction when it is that start, else evaluated here.</summary>
    public async Task<StepResult> Start(ProcessGraph graph, int version, string startEventId, JsonObject variables, PreparedStart? prepared, CancellationToken cancellationToken)
    {
        StepResult result;
        if (prepared is not null && prepared.Matches(new PendingStart(graph.Key, version, startEventId, variables)))
        {
            result = prepared.Result;
            if (prepared.Children.Count > 0)
            {
                preparedChildren ??= [];
                foreach (var (key, child) in prepared.Children) preparedChildren[key] = child;
            }
        }
        else
        {
            result = interpreter.Start(graph, new StartRequest(Guid.NewGuid().ToString(), version) { Variables = variables, StartEventId = startEventId }, now);
        }

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

/// <summary>A start evaluated before the transaction that writes it: what was expected, the interpreter's result, and the
/// starts of the instances its call activities start.</summary>
internal sealed record PreparedStart(PendingStart Start, StepResult Result, IReadOnlyDictionary<(Guid ParentId, int WaitId), PreparedChild> Children)
{
    /// <summary>True when the transaction decided on the same start: same process version, start event and variables.</summary>
    public bool Matches(PendingStart decided) =>
        decided.Key == Start.Key && decided.Version == Start.Version && decided.StartEventId == Start.StartEventId
        && JsonNode.DeepEquals(decided.Variables, Start.Variables);
}
