using Microsoft.EntityFrameworkCore;
using WeOps.Engine.Persistence;

namespace WeOps.Server.Auth;

/// <summary>Keys in the engine's database, so they survive restarts and every node knows them.</summary>
public sealed class DatabaseApiKeyStore(DurableEngine engine, TimeProvider time) : IApiKeyStore
{
    public async Task<ApiKeyPrincipal?> FindAsync(string presentedKey, CancellationToken cancellationToken)
    {
        var hash = ApiKeySecret.Hash(presentedKey);
        var hex = Convert.ToHexStringLower(hash);
        await using var db = engine.Instances.OpenDb();
        var row = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Hash == hex, cancellationToken);
        if (row is null || !ApiKeySecret.HashesEqual(Convert.FromHexString(row.Hash), hash)) return null;
        // A disabled user's keys stop working with the user.
        if (row.Username is { } owner && await db.Users.AnyAsync(u => u.Username == owner && u.DisabledAt != null, cancellationToken)) return null;
        // A key that belongs to a user acts as that user: tasks, approvals and history name the user.
        return new ApiKeyPrincipal(row.Username ?? row.Name, Roles(row), row.Id);
    }

    public async Task AddAsync(ApiKey key, byte[] keyHash, CancellationToken cancellationToken, AuditNote? audit = null)
    {
        await using var db = engine.Instances.OpenDb();
        audit?.AddTo(db, time.GetUtcNow());
        db.ApiKeys.Add(new ApiKeyRow
        {
            Id = key.Id,
            Name = key.Name,
            Roles = string.Join(',', key.Roles),
            Hash = Convert.ToHexStringLower(keyHash),
            CreatedAt = key.CreatedAt.UtcDateTime,
            Username = key.User,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = engine.Instances.OpenDb();
        var rows = await db.ApiKeys.AsNoTracking().OrderBy(k => k.CreatedAt).ThenBy(k => k.Name).ToListAsync(cancellationToken);
        return rows.Select(View).ToList();
    }

    public async Task<ApiKey?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = engine.Instances.OpenDb();
        var row = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == id, cancellationToken);
        return row is null ? null : View(row);
    }

    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken, AuditNote? audit = null)
    {
        await using var db = engine.Instances.OpenDb();
        var row = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (row is null) return false;
        db.ApiKeys.Remove(row);
        audit?.AddTo(db, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public async Task<bool> AnyAsync(CancellationToken cancellationToken)
    {
        await using var db = engine.Instances.OpenDb();
        return await db.ApiKeys.AnyAsync(cancellationToken);
    }

    private static ApiKey View(ApiKeyRow row) =>
        new(row.Id, row.Name, Roles(row), new DateTimeOffset(DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc))) { User = row.Username };

    private static List<string> Roles(ApiKeyRow row) => row.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList();
}
