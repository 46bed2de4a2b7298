using Microsoft.EntityFrameworkCore;

namespace WeOps.Engine.Persistence;

/// <summary>A signed hook delivery already accepted: its signature is refused again until <see cref="ExpiresAt"/>,
/// when its timestamp has left the accepted window anyway. Shared by every node through the database.</summary>
public sealed class HookDeliveryRow
{
    /// <summary>Lower-case hex of the delivery's HMAC-SHA256 signature.</summary>
    public required string Signature { get; set; }

    /// <summary>Unix milliseconds.</summary>
    public long ExpiresAt { get; set; }
}

/// <summary>Failed sign-ins in a row for one subject (<c>user:</c> or <c>address:</c> and its value), and the time
/// until which that subject may not try again. A successful sign-in deletes the row.</summary>
public sealed class SignInFailureRow
{
    /// <summary>Longest subject: <c>address:</c> and an IPv6 address, or <c>user:</c> and a username.</summary>
    public const int MaxSubjectLength = 120;

    public required string Subject { get; set; }
    public int Failures { get; set; }

    /// <summary>Unix milliseconds.</summary>
    public long LastFailedAt { get; set; }

    /// <summary>Unix milliseconds; 0 while the subject is not locked out.</summary>
    public long LockedUntil { get; set; }
}

/// <summary>One line of the audit log: who tried what, from where, and what came of it.</summary>
public sealed class AuditEntryRow
{
    public long Id { get; set; }
    public DateTime Time { get; set; }

    /// <summary>What happened, e.g. <c>sign-in.failed</c>.</summary>
    public required string Action { get; set; }

    /// <summary>The user it concerns, as given (an unknown name is recorded as tried).</summary>
    public string? Actor { get; set; }

    /// <summary>The client's IP address.</summary>
    public string? Address { get; set; }
    public string? Detail { get; set; }
}

internal static class SecurityTables
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<HookDeliveryRow>(e =>
        {
            e.ToTable("hook_deliveries");
            e.HasKey(d => d.Signature).HasName("pk_hook_deliveries");
            e.Property(d => d.Signature).HasColumnName("signature").HasMaxLength(64);
            e.Property(d => d.ExpiresAt).HasColumnName("expires_at");
            e.HasIndex(d => d.ExpiresAt).HasDatabaseName("ix_hook_deliveries_expires");
        });
        model.Entity<SignInFailureRow>(e =>
        {
            e.ToTable("sign_in_failures");
            e.HasKey(f => f.Subject).HasName("pk_sign_in_failures");
            e.Property(f => f.Subject).HasColumnName("subject").HasMaxLength(SignInFailureRow.MaxSubjectLength);
            e.Property(f => f.Failures).HasColumnName("failures");
            e.Property(f => f.LastFailedAt).HasColumnName("last_failed_at");
            e.Property(f => f.LockedUntil).HasColumnName("locked_until");
            e.HasIndex(f => f.LastFailedAt).HasDatabaseName("ix_sign_in_failures_last_failed");
        });
        model.Entity<AuditEntryRow>(e =>
        {
            e.ToTable("audit_log");
            e.HasKey(a => a.Id).HasName("pk_audit_log");
            e.Property(a => a.Id).HasColumnName("id");
            e.Property(a => a.Time).HasColumnName("time");
            e.Property(a => a.Action).HasColumnName("action").HasMaxLength(40);
            e.Property(a => a.Actor).HasColumnName("actor").HasMaxLength(200);
            e.Property(a => a.Address).HasColumnName("address").HasMaxLength(64);
            e.Property(a => a.Detail).HasColumnName("detail").HasMaxLength(2000);
            e.HasIndex(a => new { a.Actor, a.Id }).HasDatabaseName("ix_audit_log_actor");
            e.HasIndex(a => new { a.Action, a.Id }).HasDatabaseName("ix_audit_log_action");
        });
    }
}
