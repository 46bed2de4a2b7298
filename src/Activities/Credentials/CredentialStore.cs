using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using WeOps.Engine.Persistence;

namespace WeOps.Activities.Credentials;

/// <summary>What the API may show of a credential: never a value, only which fields are set.</summary>
public sealed record CredentialSummary(
    string Name,
    CredentialKind Kind,
    string? Description,
    IReadOnlyList<string> Fields,
    DateTimeOffset CreatedAt,
    string? CreatedBy,
    DateTimeOffset UpdatedAt,
    string? UpdatedBy);

/// <summary>Credentials in the database, their values encrypted with Data Protection.</summary>
public sealed class CredentialStore(DatabaseOptions database, IDataProtectionProvider protection, TimeProvider time) : ICredentialStore
{
    /// <summary>The purpose string binds the ciphertext to this use: a value protected for anything else
    /// does not decrypt as a credential.</summary>
    private readonly IDataProtector protector = protection.CreateProtector("WeOps.Credentials.v1");

    public async Task<Credential> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = Open();
        var row = await db.Credentials.AsNoTracking().FirstOrDefaultAsync(c => c.Name == name, cancellationToken)
            ?? throw new CredentialException($"There is no credential named '{name}'.");
        if (!CredentialKinds.TryParse(row.Kind, out var kind))
            throw new CredentialException($"Credential '{name}' has an unknown kind '{row.Kind}'.");
        Dictionary<string, string> values;
        try
        {
            values = JsonSerializer.Deserialize<Dictionary<string, string>>(protector.Unprotect(row.Secret)) ?? [];
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new CredentialException($"Credential '{name}' cannot be decrypted on this node: {e.Message}");
        }

        return new Credential(row.Name, kind, values);
    }

    public async Task<IReadOnlyList<CredentialSummary>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = Open();
        var rows = await db.Credentials.AsNoTracking().OrderBy(c => c.Name).ToListAsync(cancellationToken);
        return rows.Select(Summary).OfType<CredentialSummary>().ToList();
    }

    public async Task<CredentialSummary?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = Open();
        var row = await db.Credentials.AsNoTracking().FirstOrDefaultAsync(c => c.Name == name, cancellationToken);
        return row is null ? null : Summary(row);
    }

    public async Task<bool> ExistsAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = Open();
        return await db.Credentials.AnyAsync(c => c.Name == name, cancellationToken);
    }

    /// <summary>Creates or replaces the credential; the values given are all it holds afterwards. Returns
    /// true when it was created. The caller has checked the values with <see cref="CredentialKinds.Check"/>.</summary>
    public async Task<(bool Created, CredentialSummary Summary)> SaveAsync(
        string name, CredentialKind kind, string? description, IReadOnlyDictionary<string, string> values, string? actor, CancellationToken cancellationToken,
        AuditNote? audit = null)
    {
        var secret = protector.Protect(JsonSerializer.Serialize(values));
        var fields = string.Join(",", values.Keys.Order(StringComparer.Ordinal));
        var now = time.GetUtcNow().UtcDateTime;
        using var gate = await database.EnterWriteAsync(cancellationToken);
        await using var db = Open();
        var row = await db.Credentials.FirstOrDefaultAsync(c => c.Name == name, cancellationToken);
        var created = row is null;
        if (row is null)
        {
            row = new CredentialRow { Name = name, Kind = CredentialKinds.Name(kind), Fields = fields, Secret = secret, CreatedAt = now, CreatedBy = actor };
            db.Credentials.Add(row);
        }

        row.Kind = CredentialKinds.Name(kind);
        row.Description = description;
        row.Fields = fields;
        row.Secret = secret;
        row.UpdatedAt = now;
        row.UpdatedBy = actor;
        audit?.AddTo(db, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return (created, Summary(row)!);
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken, AuditNote? audit = null)
    {
        using var gate = await database.EnterWriteAsync(cancellationToken);
        await using var db = Open();
        var row = await db.Credentials.FirstOrDefaultAsync(c => c.Name == name, cancellationToken);
        if (row is null) return false;
        db.Credentials.Remove(row);
        audit?.AddTo(db, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    private WeOpsDb Open() => database.Open();

    private static CredentialSummary? Summary(CredentialRow row) =>
        CredentialKinds.TryParse(row.Kind, out var kind)
            ? new CredentialSummary(row.Name, kind, row.Description,
                row.Fields.Split(',', StringSplitOptions.RemoveEmptyEntries),
                new DateTimeOffset(DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc)), row.CreatedBy,
                new DateTimeOffset(DateTime.SpecifyKind(row.UpdatedAt, DateTimeKind.Utc)), row.UpdatedBy)
            : null;
}
