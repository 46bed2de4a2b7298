using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WeOps.Engine.Model;
using WeOps.Engine.Persistence;

namespace WeOps.Engine.Alerts;

/// <summary>A process's breaker as the designer shows it.</summary>
public sealed record BreakerView(
    string ProcessKey, string State, int Failures, int? BreakerFailures, TimeSpan BreakerWindow, int? MaxConcurrent, TimeSpan? Cooldown,
    int Active, DateTimeOffset? OpenedAt, string? OpenedReason, DateTimeOffset? ResetAt, string? ResetBy);

/// <summary>The circuit breakers of processes started by alerts: N failed or faulted instances within the
/// window open the breaker, which stops auto-starting until an operator resets it.</summary>
public sealed class AlertBreakers(InstanceStore store, DefinitionStore definitions, TimeProvider time)
{
    /// <summary>Every process whose latest version has an alert rule, and any breaker left from older versions.</summary>
    public async Task<IReadOnlyList<BreakerView>> ListAsync(CancellationToken cancellationToken)
    {
        var rules = (await AlertRules.LatestAsync(definitions, cancellationToken)).ToDictionary(r => r.Key, StringComparer.Ordinal);
        await using var db = store.OpenDb();
        var rows = await db.AlertBreakers.AsNoTracking().ToDictionaryAsync(b => b.ProcessKey, StringComparer.Ordinal, cancellationToken);
        var active = await db.AlertFingerprints.AsNoTracking().Where(f => f.Active).GroupBy(f => f.ProcessKey)
            .Select(g => new { Key = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, StringComparer.Ordinal, cancellationToken);
        var now = time.GetUtcNow();
        return rules.Keys.Union(rows.Keys).Order(StringComparer.Ordinal).Select(key =>
        {
            var rule = rules.TryGetValue(key, out var found) ? found.Rule : null;
            rows.TryGetValue(key, out var row);
            var window = rule?.BreakerWindow ?? AlertRule.DefaultBreakerWindow;
            var failures = row is null ? 0 : Failures(row).Count(f => f > (now - window).ToUnixTimeMilliseconds());
            return new BreakerView(key, row?.OpenedAt is null ? "closed" : "open", failures, rule?.BreakerFailures, window, rule?.MaxConcurrent, rule?.Cooldown,
                active.GetValueOrDefault(key), Utc(row?.OpenedAt), row?.OpenedReason, Utc(row?.ResetAt), row?.ResetBy);
        }).ToList();
    }

    /// <summary>Closes the breaker and forgets its failures; false when the process has no breaker and no alert rule.</summary>
    public async Task<bool> ResetAsync(string processKey, string? actor, CancellationToken cancellationToken)
    {
        var hasRule = (await AlertRules.LatestAsync(definitions, cancellationToken)).Any(r => r.Key == processKey);
        await using var db = store.OpenDb();
        var row = await db.AlertBreakers.FindAsync([processKey], cancellationToken);
        if (row is null) return hasRule;
        row.OpenedAt = null;
        row.OpenedReason = null;
        row.Failures = "[]";
        row.ResetAt = time.GetUtcNow().UtcDateTime;
        row.ResetBy = actor;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>The process's breaker row, made if missing and locked for the transaction on PostgreSQL
    /// (SQLite's write lock is already held): the lock that serialises alert intake per process.</summary>
    internal static async Task<AlertBreakerRow> LockAsync(WeOpsDb db, DatabaseProvider provider, string processKey, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO alert_breakers (process_key, failures) VALUES ({processKey}, '[]') ON CONFLICT DO NOTHING", cancellationToken);
        return provider == DatabaseProvider.Postgres
            ? await db.AlertBreakers.FromSqlInterpolated($"SELECT * FROM alert_breakers WHERE process_key = {processKey} FOR UPDATE").SingleAsync(cancellationToken)
            : await db.AlertBreakers.SingleAsync(b => b.ProcessKey == processKey, cancellationToken);
    }

    /// <summary>Counts a failed or faulted instance; opens the breaker when the rule's threshold is reached
    /// within its window, logging one warning at that moment.</summary>
    internal static async Task RecordFailureAsync(
        WeOpsDb db, DatabaseProvider provider, string processKey, AlertRule rule, DateTime now, ILogger logger, CancellationToken cancellationToken)
    {
        var row = await LockAsync(db, provider, processKey, cancellationToken);
        var nowMs = StepWriter.Millis(now);
        var since = nowMs - (long)rule.BreakerWindow.TotalMilliseconds;
        var failures = Failures(row).Where(f => f > since).Append(nowMs).ToList();
        // Only the failures that can still count are kept, so the list stays as short as the threshold.
        if (rule.BreakerFailures is { } limit && failures.Count > limit) failures = failures[^limit..];
        row.Failures = JsonSerializer.Serialize(failures);
        if (row.OpenedAt is null && rule.BreakerFailures is { } threshold && failures.Count >= threshold)
        {
            row.OpenedAt = now;
            row.OpenedReason = $"{failures.Count} instances failed or faulted within {rule.BreakerWindow}";
            logger.LogWarning("Alert circuit breaker of process {Process} opened: {Reason}; no more instances start from alerts until an operator resets it (POST /api/alerts/breakers/{Process}/reset)",
                processKey, row.OpenedReason, processKey);
        }
    }

    private static List<long> Failures(AlertBreakerRow row) => JsonSerializer.Deserialize<List<long>>(row.Failures) ?? [];

    private static DateTimeOffset? Utc(DateTime? time) => time is { } t ? DefinitionStore.Utc(t) : null;
}
