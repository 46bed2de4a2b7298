using System.Collections.Concurrent;
using WeOps.Engine.Execution;
using WeOps.Engine.Model;

namespace WeOps.Engine.Persistence;

/// <summary>A step evaluated and waiting for its turn in a transaction: a stimulus for an instance, or the start of one.
/// The interpreter ran before the step was queued, on the instance as it was at <see cref="Revision"/>; the transaction
/// only checks that the instance is still there and writes the result (ADR 0017).</summary>
internal sealed class PendingStep(Guid instanceId, Stimulus? stimulus, long? consumedJobId, CancellationToken cancellationToken)
{
    private volatile bool applied;
    private PendingStep? after;

    public Guid InstanceId => instanceId;
    public Stimulus? Stimulus => stimulus;
    public long? ConsumedJobId => consumedJobId;
    public CancellationToken CancellationToken => cancellationToken;

    public QueuedStart? Start { get; init; }

    /// <summary>What the interpreter gave; null when no instance was found to evaluate.</summary>
    public StepResult? Result { get; init; }

    /// <summary>The graph the step was evaluated on.</summary>
    public ProcessGraph? Graph { get; init; }

    /// <summary>The state the step was evaluated from (null for a start).</summary>
    public InstanceState? From { get; init; }

    /// <summary>The revision of the instance the step was evaluated from: it commits only while the instance is at it.</summary>
    public int Revision { get; init; }

    /// <summary>For a start at the latest version: the version it was evaluated on, which must still be the latest when
    /// it commits.</summary>
    public int? LatestVersion { get; init; }

    /// <summary>The instances call activities of this step start, evaluated with it, by calling instance and wait.</summary>
    public IReadOnlyDictionary<(Guid ParentId, int WaitId), PreparedChild> Children { get; init; } = PreparedChild.None;

    /// <summary>A step of this node that had not committed when this one was evaluated from what it left: this one
    /// commits only after it did. Cleared once this step is applied, so a chain of steps holds no more than those in
    /// flight.</summary>
    public PendingStep? After
    {
        get => Volatile.Read(ref after);
        init => after = value;
    }

    /// <summary>True once a transaction that applied this step committed.</summary>
    public bool Applied => applied;

    public TaskCompletionSource<StepOutcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True when the instance, read under its lock at <paramref name="storedRevision"/>, is still what this step
    /// was evaluated from: the same revision, reached through the step it built on (applied before, or earlier in the
    /// same transaction, <paramref name="appliedInTransaction"/>) if there was one.</summary>
    public bool IsCurrent(int storedRevision, IReadOnlySet<PendingStep> appliedInTransaction) =>
        storedRevision == Revision && (After is not { } before || before.Applied || appliedInTransaction.Contains(before));

    public void MarkApplied()
    {
        applied = true;
        Volatile.Write(ref after, null);
    }
}

/// <summary>An instance a call activity starts, evaluated before the calling step's transaction: its first result, or why
/// it cannot start (no published version, no none start event).</summary>
internal sealed record PreparedChild(ProcessGraph? Graph, StepResult? Result, string? Why)
{
    public static readonly IReadOnlyDictionary<(Guid ParentId, int WaitId), PreparedChild> None = new Dictionary<(Guid, int), PreparedChild>();
}

/// <summary>An instance to start: at a published version, or the latest one (null) when its transaction runs.</summary>
internal sealed record QueuedStart(Guid InstanceId, string Key, int? Version, System.Text.Json.Nodes.JsonObject? Variables, string? BusinessKey,
    string? StartEventId, string? StartedBy);

/// <summary>Queues steps that need no guard and applies the ones waiting together, many to a transaction: one
/// commit (one fsync on SQLite, one round trip on PostgreSQL) serves every step that arrived meanwhile. Under no
/// load a batch is one step. There are <paramref name="lanes"/> queues, each drained by at most one batch at a time,
/// and an instance's steps always go to the same lane: two batches in flight never wait for each other's row lock
/// (ten branches of a fan-out finishing together would otherwise make the second batch wait out the first).</summary>
internal sealed class StepBatches(Func<IReadOnlyList<PendingStep>, Task> applyMany, int lanes, int maxBatch)
{
    private readonly Lane[] all = Enumerable.Range(0, lanes).Select(_ => new Lane()).ToArray();

    public Task<StepOutcome> Enqueue(PendingStep step)
    {
        var lane = all[(int)((uint)step.InstanceId.GetHashCode() % (uint)all.Length)];
        lane.Queue.Enqueue(step);
        StartDrainer(lane);
        return step.Done.Task;
    }

    private void StartDrainer(Lane lane)
    {
        if (lane.Queue.IsEmpty || Interlocked.CompareExchange(ref lane.Running, 1, 0) != 0) return;
        _ = Task.Run(() => DrainAsync(lane));
    }

    private async Task DrainAsync(Lane lane)
    {
        try
        {
            while (true)
            {
                var batch = new List<PendingStep>();
                while (batch.Count < maxBatch && lane.Queue.TryDequeue(out var step))
                {
                    if (step.CancellationToken.IsCancellationRequested) step.Done.TrySetCanceled(step.CancellationToken);
                    else batch.Add(step);
                }

                if (batch.Count == 0) break;
                await applyMany(batch);
            }
        }
        finally
        {
            Volatile.Write(ref lane.Running, 0);
        }

        // A step queued after the last look but before this drainer counted itself out.
        StartDrainer(lane);
    }

    /// <summary>One queue, in the order its steps came: a start does not overtake the steps queued before it.</summary>
    private sealed class Lane
    {
        public readonly ConcurrentQueue<PendingStep> Queue = new();
        public int Running;
    }
}
