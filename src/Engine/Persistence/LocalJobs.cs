using System.Threading.Channels;

namespace WeOps.Engine.Persistence;

/// <summary>Jobs a step on this node created due at once, locked to this node in that step's transaction
/// and handed straight to its workers: no claim round trip, no wait for the next poll. Only while the
/// node's workers run, and only up to a few per worker, so a burst still spreads over all nodes.</summary>
public sealed class LocalJobs
{
    private readonly Channel<JobRow> queue = Channel.CreateUnbounded<JobRow>(new UnboundedChannelOptions { SingleReader = true });
    private int reserved;
    private int capacity;
    private long handedOver;

    /// <summary>The node that owns the jobs handed here; null while no worker takes them.</summary>
    public string? Owner { get; private set; }

    /// <summary>How many jobs went to this node's workers without being claimed, since the node started.</summary>
    public long HandedOver => Interlocked.Read(ref handedOver);

    internal ChannelReader<JobRow> Reader => queue.Reader;

    internal void Open(string owner, int capacity)
    {
        this.capacity = capacity;
        Owner = owner;
    }

    internal void Close() => Owner = null;

    /// <summary>Reserves a place for one job; false when the node takes no more (the job is left for claiming).</summary>
    internal bool TryReserve()
    {
        if (Owner is null) return false;
        if (Interlocked.Increment(ref reserved) <= capacity) return true;
        Interlocked.Decrement(ref reserved);
        return false;
    }

    /// <summary>Gives back places reserved by a transaction that did not commit.</summary>
    internal void Cancel(int count) => Interlocked.Add(ref reserved, -count);

    internal void Publish(JobRow job)
    {
        Interlocked.Increment(ref handedOver);
        queue.Writer.TryWrite(job);
    }

    /// <summary>A worker took a job out of the queue.</summary>
    internal void Taken() => Interlocked.Decrement(ref reserved);
}
