using Microsoft.EntityFrameworkCore;
using WeOps.Engine.Model;
using WeOps.Engine.Persistence;

namespace WeOps.Engine.Approvals;

/// <summary>A user as the API shows it (never the password hash).</summary>
public sealed record User(string Username, string? DisplayName, string? Email, IReadOnlyList<string> Groups, IReadOnlyList<string> Roles,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>Whether the user can sign in with a password (never the hash itself).</summary>
    public bool HasPassword { get; init; }

    /// <summary>When an admin disabled the user; null while the user may work.</summary>
    public DateTimeOffset? DisabledAt { get; init; }
}

/// <summary>A group and the usernames in it. A group exists while it has members: it is a name users carry.</summary>
public sealed record Group(string Name, IReadOnlyList<string> Members);

/// <summary>The people who work in WeOps: who approvers and candidate users are, their mail and groups.</summary>
/// <remarks>Needs only the database, not the engine: executors read it (directory.members), and the engine is built
/// from the executors, so a directory made from the engine would make them wait on each other.</remarks>
public sealed class UserDirectory(DatabaseOptions database, TimeProvider time)
{
    public async Task<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = OpenDb();
        var rows = await db.Users.AsNoTracking().OrderBy(u => u.Username).ToListAsync(cancellationToken);
        return rows.Select(View).ToList();
    }

    public async Task<User?> GetAsync(string username, CancellationToken cancellationToken)
    {
        await using var db = OpenDb();
        var row = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Username == username, cancellationToken);
        return row is null ? null : View(row);
    }

    /// <summary>Whether anyone is in the directory (the first run has no one).</summary>
    public async Task<bool> AnyAsync(CancellationToken cancellationToken)
    {
        await using var db = OpenDb();
        return await db.Users.AnyAsync(cancellationToken);
    }

    /// <summary>Creates the user, with its password hash when one is given and the audit line in the same
    /// transaction; false when the username is taken, or when <paramref name="onlyIfEmpty"/> and anyone exists.</summary>
    public async Task<bool> CreateAsync(User user, CancellationToken cancellationToken, AuditNote? audit = null, string? passwordHash = null, bool onlyIfEmpty = false)
    {
        // The gate serialises writers on SQLite, so two first-run requests cannot both see an empty directory.
        using var gate = await database.EnterWriteAsync(cancellationToken);
        await using var db = OpenDb();
        // On PostgreSQL the nodes share no gate: the first run takes a lock of the transaction, so a second
        // first-run request, on any node, waits for the first to commit and then sees its admin.
        await using var firstRun = onlyIfEmpty && database.Provider == DatabaseProvider.Postgres
            ? await db.Database.BeginTransactionAsync(cancellationToken)
            : null;
        if (firstRun is not null)
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({FirstRunLockId})", cancellationToken);
        if (onlyIfEmpty ? await db.Users.AnyAsync(cancellationToken) : await db.Users.AnyAsync(u => u.Username == user.Username, cancellationToken)) return false;
        var now = time.GetUtcNow().UtcDateTime;
        audit?.AddTo(db, time.GetUtcNow());
        db.Users.Add(new UserRow
        {
            Username = user.Username,
            DisplayName = user.DisplayName,
            Email = user.Email,
            Groups = StoredLengths.CandidateListText(user.Groups),
            Roles = string.Join(',', user.Roles),
            PasswordHash = passwordHash,
            CreatedAt = now,
            UpdatedAt = now,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            if (firstRun is not null) await firstRun.CommitAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // Created by another request between the check and the insert.
            return false;
        }
    }

    /// <summary>Any fixed number, other than the migration's: the advisory lock of the first run on PostgreSQL.</summary>
    private const long FirstRunLockId = 0x5745_4f70_7301;

    /// <summary>Replaces the user's fields; false when there is no such user.</summary>
    public Task<bool> UpdateAsync(User user, CancellationToken cancellationToken, AuditNote? audit = null) =>
        ChangeAsync(user.Username, audit, row =>
        {
            row.DisplayName = user.DisplayName;
            row.Email = user.Email;
            row.Groups = StoredLengths.CandidateListText(user.Groups);
            row.Roles = string.Join(',', user.Roles);
        }, cancellationToken);

    /// <summary>Stores a password hash (made by the server; the engine never sees a password); false when
    /// there is no such user. Null removes the password: the user can no longer sign in with one.</summary>
    public Task<bool> SetPasswordHashAsync(string username, string? hash, CancellationToken cancellationToken, AuditNote? audit = null) =>
        ChangeAsync(username, audit, row => row.PasswordHash = hash, cancellationToken);

    /// <summary>Disables the user (no sign-in, no session, no key acting as the user) or enables it again;
    /// false when there is no such user.</summary>
    public Task<bool> SetDisabledAsync(string username, bool disabled, CancellationToken cancellationToken, AuditNote? audit = null) =>
        ChangeAsync(username, audit, row => row.DisabledAt = disabled ? row.DisabledAt ?? time.GetUtcNow().UtcDateTime : null, cancellationToken);

    /// <summary>Puts the user into the group or takes it out; false when there is no such user.</summary>
    public Task<bool> SetMemberAsync(string group, string username, bool member, CancellationToken cancellationToken, AuditNote? audit = null) =>
        ChangeAsync(username, audit, row =>
        {
            var groups = Split(row.Groups).Where(g => g != group).ToList();
            if (member) groups.Add(group);
            row.Groups = StoredLengths.CandidateListText(groups);
        }, cancellationToken);

    /// <summary>Every group some user is in, with its members, in name order.</summary>
    public async Task<IReadOnlyList<Group>> GroupsAsync(CancellationToken cancellationToken)
    {
        await using var db = OpenDb();
        var rows = await db.Users.AsNoTracking().Select(u => new { u.Username, u.Groups }).ToListAsync(cancellationToken);
        return rows.SelectMany(r => Split(r.Groups).Select(g => (Group: g, r.Username)))
            .GroupBy(m => m.Group, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new Group(g.Key, g.Select(m => m.Username).Order(StringComparer.Ordinal).ToList()))
            .ToList();
    }

    /// <summary>Changes one user's row and saves it with the audit line in one transaction.</summary>
    private async Task<bool> ChangeAsync(string username, AuditNote? audit, Action<UserRow> change, CancellationToken cancellationToken)
    {
        using var gate = await database.EnterWriteAsync(cancellationToken);
        await using var db = OpenDb();
        var row = await db.Users.FirstOrDefaultAsync(u => u.Username == username, cancellationToken);
        if (row is null) return false;
        change(row);
        row.UpdatedAt = time.GetUtcNow().UtcDateTime;
        audit?.AddTo(db, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>A user's password hash and roles, for signing in and for each request of a session; null
    /// when there is no such user or the user is disabled.</summary>
    public async Task<(string? PasswordHash, IReadOnlyList<string> Roles)?> CredentialsOfAsync(string username, CancellationToken cancellationToken)
    {
        await using var db = OpenDb();
        var row = await db.Users.AsNoTracking().Where(u => u.Username == username && u.DisabledAt == null)
            .Select(u => new { u.PasswordHash, u.Roles }).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : (row.PasswordHash, row.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries));
    }

    public async Task<bool> DeleteAsync(string username, CancellationToken cancellationToken, AuditNote? audit = null)
    {
        using var gate = await database.EnterWriteAsync(cancellationToken);
        await using var db = OpenDb();
        var row = await db.Users.FirstOrDefaultAsync(u => u.Username == username, cancellationToken);
        if (row is null) return false;
        db.Users.Remove(row);
        audit?.AddTo(db, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>The groups of a user; none for a caller without a user record.</summary>
    public async Task<IReadOnlyList<string>> GroupsOfAsync(string username, CancellationToken cancellationToken)
    {
        await using var db = OpenDb();
        var groups = await db.Users.AsNoTracking().Where(u => u.Username == username).Select(u => u.Groups).FirstOrDefaultAsync(cancellationToken);
        return Split(groups ?? ",");
    }

    /// <summary>The usernames of a group's members, in name order; none for a group nobody is in.</summary>
    public async Task<IReadOnlyList<string>> MembersOfAsync(string group, CancellationToken cancellationToken)
    {
        var stored = "," + group + ",";
        await using var db = OpenDb();
        return await db.Users.AsNoTracking().Where(u => u.Groups.Contains(stored)).OrderBy(u => u.Username).Select(u => u.Username).ToListAsync(cancellationToken);
    }

    private static User View(UserRow row) => new(row.Username, row.DisplayName, row.Email, Split(row.Groups),
        row.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries), DefinitionStore.Utc(row.CreatedAt), DefinitionStore.Utc(row.UpdatedAt))
    {
        HasPassword = row.PasswordHash is not null,
        DisabledAt = row.DisabledAt is { } disabled ? DefinitionStore.Utc(disabled) : null,
    };

    private WeOpsDb OpenDb() => database.Open();

    private static List<string> Split(string joined) => joined.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList();
}
