using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WeOps.Engine.Approvals;
using WeOps.Engine.Execution;
using WeOps.Engine.Executors;

namespace WeOps.Engine.Persistence;

public sealed record WorkerOptions
{
    /// <summary>Jobs this node runs at once.</summary>
    public int Parallelism { get; init; } = 8;

    /// <summary>How often an idle worker looks for due jobs that another node (or a timer) made due.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a claimed job stays locked beyond its own timeout, should its node keep its
    /// heartbeat but never finish the job.</summary>
    public TimeSpan LockMargin { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The lock on a job without a timeout of its own.</summary>
    public TimeSpan DefaultJobLock { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>A node silent (no heartbeat) for longer than this is gone, and the jobs it held are
    /// claimed by the others at once, whatever their lock said.</summary>
    public TimeSpan NodeLifetime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A schedule's occurrence fired later than this was missed (no node ran): its start event's
    /// misfire policy decides whether it still starts an instance.</summary>
    public TimeSpan MisfireThreshold { get; init; } = TimeSpan.FromMinutes(1);
}

/// <summary>Claims due jobs (executor calls, timers, deliveries) and carries them out: executors run
/// outside any transaction, under the job's timeout; their result is applied as a step.</summary>
public sealed class JobWorker(
    InstanceStore store,
    Correlator correlator,
    ExecutorCatalog executors,
    DatabaseOptions database,
    JobSignal signal,
    TimeProvider time,
    WorkerOptions options,
    string nodeId,
    ILogger<JobWorker> logger,
    ILargeOutputStore largeOutputs,
    ScheduleRunner schedules,
    LocalJobs? local = null,
    ApprovalPostOffice? mailer = null)
{
    /// <summary>Tries of an approval mail job before it is given up (and logged as an error).</summary>
    public const int MaxMailAttempts = 8;

    public string NodeId => nodeId;

    /// <summary>Steps this node has in flight that run no executor, or whose executor has returned. Timers and
    /// deliveries are only a step, so they are claimed by the hundred beside the executor slots (10,000 timers due at
    /// once are not let through <see cref="WorkerOptions.Parallelism"/> at a time). A job whose executor has returned
    /// trades its executor slot for one of these places while its step waits for a transaction: the parallelism bounds
    /// executor calls, not commits (ADR 0014). When every place is taken, finished executors keep their slots until one
    /// frees, so claiming slows down with the database instead of piling results up in memory.</summary>
    private const int StepsInFlight = 256;

    private static bool IsStepOnly(JobRow job) => job.Kind is JobKinds.Timer or JobKinds.Delivery;

    public async Task RunAsync(CancellationToken stop)
    {
        using var slots = new SemaphoreSlim(options.Parallelism);
        using var steps = new SemaphoreSlim(StepsInFlight);
        var running = new List<Task>();
        local?.Open(nodeId, options.Parallelism * 2);
        var handedOver = Task.Run(() => RunLocalAsync(slots, steps, stop), CancellationToken.None);
        while (!stop.IsCancellationRequested)
        {
            IReadOnlyList<JobRow> claimed;
            try
            {
                await slots.WaitAsync(stop);
                var free = slots.CurrentCount + 1;
                claimed = await ClaimAsync(free, stop);
                // A full claim, or one with timers or deliveries in it, may leave more of those due: take them in bulk.
                var stepOnlyClaimed = claimed.Count(IsStepOnly);
                if ((claimed.Count == free || stepOnlyClaimed > 0) && steps.CurrentCount > stepOnlyClaimed)
                    claimed = [.. claimed, .. await ClaimAsync(steps.CurrentCount - stepOnlyClaimed, stop, stepOnlyKinds: true)];
                slots.Release();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
            {
                slots.Release();
                logger.LogWarning(e, "Claiming jobs failed; trying again shortly");
                await Delay(stop);
                continue;
            }

            try
            {
                foreach (var job in claimed)
                    await StartInSlotAsync(job, IsStepOnly(job) ? steps : slots, steps, running, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }

            if (claimed.Count == 0) await Delay(stop);
        }

        local?.Close();
        await Task.WhenAll(running);
        await handedOver;
    }

    /// <summary>Runs the jobs steps on this node locked for it (see <see cref="LocalJobs"/>).</summary>
    private async Task RunLocalAsync(SemaphoreSlim slots, SemaphoreSlim steps, CancellationToken stop)
    {
        if (local is null) return;
        var running = new List<Task>();
        try
        {
            while (await local.Reader.WaitToReadAsync(stop))
            {
                while (local.Reader.TryRead(out var job))
                {
                    local.Taken();
                    await StartInSlotAsync(job, slots, steps, running, stop);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Jobs still queued stay locked to this node; once it is gone its locks no longer hold.
        }

        await Task.WhenAll(running);
    }

    /// <summary>Waits for a free slot, then runs the job in the background; the slot is freed when it ends, or, for a
    /// job that ran an executor, when its step has a place among <paramref name="steps"/>.</summary>
    private async Task StartInSlotAsync(JobRow job, SemaphoreSlim slots, SemaphoreSlim steps, List<Task> running, CancellationToken stop)
    {
        await slots.WaitAsync(stop);
        var slot = new Slot(slots, steps);
        running.RemoveAll(t => t.IsCompleted);
        running.Add(Task.Run(async () =>
        {
            try
            {
                await RunJobAsync(job, stop, slot);
            }
            finally
            {
                slot.Release();
            }
        }, CancellationToken.None));
    }

    /// <summary>The place a running job holds: an executor slot, then, once its executor has returned, a place among
    /// the steps in flight (<see cref="StepsInFlight"/>).</summary>
    private sealed class Slot(SemaphoreSlim first, SemaphoreSlim steps)
    {
        private SemaphoreSlim? held = first;

        /// <summary>Trades an executor slot for a step's place, waiting for one to free.</summary>
        public async Task ToStepAsync(CancellationToken stop)
        {
            if (held is null || held == steps) return;
            await steps.WaitAsync(stop);
            Interlocked.Exchange(ref held, steps)?.Release();
        }

        public void Release() => Interlocked.Exchange(ref held, null)?.Release();
    }

    /// <summary>Runs every job that is due now, one batch at a time, until none is left: for tests and tools.</summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var claimed = await ClaimAsync(options.Parallelism, cancellationToken);
            if (claimed.Count == 0) return total;
            await Task.WhenAll(claimed.Select(job => RunJobAsync(job, cancellationToken)));
            total += claimed.Count;
        }
    }

    private async Task Delay(CancellationToken stop)
    {
        try
        {
            await signal.WaitAsync(options.PollInterval, stop);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Locks up to <paramref name="count"/> due jobs for this node. On PostgreSQL, rows another
    /// node is claiming are skipped, not waited for.</summary>
    /// <remarks>A job is free when it is unlocked, its lock has expired, or its lock owner is no live node
    /// (no row in <c>nodes</c> with a heartbeat within <see cref="WorkerOptions.NodeLifetime"/>). Without
    /// the last rule, the jobs a killed node had claimed would wait out their lock (ten minutes and more)
    /// although nobody runs them; a node stopped cleanly removes its row, so its jobs are free at once. A node
    /// claiming is alive, whatever its heartbeat row says: its own locks hold until they expire. Otherwise a
    /// clock that jumps ahead of the last heartbeat (a test clock moved, an NTP step) would make it claim the
    /// jobs it is running or has handed to its workers, and run them twice.</remarks>
    public async Task<IReadOnlyList<JobRow>> ClaimAsync(int count, CancellationToken cancellationToken, bool stepOnlyKinds = false)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var until = now + (long)(options.DefaultJobLock + options.LockMargin).TotalMilliseconds;
        var alive = now - (long)options.NodeLifetime.TotalMilliseconds;
        var skipLocked = database.Provider == DatabaseProvider.Postgres ? "FOR UPDATE SKIP LOCKED" : "";
        using var gate = await database.EnterWriteAsync(cancellationToken);
        await using var db = store.OpenDb();
        var sql = $$"""
            UPDATE jobs SET lock_owner = {0}, locked_until = {1}
            WHERE id IN (SELECT id FROM jobs WHERE due_at <= {2}{{(stepOnlyKinds ? $" AND kind IN ('{JobKinds.Timer}', '{JobKinds.Delivery}')" : "")}}
                           AND (locked_until IS NULL OR locked_until < {2}
                                OR (jobs.lock_owner <> {0}
                                    AND NOT EXISTS (SELECT 1 FROM nodes WHERE nodes.id = jobs.lock_owner AND nodes.heartbeat_at >= {4})))
                         ORDER BY due_at, id LIMIT {3} {{skipLocked}})
            RETURNING id, instance_id, wait_id, kind, element_id, executor_type, due_at, attempt, lock_owner, locked_until, last_error, payload
            """;
        return await db.Jobs.FromSqlRaw(sql, nodeId, until, now, count, alive).AsNoTracking().ToListAsync(cancellationToken);
    }

    private async Task RunJobAsync(JobRow job, CancellationToken stop, Slot? slot = null)
    {
        try
        {
            switch (job.Kind)
            {
                case JobKinds.Job:
                    await ExecuteAsync(job, slot, stop);
                    break;
                case JobKinds.Timer:
                    await store.HandleAsync(job.InstanceId, new TimerFired(job.WaitId, nodeId), job.Id, stop);
                    break;
                case JobKinds.Delivery:
                    await DeliverAsync(job, stop);
                    break;
                case JobKinds.Schedule:
                    await schedules.FireAsync(job, stop);
                    break;
                case JobKinds.ApprovalMail:
                    await MailAsync(job, stop);
                    break;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The node is stopping: the lock expires and another node (or this one, restarted) runs the job.
        }
        catch (Exception e)
        {
            logger.LogError(e, "Job {Job} ({Kind}) of instance {Instance} failed in the engine; it runs again when its lock expires", job.Id, job.Kind, job.InstanceId);
            await RecordErrorAsync(job, e.Message, CancellationToken.None);
        }
    }

    private async Task ExecuteAsync(JobRow job, Slot? slot, CancellationToken stop)
    {
        var wait = JsonSerializer.Deserialize<JobWait>(job.Payload!, StepWriter.Json)!;
        if (wait.Timeout is { } timeout && timeout > options.DefaultJobLock)
        {
            // Hold the job for as long as it may run, so no other node takes it over meanwhile.
            var until = time.GetUtcNow().Add(timeout + options.LockMargin).ToUnixTimeMilliseconds();
            await using var db = store.OpenDb();
            await db.Jobs.Where(j => j.Id == job.Id && j.LockOwner == nodeId).ExecuteUpdateAsync(u => u.SetProperty(j => j.LockedUntil, until), stop);
        }

        var outcome = await RunExecutorAsync(job, wait, stop);
        if (slot is not null) await slot.ToStepAsync(stop);
        await store.HandleAsync(job.InstanceId, outcome, job.Id, stop);
    }

    private async Task<Stimulus> RunExecutorAsync(JobRow job, JobWait wait, CancellationToken stop)
    {
        if (!executors.TryGet(wait.ExecutorType, out var executor))
            return new JobFailed(wait.Id, $"No executor of type '{wait.ExecutorType}' is installed on node {nodeId}.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(wait.Timeout ?? options.DefaultJobLock);
        var context = new ExecutorContext(job.InstanceId.ToString(), wait.ElementId, wait.Attempt, logger, largeOutputs);
        try
        {
            var output = await executor.ExecuteAsync((JsonObject)wait.Inputs.DeepClone(), context, timeout.Token);
            return new JobCompleted(wait.Id, output, nodeId);
        }
        catch (BpmnErrorException e)
        {
            return new JobFailed(wait.Id, e.Message, e.ErrorCode);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            return new JobFailed(wait.Id, $"timed out after {wait.Timeout ?? options.DefaultJobLock}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogInformation("{Executor} at {Element} of {Instance} failed (attempt {Attempt}): {Error}", wait.ExecutorType, wait.ElementId, job.InstanceId, wait.Attempt, e.Message);
            return new JobFailed(wait.Id, e.Message);
        }
    }

    private async Task DeliverAsync(JobRow job, CancellationToken stop)
    {
        var delivery = JsonSerializer.Deserialize<Delivery>(job.Payload!, StepWriter.Json)!;
        switch (delivery)
        {
            case StimulusDelivery s:
                await store.HandleAsync(job.InstanceId, s.Stimulus, job.Id, stop);
                break;
            case MessageDelivery m:
                await correlator.FanOutMessageAsync(job.Id, m, stop);
                break;
            case SignalDelivery s:
                await correlator.FanOutSignalAsync(job.Id, s, stop);
                break;
            case CancelChildDelivery c:
                await correlator.CancelChildAsync(job.Id, c, stop);
                break;
        }
    }

    /// <summary>Sends approval mail outside any transaction, then deletes the job. A failure is tried again with a
    /// growing delay; the approvers of a task can also decide from the API, so a mail given up is logged, not fatal.</summary>
    private async Task MailAsync(JobRow job, CancellationToken stop)
    {
        var mail = JsonSerializer.Deserialize<ApprovalMailJob>(job.Payload!, StepWriter.Json)!;
        if (mailer is null)
        {
            logger.LogWarning("No approval mailer is installed on node {Node}; approval mail for instance {Instance} is not sent", nodeId, job.InstanceId);
            await DeleteJobAsync(job.Id, stop);
            return;
        }

        try
        {
            await mailer.DeliverAsync(mail, stop);
            await DeleteJobAsync(job.Id, stop);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
        {
            var attempt = job.Attempt + 1;
            await using var db = store.OpenDb();
            if (attempt >= MaxMailAttempts)
            {
                logger.LogError(e, "Approval mail for task {Wait} of instance {Instance} failed {Attempts} times; giving up", mail.WaitId, job.InstanceId, attempt);
                await db.Jobs.Where(j => j.Id == job.Id).ExecuteDeleteAsync(CancellationToken.None);
                return;
            }

            var due = time.GetUtcNow().AddSeconds(Math.Min(5 * Math.Pow(2, attempt), 600)).ToUnixTimeMilliseconds();
            logger.LogWarning("Approval mail for task {Wait} of instance {Instance} failed (attempt {Attempt}): {Error}", mail.WaitId, job.InstanceId, attempt, e.Message);
            await db.Jobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(u => u
                .SetProperty(j => j.Attempt, attempt).SetProperty(j => j.DueAt, due).SetProperty(j => j.LastError, e.Message)
                .SetProperty(j => j.LockOwner, (string?)null).SetProperty(j => j.LockedUntil, (long?)null), CancellationToken.None);
        }
    }

    private async Task DeleteJobAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = store.OpenDb();
        await db.Jobs.Where(j => j.Id == id).ExecuteDeleteAsync(cancellationToken);
    }

    private async Task RecordErrorAsync(JobRow job, string error, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = store.OpenDb();
            await db.Jobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(u => u.SetProperty(j => j.LastError, error), cancellationToken);
        }
        catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException or InvalidOperationException)
        {
            logger.LogWarning(e, "Could not record the error of job {Job}", job.Id);
        }
    }
}
