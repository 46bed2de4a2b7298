using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace WeOps.Engine.Persistence;

/// <summary>A setup that cannot work, refused at startup rather than failing later in production.</summary>
public sealed class UnsafeSetupException(string message) : Exception(message);

/// <summary>Records this node and its heartbeat. SQLite serves one node only: a second node on the same
/// file is refused at startup, unless the node it found ran on this host in a process that no longer runs
/// (killed, crashed): that node is forgotten at once and its jobs are free. A node whose heartbeat is older
/// than <see cref="Lifetime"/> is gone: its job locks no longer hold (see <see cref="JobWorker.ClaimAsync"/>).</summary>
public sealed class NodeRegistry(DatabaseOptions database, TimeProvider time, TimeSpan lifetime, ILogger<NodeRegistry> logger)
{
    /// <summary>A node whose heartbeat is older than this is considered gone.</summary>
    public TimeSpan Lifetime { get; } = lifetime;

    /// <summary>Three heartbeats per lifetime, so one late or lost beat does not make a live node look dead.</summary>
    public TimeSpan HeartbeatInterval => Lifetime / 3;

    public string NodeId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    public async Task RegisterAsync(CancellationToken cancellationToken)
    {
        await using var db = database.Open();
        // On SQLite the transaction takes the write lock first, so two nodes starting at once on one file
        // do not both find it free.
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var alive = now.Add(-Lifetime).ToUnixTimeMilliseconds();
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            var others = await db.Nodes.AsNoTracking().Where(n => n.HeartbeatAt >= alive && n.Id != NodeId).ToListAsync(cancellationToken);
            foreach (var other in others)
            {
                if (!NodeProcess.HasEnded(other))
                    throw new UnsafeSetupException(
                        $"Another WeOps node ({other.Host}, process {other.ProcessId}) is running on this SQLite database. " +
                        "SQLite serves one node; run several nodes on PostgreSQL (Database:Provider=Postgres), or stop the other node " +
                        $"(a node that died on another host is forgotten {Lifetime.TotalSeconds:0} s after its last heartbeat; on this host at once).");

                // Its row gone, the jobs it had claimed are free (JobWorker.ClaimAsync): they run once, here.
                logger.LogWarning("Node {Node} (process {ProcessId} on this host) no longer runs; this node takes over its SQLite database and its jobs", other.Id, other.ProcessId);
                await db.Nodes.Where(n => n.Id == other.Id).ExecuteDeleteAsync(cancellationToken);
            }
        }

        await db.Nodes.Where(n => n.HeartbeatAt < alive).ExecuteDeleteAsync(cancellationToken);
        db.Nodes.Add(Row(now));
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        logger.LogInformation("Node {Node} registered on {Provider}", NodeId, database.Provider);
    }

    public async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        await using var db = database.Open();
        var now = time.GetUtcNow();
        var updated = await db.Nodes.Where(n => n.Id == NodeId).ExecuteUpdateAsync(u => u.SetProperty(n => n.HeartbeatAt, now.ToUnixTimeMilliseconds()), cancellationToken);
        if (updated > 0) return;

        // Another node starting up forgot this one while it was silent for longer than its lifetime
        // (a long pause, a lost database connection); come back, or its job locks would never hold again.
        logger.LogWarning("Node {Node} was missing from the nodes table (silent for more than {Lifetime}); registering it again", NodeId, Lifetime);
        db.Nodes.Add(Row(now));
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task UnregisterAsync(CancellationToken cancellationToken)
    {
        await using var db = database.Open();
        await db.Nodes.Where(n => n.Id == NodeId).ExecuteDeleteAsync(cancellationToken);
    }

    private NodeRow Row(DateTimeOffset now) => new()
    {
        Id = NodeId,
        Host = Environment.MachineName,
        ProcessId = Environment.ProcessId,
        StartedAt = NodeProcess.CurrentStartedAt,
        HeartbeatAt = now.ToUnixTimeMilliseconds(),
    };
}
