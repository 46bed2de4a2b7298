using System.Collections.Concurrent;
using WeOps.Engine.Execution;

namespace WeOps.Engine.Persistence;

/// <summary>A step waiting for its turn in a shared transaction: a stimulus for an instance, or the start of one.</summary>
internal sealed record PendingStep(Guid InstanceId, Stimulus? Stimulus, long? ConsumedJobId, CancellationToken CancellationToken)
{
    public QueuedStart? Start { get; init; }

    public TaskCompletionSource<StepOutcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>An instance to start at a published version.</summary>
internal sealed record QueuedStart(Model.ProcessGraph Graph, StartRequest Request);

/// <summary>Queues steps that need no guard and applies the ones waiting together, many to a transaction: one
/// commit (one fsync on SQLite, one round trip on PostgreSQL) serves every step that arrived meanwhile. Under no
/// load a batch is one step. Drainers run only while steps wait; at most <paramref name="drainers"/> at once.</summary>
internal sealed class StepBatches(Func<IReadOnlyList<PendingStep>, Task> applyMany, int drainers, int maxBatch)
{
    private readonly ConcurrentQueue<PendingStep> queue = new();
    private int running;

    public Task<StepOutcome> Enqueue(PendingStep step)
    {
        queue.Enqueue(step);
        StartDrainer();
        return step.Done.Task;
    }

    private void StartDrainer()
    {
        while (true)
        {
            var now = Volatile.Read(ref running);
            if (now >= drainers || queue.IsEmpty) return;
            if (Interlocked.CompareExchange(ref running, now + 1, now) != now) continue;
            _ = Task.Run(DrainAsync);
            return;
        }
    }

    private async Task DrainAsync()
    {
        try
        {
            while (true)
            {
                var batch = new List<PendingStep>();
                while (batch.Count < maxBatch && queue.TryDequeue(out var step))
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
            Interlocked.Decrement(ref running);
        }

        // A step queued after the last look but before this drainer counted itself out.
        StartDrainer();
    }
}
