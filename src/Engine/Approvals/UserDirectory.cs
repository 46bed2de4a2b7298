using Microsoft.EntityFrameworkCore;
using WeOps.Engine.Model;
using WeOps.Engine.Persistence;

namespace WeOps.Engine.Approvals;

/// <summary>A user as the API shows it (never the password hash).</summary>
public sealed record User(string Username, string? DisplayName, string? Email, IReadOnlyList<string> Groups, IReadOnlyList<string> Roles,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

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

    /// <summary>Creates the user; false when the username is taken.</summary>
    public async Task<bool> CreateAsync(User user, CancellationToken cancellationToken)
    {
        await using var db = OpenDb();
        if (await db.Users.AnyAsync(u => u.Username == user.Username, cancellationToken)) return false;
        var now = time.GetUtcNow().UtcDateTime;
        db.Users.Add(new UserRow
        {
            Username = user.Username,
            DisplayName = user.DisplayName,
            Email = user.Email,
            Groups = StoredLengths.CandidateListText(user.Groups),
            Roles = string.Join(',', user.Roles),
            CreatedAt = now,
            UpdatedAt = now,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // Created by another request between the check and the insert.
            return false;
        }
    }

    /// <summary>Replaces the user's fields; false when there is no such user.</summary>
    public async Task<bool> UpdateAsync(User user, CancellationToken cancellationToken)
    {
        await using var db = OpenDb();
        var groups = StoredLengths.CandidateListText(user.Groups);
        var roles = string.Join(',', user.Roles);
        var now = time.GetUtcNow().UtcDateTime;
        return await db.Users.Where(u => u.Username == user.Username).ExecuteUpdateAsync(u => u
            .SetProperty(x => x.DisplayName, user.DisplayName).SetProperty(x => x.Email, user.Email)
            .SetProperty(x => x.Groups, groups).SetProperty(x => x.Roles, roles).SetProperty(x => x.UpdatedAt, now), cancellationToken) > 0;
    }

    /// <summary>Stores a password hash (made by the server; the engine never sees a password); false when
    /// there is no such user. Null removes the password: the user can no longer sign in with one.</summary>
    public async Task<bool> SetPasswordHashAsync(string username, string? hash, CancellationToken cancellationToken)
    {
        await using var db = OpenDb();
        var now = time.GetUtcNow().UtcDateTime;
        return await db.Users.Where(u => u.Username == username).ExecuteUpdateAsync(u => u
            .SetProperty(x => x.PasswordHash, hash).SetProperty(x => x.UpdatedAt, now), cancellationToken) > 0;
    }

    /// <summary>A user's password hash and roles, for signing in and for each request of a session; null
    /// when there is no such user.</summary>
    public async Task<(string? PasswordHash, IReadOnlyList<string> Roles)?> CredentialsOfAsync(string username, CancellationToken cancellationToken)
    {
        await using var db = OpenDb();
        var row = await db.Users.AsNoTracking().Where(u => u.Username == username)
            .Select(u => new { u.PasswordHash, u.Roles }).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : (row.PasswordHash, row.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries));
    }

    public async Task<bool> DeleteAsync(string username, CancellationToken cancellationToken)
    {
        await using var db = OpenDb();
        return await db.Users.Where(u => u.Username == username).ExecuteDeleteAsync(cancellationToken) > 0;
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
        row.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries), DefinitionStore.Utc(row.CreatedAt), DefinitionStore.Utc(row.UpdatedAt));

    private WeOpsDb OpenDb() => database.Open();

    private static List<string> Split(string joined) => joined.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList();
}
