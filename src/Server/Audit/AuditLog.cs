using Microsoft.EntityFrameworkCore;
using WeOps.Engine.Persistence;

namespace WeOps.Server.Audit;

/// <summary>What the audit log records.</summary>
public static class AuditActions
{
    public const string SignInSucceeded = "sign-in.succeeded";
    public const string SignInFailed = "sign-in.failed";

    /// <summary>A failure reached the limit: the user or the address may not try again for a while.</summary>
    public const string SignInLocked = "sign-in.locked";

    /// <summary>A sign-in refused unchecked (429) while its user or address was locked out.</summary>
    public const string SignInThrottled = "sign-in.throttled";
}

public sealed record AuditEntry(long Id, DateTimeOffset Time, string Action, string? Actor, string? Address, string? Detail);

/// <summary>A page of the audit log, newest first; pass <see cref="NextBefore"/> as <c>before</c> for the next one.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Items, long? NextBefore);

/// <summary>The audit log: security events (sign-ins, failures, lockouts) in the database, read by admins.</summary>
public sealed class AuditLog(DatabaseOptions database, TimeProvider time)
{
    public const int MaxLimit = 500;
    private const int MaxActorLength = 200;
    private const int MaxDetailLength = 2000;

    /// <summary>Adds an entry to <paramref name="db"/>, to be saved with the change it records.</summary>
    public void Add(WeOpsDb db, string action, string? actor, string? address, string? detail) =>
        db.AuditLog.Add(new AuditEntryRow
        {
            Time = time.GetUtcNow().UtcDateTime,
            Action = action,
            Actor = Cut(actor, MaxActorLength),
            Address = address,
            Detail = Cut(detail, MaxDetailLength),
        });

    public async Task WriteAsync(string action, string? actor, string? address, string? detail, CancellationToken cancellationToken)
    {
        using var gate = await database.EnterWriteAsync(cancellationToken);
        await using var db = database.Open();
        Add(db, action, actor, address, detail);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<AuditPage> ListAsync(string? action, string? actor, long? before, int limit, CancellationToken cancellationToken)
    {
        await using var db = database.Open();
        var rows = db.AuditLog.AsNoTracking();
        if (!string.IsNullOrEmpty(action)) rows = rows.Where(a => a.Action == action);
        if (!string.IsNullOrEmpty(actor)) rows = rows.Where(a => a.Actor == actor);
        if (before is { } last) rows = rows.Where(a => a.Id < last);
        var items = (await rows.OrderByDescending(a => a.Id).Take(limit).ToListAsync(cancellationToken))
            .Select(a => new AuditEntry(a.Id, new DateTimeOffset(DateTime.SpecifyKind(a.Time, DateTimeKind.Utc)), a.Action, a.Actor, a.Address, a.Detail))
            .ToList();
        return new AuditPage(items, items.Count == limit ? items[^1].Id : null);
    }

    private static string? Cut(string? text, int length) => text is { Length: var n } && n > length ? text[..length] : text;
}
