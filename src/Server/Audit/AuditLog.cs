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

    public const string FirstAdminCreated = "user.first-admin";
    public const string UserCreated = "user.created";
    public const string UserChanged = "user.changed";
    public const string UserPasswordSet = "user.password-set";
    public const string UserDisabled = "user.disabled";
    public const string UserEnabled = "user.enabled";
    public const string UserDeleted = "user.deleted";
    public const string GroupMemberAdded = "group.member-added";
    public const string GroupMemberRemoved = "group.member-removed";
    public const string ApiKeyCreated = "api-key.created";
    public const string ApiKeyRevoked = "api-key.revoked";
    public const string CredentialCreated = "credential.created";
    public const string CredentialRotated = "credential.rotated";
    public const string CredentialDeleted = "credential.deleted";
    public const string HostSaved = "host.saved";
    public const string HostDeleted = "host.deleted";
    public const string HostsImported = "hosts.imported";
    public const string MailSettingsChanged = "settings.mail-changed";
    public const string MailTestSent = "settings.mail-test";
    public const string ProcessPublished = "process.published";
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

    /// <summary>An audit line for a change the caller of <paramref name="http"/> makes, to be saved by the store
    /// in the change's transaction. The detail names what changed, never a secret value.</summary>
    public static AuditNote Note(HttpContext http, string action, string? detail) =>
        new(action, http.User.Identity?.Name, detail, http.Connection.RemoteIpAddress?.ToString());

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

    /// <summary>A page of entries; <paramref name="action"/> ending in '.' matches every action it starts
    /// (<c>user.</c>); <paramref name="since"/> and <paramref name="until"/> bound the time.</summary>
    public async Task<AuditPage> ListAsync(string? action, string? actor, long? before, int limit, CancellationToken cancellationToken,
        DateTimeOffset? since = null, DateTimeOffset? until = null)
    {
        await using var db = database.Open();
        var rows = db.AuditLog.AsNoTracking();
        if (action is { Length: > 1 } prefix && prefix.EndsWith('.')) rows = rows.Where(a => a.Action.StartsWith(prefix));
        else if (!string.IsNullOrEmpty(action)) rows = rows.Where(a => a.Action == action);
        if (since is { } from) rows = rows.Where(a => a.Time >= from.UtcDateTime);
        if (until is { } to) rows = rows.Where(a => a.Time < to.UtcDateTime);
        if (!string.IsNullOrEmpty(actor)) rows = rows.Where(a => a.Actor == actor);
        if (before is { } last) rows = rows.Where(a => a.Id < last);
        var items = (await rows.OrderByDescending(a => a.Id).Take(limit).ToListAsync(cancellationToken))
            .Select(a => new AuditEntry(a.Id, new DateTimeOffset(DateTime.SpecifyKind(a.Time, DateTimeKind.Utc)), a.Action, a.Actor, a.Address, a.Detail))
            .ToList();
        return new AuditPage(items, items.Count == limit ? items[^1].Id : null);
    }

    private static string? Cut(string? text, int length) => text is { Length: var n } && n > length ? text[..length] : text;
}
