using System.Collections.Concurrent;
using WeOps.Engine.Execution;

namespace WeOps.Engine.Persistence;

/// <summary>A step waiting for its turn in a shared transaction: a stimulus for an instance, or the start of one.</summary>
internal sealed record PendingStep(Guid InstanceId, Stimulus? Stimulus, long? ConsumedJobId, CancellationToken CancellationToken)
{
    public QueuedStart? Start { get; init; }

    public TaskCompletionSource<StepOutcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
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
