using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WeOps.Engine.Model;
using WeOps.Engine.Persistence;

namespace WeOps.Engine.Alerts;

/// <summary>What an instance started by an alert changes when its status changes, in the same transaction
/// as the step: a failed or faulted instance counts towards its process's breaker; an ended one frees
/// its fingerprint (and starts the cooldown).</summary>
internal static class AlertLifecycle
{
    public static async Task AfterStepAsync(
        WeOpsDb db, DatabaseProvider provider, ProcessGraph graph, InstanceRow row, string statusBefore, DateTime now, ILogger logger, CancellationToken cancellationToken)
    {
        if (row.Status == statusBefore) return;
        var failed = row.Status is "faulted" or "failed";
        var ended = row.EndedAt is not null;
        if (!failed && !ended) return;
        if (AlertRules.Of(graph) is not { } rule) return;
        if (!await db.AlertFingerprints.AnyAsync(f => f.InstanceId == row.Id, cancellationToken)) return;

        // The breaker row is locked before the fingerprint row, the order intake takes them in.
        if (failed) await AlertBreakers.RecordFailureAsync(db, provider, graph.Key, rule, now, logger, cancellationToken);
        if (ended)
        {
            await db.AlertFingerprints.Where(f => f.InstanceId == row.Id && f.Active)
                .ExecuteUpdateAsync(u => u.SetProperty(f => f.Active, false).SetProperty(f => f.EndedAt, now), cancellationToken);
        }
    }
}
