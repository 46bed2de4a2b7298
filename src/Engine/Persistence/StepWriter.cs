using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WeOps.Engine.Approvals;
using WeOps.Engine.Execution;
using WeOps.Engine.Model;

namespace WeOps.Engine.Persistence;

/// <summary>Writes one interpreter result into a unit of work: the instance row, its history, the rows of
/// the waits it armed and disarmed, and jobs for what crosses to other instances. The caller commits.</summary>
internal sealed class StepWriter(WeOpsDb db, DateTime now, LocalJobs? local = null, TimeSpan? localLock = null)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly List<HistoryRow> history = [];
    private readonly List<JobRow> jobs = [];
    private readonly List<long> consumed = [];

    /// <summary>PostgreSQL takes instance, history and job rows as arrays, many rows to a statement and the statements
    /// in one round trip (<see cref="PostgresRows"/>); SQLite through the unit of work.</summary>
    private readonly bool arrays = db.Database.IsNpgsql();

    /// <summary>On PostgreSQL, the instance rows written since the last flush, with the revision each has in the
    /// database (null: not there yet). Their rows are not tracked by the unit of work.</summary>
    private readonly Dictionary<InstanceRow, int?> instances = [];

    /// <summary>The wait whose job row the step being written has already deleted (the job or timer that brought
    /// it): disarming that wait needs no second delete, which saves a round trip on every job's step. Set per step.</summary>
    public (Guid InstanceId, int WaitId)? ConsumedWait { get; set; }

    /// <summary>Deletes, with the rows written next, the job row that brought a step: only a step that applies takes
    /// its job; one evaluated from a revision its instance has left keeps it, to be applied again.</summary>
    public void Consume(long jobId) => consumed.Add(jobId);

    /// <summary>Jobs due now that this node locked for itself; handed to its workers after the commit.</summary>
    public List<JobRow> LocalJobs { get; } = [];

    /// <summary>True once the step wrote a row due now that no worker of this node was handed (a delivery, a mail, a
    /// due timer, a job past this node's share): after the commit the workers are woken to claim it. A step whose
    /// jobs all went to <see cref="LocalJobs"/> leaves the workers asleep, which spares a claim query per step.</summary>
    public bool LeftWorkToClaim { get; private set; }

    /// <summary>Child instances started by call activities in this step: (call wait, the child's first result).</summary>
    public List<(Guid ParentId, ChildInstanceWait Wait)> ChildrenToStart { get; } = [];

    public InstanceRow NewInstance(StepResult result, Guid? parentId)
    {
        var row = new InstanceRow
        {
            Id = Guid.Parse(result.State.InstanceId),
            DefinitionKey = result.State.DefinitionKey,
            Version = result.State.DefinitionVersion,
            BusinessKey = result.State.BusinessKey,
            ParentId = parentId,
            StartedAt = now,
            Status = "",
            State = "",
        };
        if (arrays) instances[row] = null;
        else db.Instances.Add(row);
        return row;
    }

    public async Task WriteAsync(InstanceRow row, StepResult result, Stimulus? cause, CancellationToken cancellationToken)
    {
        var state = result.State;
        if (arrays) instances.TryAdd(row, row.Revision);
        row.State = JsonSerializer.Serialize(state, Json);
        row.Status = InstanceStatusName.Of(state);
        row.EndedAt = state.EndedAt?.UtcDateTime;
        row.UpdatedAt = now;
        row.Revision++;

        foreach (var entry in result.History)
        {
            history.Add(new HistoryRow
            {
                InstanceId = row.Id,
                Time = entry.Time.UtcDateTime,
                Kind = entry.Kind.ToString(),
                ElementId = entry.ElementId,
                ElementType = entry.ElementType,
                TokenId = entry.TokenId,
                Detail = entry.Detail,
                Actor = entry.Actor,
            });
        }

        await DisarmAsync(row.Id, result.Disarmed, result.History, cause, cancellationToken);
        await ArmAsync(row.Id, result.Armed, cancellationToken);
        await UpdateAsync(row.Id, result.Updated, cancellationToken);
        foreach (var thrown in result.Events)
        {
            if (thrown is ApprovalMailRequested mail)
            {
                LeftWorkToClaim = true;
                jobs.Add(new JobRow
                {
                    InstanceId = row.Id,
                    WaitId = mail.WaitId,
                    Kind = JobKinds.ApprovalMail,
                    DueAt = Millis(now),
                    Payload = JsonSerializer.Serialize(new ApprovalMailJob(row.Id, mail.WaitId, mail.Seats, mail.Reason), Json),
                });
                continue;
            }

            Deliver(row.Id, thrown switch
            {
                MessageThrown m => new MessageDelivery(m.MessageName, m.CorrelationKey, m.Variables),
                SignalThrown s => new SignalDelivery(s.SignalName, s.Variables),
                _ => throw new ArgumentOutOfRangeException(nameof(result), thrown.GetType().Name),
            });
        }

        if (state.IsEnded && state.Parent is { } parent && result.History.Any(h => h.Kind is HistoryKind.InstanceCompleted or HistoryKind.InstanceFailed or HistoryKind.InstanceCancelled))
        {
            Stimulus toParent = state.Status switch
            {
                InstanceStatus.Completed => new ChildCompleted(parent.WaitId, state.Variables),
                InstanceStatus.Failed => new ChildFailed(parent.WaitId, state.EndErrorCode, state.EndErrorMessage ?? "failed"),
                _ => new ChildFailed(parent.WaitId, null, $"the called instance {state.InstanceId} was cancelled"),
            };
            Deliver(Guid.Parse(parent.InstanceId), new StimulusDelivery(toParent));
        }
    }

    /// <summary>Writes the rows of every step written so far (on PostgreSQL also the instance rows), in their order;
    /// the caller then saves the unit of work (and commits, or goes on with steps that may delete those rows by query).
    /// On PostgreSQL each table's rows are one statement of arrays, whatever their number, and all of them one round
    /// trip (<see cref="PostgresRows.WriteAsync"/>).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (!arrays)
        {
            if (consumed.Count > 0) await db.Jobs.Where(j => consumed.Contains(j.Id)).ExecuteDeleteAsync(cancellationToken);
            db.History.AddRange(history);
            db.Jobs.AddRange(jobs);
        }
        else if (consumed.Count > 0 || instances.Count > 0 || history.Count > 0 || jobs.Count > 0)
        {
            var inserted = new List<InstanceRow>();
            var updated = new List<(InstanceRow, int)>();
            foreach (var (row, stored) in instances)
            {
                if (stored is { } revision) updated.Add((row, revision));
                else inserted.Add(row);
            }

            await PostgresRows.WriteAsync(db, consumed, inserted, updated, history, jobs, cancellationToken);
            instances.Clear();
        }

        consumed.Clear();
        history.Clear();
        jobs.Clear();
    }

    public void Deliver(Guid instanceId, Delivery delivery)
    {
        LeftWorkToClaim = true;
        jobs.Add(new JobRow
        {
            InstanceId = instanceId,
            Kind = JobKinds.Delivery,
            DueAt = Millis(now),
            Payload = JsonSerializer.Serialize(delivery, Json),
        });
    }

    /// <summary>True when writing <paramref name="result"/> changes rows by query (deletes, updates) rather than only
    /// adding and tracking them: rows an earlier step of the same unit of work added must be saved before that.</summary>
    public bool ChangesRowsByQuery(Guid instanceId, StepResult result) =>
        result.Updated.Count > 0
        || result.Disarmed.Any(w => w is MessageWait or SignalWait or UserTaskWait
            || (w is JobWait or TimerWait && ConsumedWait != (instanceId, w.Id)));

    private async Task DisarmAsync(Guid instanceId, IReadOnlyList<Wait> disarmed, IReadOnlyList<HistoryEntry> history, Stimulus? cause, CancellationToken cancellationToken)
    {
        if (disarmed.Count == 0) return;
        var jobWaits = disarmed.Where(w => (w is JobWait or TimerWait) && ConsumedWait != (instanceId, w.Id)).Select(w => w.Id).ToList();
        if (jobWaits.Count > 0)
            await db.Jobs.Where(j => j.InstanceId == instanceId && j.Kind != JobKinds.Delivery && jobWaits.Contains(j.WaitId)).ExecuteDeleteAsync(cancellationToken);
        var subscriptions = disarmed.Where(w => w is MessageWait or SignalWait).Select(w => w.Id).ToList();
        if (subscriptions.Count > 0)
            await db.Subscriptions.Where(s => s.InstanceId == instanceId && subscriptions.Contains(s.WaitId)).ExecuteDeleteAsync(cancellationToken);
        foreach (var task in disarmed.OfType<UserTaskWait>())
        {
            // Completed (by its assignee, its approvers or an approval's expiry) when the step completed its
            // element on its token; else it was cancelled (boundary event, instance cancelled).
            var completion = history.LastOrDefault(h => h.Kind == HistoryKind.Completed && h.ElementId == task.ElementId && h.TokenId == task.TokenId);
            var state = completion is not null ? UserTaskStates.Completed : UserTaskStates.Cancelled;
            var by = completion?.Actor;
            await db.UserTasks.Where(t => t.InstanceId == instanceId && t.WaitId == task.Id && t.State == UserTaskStates.Open)
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.State, state).SetProperty(t => t.EndedAt, now).SetProperty(t => t.EndedBy, by), cancellationToken);
        }

        // A call activity left because its child ended needs no cancelling; one interrupted does.
        foreach (var child in disarmed.OfType<ChildInstanceWait>())
        {
            var childEnded = cause is ChildCompleted c && c.WaitId == child.Id || cause is ChildFailed f && f.WaitId == child.Id;
            if (!childEnded) Deliver(instanceId, new CancelChildDelivery(instanceId, child.Id));
        }
    }

    private async Task ArmAsync(Guid instanceId, IReadOnlyList<Wait> armed, CancellationToken cancellationToken)
    {
        if (armed.Count == 0) return;

        // A retried job keeps its wait id; the row it replaces is the job that brought the failure,
        // which the step consumes (InstanceStore.HandleAsync), so every armed wait gets a fresh row.
        foreach (var wait in armed)
        {
            switch (wait)
            {
                case JobWait job:
                    var row = new JobRow
                    {
                        InstanceId = instanceId,
                        WaitId = job.Id,
                        Kind = JobKinds.Job,
                        ElementId = job.ElementId,
                        ExecutorType = job.ExecutorType,
                        DueAt = Millis(job.DueAt.UtcDateTime),
                        Attempt = job.Attempt,
                        LastError = job.LastError,
                        Payload = JsonSerializer.Serialize(job, Json),
                    };
                    if (row.DueAt <= Millis(now) && local?.TryReserve() == true)
                    {
                        row.LockOwner = local.Owner;
                        row.LockedUntil = Millis(now) + (long)(localLock ?? TimeSpan.Zero).TotalMilliseconds;
                        LocalJobs.Add(row);
                    }
                    else if (row.DueAt <= Millis(now))
                    {
                        LeftWorkToClaim = true;
                    }

                    jobs.Add(row);
                    break;
                case TimerWait timer:
                    if (timer.DueAt.UtcDateTime <= now) LeftWorkToClaim = true;
                    jobs.Add(new JobRow { InstanceId = instanceId, WaitId = timer.Id, Kind = JobKinds.Timer, ElementId = timer.ElementId, DueAt = Millis(timer.DueAt.UtcDateTime) });
                    break;
                case MessageWait message:
                    db.Subscriptions.Add(new SubscriptionRow
                    {
                        InstanceId = instanceId,
                        WaitId = message.Id,
                        Kind = SubscriptionKinds.Message,
                        Name = message.MessageName,
                        CorrelationKey = message.CorrelationKey,
                        ElementId = message.ElementId,
                        CreatedAt = now,
                    });
                    break;
                case SignalWait signal:
                    db.Subscriptions.Add(new SubscriptionRow
                    {
                        InstanceId = instanceId,
                        WaitId = signal.Id,
                        Kind = SubscriptionKinds.Signal,
                        Name = signal.SignalName,
                        ElementId = signal.ElementId,
                        CreatedAt = now,
                    });
                    break;
                case UserTaskWait task:
                    db.UserTasks.Add(new UserTaskRow
                    {
                        InstanceId = instanceId,
                        WaitId = task.Id,
                        ElementId = task.ElementId,
                        Name = task.Name,
                        Assignee = task.Assignee,
                        CandidateGroups = StoredLengths.CandidateListText(task.CandidateGroups),
                        CandidateUsers = StoredLengths.CandidateListText(task.CandidateUsers),
                        State = UserTaskStates.Open,
                        CreatedAt = now,
                        DueAt = task.DueAt?.UtcDateTime,
                        FormKey = task.FormKey,
                        Data = task.Data.ToJsonString(),
                        Approvers = ApproversText(task),
                    });
                    break;
                case ChildInstanceWait child:
                    ChildrenToStart.Add((instanceId, child));
                    break;
            }
        }
    }


    /// <summary>Open tasks whose assignee or approvers changed.</summary>
    private async Task UpdateAsync(Guid instanceId, IReadOnlyList<Wait> updated, CancellationToken cancellationToken)
    {
        foreach (var task in updated.OfType<UserTaskWait>())
        {
            var approvers = ApproversText(task);
            await db.UserTasks.Where(t => t.InstanceId == instanceId && t.WaitId == task.Id && t.State == UserTaskStates.Open)
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.Assignee, task.Assignee).SetProperty(t => t.Approvers, approvers), cancellationToken);
        }
    }

    private static string ApproversText(UserTaskWait task) =>
        task.Approval is { } approval ? StoredLengths.CandidateListText(approval.UndecidedSeats.ToList()) : ",";

    public static long Millis(DateTime utc) => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
}
