using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace WeOps.Engine.Persistence;

/// <summary>A setup that cannot work, refused at startup rather than failing later in production.</summary>
public sealed class UnsafeSetupException(string message) : Exception(message);

/// <summary>Records this node and its heartbeat. SQLite serves one node only: a second node on the same
/// file is refused at startup.</summary>
public sealed class NodeRegistry(DatabaseOptions database, TimeProvider time, ILogger<NodeRegistry> logger)
{
    /// <summary>A node whose heartbeat is older than this is considered gone.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    public string NodeId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    public async Task RegisterAsync(CancellationToken cancellationToken)
    {
        await using var db = new WeOpsDb(database.ContextOptions());
        var now = time.GetUtcNow();
        var alive = now.Add(-Lifetime).ToUnixTimeMilliseconds();
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            var other = await db.Nodes.AsNoTracking().Where(n => n.HeartbeatAt >= alive && n.Id != NodeId).FirstOrDefaultAsync(cancellationToken);
            if (other is not null)
                throw new UnsafeSetupException(
                    $"Another WeOps node ({other.Host}, process {other.ProcessId}) is running on this SQLite database. " +
                    "SQLite serves one node; run several nodes on PostgreSQL (Database:Provider=Postgres), or stop the other node " +
                    $"(a node that died is forgotten {Lifetime.TotalSeconds:0} s after its last heartbeat).");
        }

        await db.Nodes.Where(n => n.HeartbeatAt < alive).ExecuteDeleteAsync(cancellationToken);
        db.Nodes.Add(new NodeRow { Id = NodeId, Host = Environment.MachineName, ProcessId = Environment.ProcessId, StartedAt = now.UtcDateTime, HeartbeatAt = now.ToUnixTimeMilliseconds() });
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Node {Node} registered on {Provider}", NodeId, database.Provider);
    }

    public async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        await using var db = new WeOpsDb(database.ContextOptions());
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await db.Nodes.Where(n => n.Id == NodeId).ExecuteUpdateAsync(u => u.SetProperty(n => n.HeartbeatAt, now), cancellationToken);
    }

    public async Task UnregisterAsync(CancellationToken cancellationToken)
    {
        await using var db = new WeOpsDb(database.ContextOptions());
        await db.Nodes.Where(n => n.Id == NodeId).ExecuteDeleteAsync(cancellationToken);
    }
}
