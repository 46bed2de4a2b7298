using Microsoft.EntityFrameworkCore;
using WeOps.Engine.Persistence;

namespace WeOps.Server.Hooks;

/// <summary>The replay cache of signed hook deliveries, in the database so that a delivery accepted by one node
/// is refused by every other. A signature is remembered until its timestamp leaves the window; expired rows are
/// deleted by the next delivery after a minute has passed.</summary>
public sealed class HookDeliveries(DatabaseOptions database, TimeProvider time)
{
    private static readonly TimeSpan CleanupInterval = TimeSpan.FromMinutes(1);
    private long nextCleanup;

    /// <summary>Records the delivery; false when its signature was recorded before (a replay).</summary>
    public async Task<bool> RecordAsync(string signature, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        using var gate = await database.EnterWriteAsync(cancellationToken);
        await using var db = database.Open();
        if (now >= Interlocked.Read(ref nextCleanup))
        {
            Interlocked.Exchange(ref nextCleanup, now + (long)CleanupInterval.TotalMilliseconds);
            await db.HookDeliveries.Where(d => d.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        }

        // The primary key decides between two nodes recording the same signature at once: one inserts, the
        // other's insert does nothing.
        var expires = expiresAt.ToUnixTimeMilliseconds();
        var inserted = await db.Database.ExecuteSqlAsync(
            $"INSERT INTO hook_deliveries (signature, expires_at) VALUES ({signature}, {expires}) ON CONFLICT (signature) DO NOTHING",
            cancellationToken);
        return inserted == 1;
    }

    /// <summary>Forgets a delivery that started nothing (the start failed), so that the sender may try it again.</summary>
    public async Task ForgetAsync(string signature, CancellationToken cancellationToken)
    {
        using var gate = await database.EnterWriteAsync(cancellationToken);
        await using var db = database.Open();
        await db.HookDeliveries.Where(d => d.Signature == signature).ExecuteDeleteAsync(cancellationToken);
    }
}
