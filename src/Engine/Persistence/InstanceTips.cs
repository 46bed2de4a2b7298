using WeOps.Engine.Execution;

namespace WeOps.Engine.Persistence;

/// <summary>The state an instance's last step on this node left, and the revision it is stored at, or will be once
/// <see cref="After"/> commits.</summary>
internal sealed record InstanceTip(InstanceState State, int Revision, PendingStep? After);

/// <summary>What this node knows of the instances its steps evaluated (ADR 0017). A step evaluates from the tip its
/// instance's last step on this node left, so the common step (the job this node just ran, for the instance this node
/// just stepped) reads nothing before its transaction; the transaction checks the revision under the lock it takes
/// anyway. Each instance also has a gate, held while a step evaluates and joins its queue: two steps of one instance
/// evaluate one after the other, the second from what the first left, instead of both from one revision and one of
/// them again. Steps of other instances never wait on it. At most <paramref name="capacity"/> tips are kept, the oldest
/// dropped first: a dropped tip costs its next step one read.</summary>
internal sealed class InstanceTips(int capacity)
{
    private readonly Dictionary<Guid, Entry> entries = [];
    private readonly Queue<Guid> kept = new();

    /// <summary>Tips kept now, for tests.</summary>
    public int Count
    {
        get
        {
            lock (entries) return entries.Values.Count(e => e.Tip is not null);
        }
    }

    /// <summary>Waits until no other step of the instance is evaluating or joining its queue on this node.</summary>
    public async Task<Hold> HoldAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (entries)
        {
            if (!entries.TryGetValue(instanceId, out entry!)) entries[instanceId] = entry = new Entry();
            entry.Users++;
        }

        try
        {
            await entry.Gate.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(instanceId, entry);
            throw;
        }

        return new Hold(this, instanceId, entry);
    }

    private void Leave(Guid instanceId, Entry entry)
    {
        lock (entries)
        {
            entry.Users--;
            if (entry.Users == 0 && entry.Tip is null)
            {
                entries.Remove(instanceId);
                return;
            }

            if (entry.Tip is not null && !entry.Queued)
            {
                entry.Queued = true;
                kept.Enqueue(instanceId);
            }

            // The oldest tips go first; one in use now is looked at again later.
            for (var looked = kept.Count; entries.Count > capacity && looked > 0 && kept.TryDequeue(out var oldest); looked--)
            {
                if (!entries.TryGetValue(oldest, out var old)) continue;
                if (old.Users > 0) kept.Enqueue(oldest);
                else entries.Remove(oldest);
            }
        }
    }

    /// <summary>An instance's gate, held: its tip can be read and replaced. Dispose to let the next step in.</summary>
    public sealed class Hold : IDisposable
    {
        private readonly InstanceTips tips;
        private readonly Guid instanceId;
        private readonly Entry entry;
        private bool released;

        internal Hold(InstanceTips tips, Guid instanceId, Entry entry) => (this.tips, this.instanceId, this.entry) = (tips, instanceId, entry);

        public InstanceTip? Tip
        {
            get => entry.Tip;
            set => entry.Tip = value;
        }

        public void Dispose()
        {
            if (released) return;
            released = true;
            entry.Gate.Release();
            tips.Leave(instanceId, entry);
        }
    }

    internal sealed class Entry
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public int Users;
        public bool Queued;
        public volatile InstanceTip? Tip;
    }
}
