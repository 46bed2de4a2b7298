using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WeOps.Engine.Persistence;

namespace WeOps.Engine.Alerts;

public sealed record AlertLogFilter(string? ProcessKey, string? Fingerprint, string? Outcome, string? Source, string? Status, long? Before, int Limit);

public sealed record AlertLogEntry(
    long Id, DateTimeOffset ReceivedAt, string Source, string Fingerprint, string Status, JsonNode? Labels, JsonNode? Annotations,
    DateTimeOffset StartsAt, DateTimeOffset? EndsAt, string? GeneratorUrl, string? ProcessKey, Guid? InstanceId, string Outcome, string? Reason,
    int Count, DateTimeOffset LastSeenAt);

/// <summary>A page of the alert log, newest first; the next page is the one <c>before</c> the last id.</summary>
public sealed record AlertLogPage(IReadOnlyList<AlertLogEntry> Items, long? NextBefore);

/// <summary>Reads the alert log: what each alert started, or why not.</summary>
public sealed class AlertLog(InstanceStore store)
{
    public const int MaxLimit = 500;

    public async Task<AlertLogPage> ListAsync(AlertLogFilter filter, CancellationToken cancellationToken)
    {
        await using var db = store.OpenDb();
        var query = db.AlertLog.AsNoTracking();
        if (filter.ProcessKey is { } key) query = query.Where(l => l.ProcessKey == key);
        if (filter.Fingerprint is { } fingerprint) query = query.Where(l => l.Fingerprint == fingerprint);
        if (filter.Outcome is { } outcome) query = query.Where(l => l.Outcome == outcome);
        if (filter.Source is { } source) query = query.Where(l => l.Source == source);
        if (filter.Status is { } status) query = query.Where(l => l.Status == status);
        if (filter.Before is { } before) query = query.Where(l => l.Id < before);
        var limit = Math.Clamp(filter.Limit, 1, MaxLimit);
        var rows = await query.OrderByDescending(l => l.Id).Take(limit).ToListAsync(cancellationToken);
        var items = rows.Select(r => new AlertLogEntry(r.Id, DefinitionStore.Utc(r.ReceivedAt), r.Source, r.Fingerprint, r.Status,
            JsonNode.Parse(r.Labels), JsonNode.Parse(r.Annotations), DefinitionStore.Utc(r.StartsAt), r.EndsAt is { } e ? DefinitionStore.Utc(e) : null,
            r.GeneratorUrl, r.ProcessKey, r.InstanceId, r.Outcome, r.Reason, r.Count, DefinitionStore.Utc(r.LastSeenAt))).ToList();
        return new AlertLogPage(items, items.Count == limit ? items[^1].Id : null);
    }
}
