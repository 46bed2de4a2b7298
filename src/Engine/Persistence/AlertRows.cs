using Microsoft.EntityFrameworkCore;

namespace WeOps.Engine.Persistence;

/// <summary>What became of an alert, per process it matched (or once, when it matched none).</summary>
public static class AlertOutcomes
{
    public const string Started = "started";
    public const string Deduplicated = "deduplicated";
    public const string Suppressed = "suppressed";
    public const string Unmatched = "unmatched";
    public const string Resolved = "resolved";
}

/// <summary>One line of the alert log: an alert as received (normalised) and what it did.</summary>
public sealed class AlertLogRow
{
    public long Id { get; set; }
    public DateTime ReceivedAt { get; set; }
    public required string Source { get; set; }
    public required string Fingerprint { get; set; }
    public required string Status { get; set; }

    /// <summary>JSON objects of strings.</summary>
    public required string Labels { get; set; }
    public required string Annotations { get; set; }
    public DateTime StartsAt { get; set; }
    public DateTime? EndsAt { get; set; }
    public string? GeneratorUrl { get; set; }
    public string? ProcessKey { get; set; }
    public Guid? InstanceId { get; set; }
    public required string Outcome { get; set; }
    public string? Reason { get; set; }

    /// <summary>Times this alert arrived: 1, plus each repeat deduplicated onto this row.</summary>
    public int Count { get; set; }
    public DateTime LastSeenAt { get; set; }
}

/// <summary>One (process, fingerprint): whether an instance for it is active (the primary key is what
/// keeps two nodes from starting a second one), and when the last one ended (for the cooldown).</summary>
public sealed class AlertFingerprintRow
{
    public required string ProcessKey { get; set; }
    public required string Fingerprint { get; set; }
    public bool Active { get; set; }
    public Guid? InstanceId { get; set; }
    public DateTime? EndedAt { get; set; }
}

/// <summary>A process's circuit breaker: recent failures of its alert instances, and since when it is open.
/// Its row is also the lock that serialises intake for the process across nodes.</summary>
public sealed class AlertBreakerRow
{
    public required string ProcessKey { get; set; }

    /// <summary>JSON array of Unix milliseconds: failures within the window.</summary>
    public required string Failures { get; set; }
    public DateTime? OpenedAt { get; set; }
    public string? OpenedReason { get; set; }
    public DateTime? ResetAt { get; set; }
    public string? ResetBy { get; set; }
}

internal static class AlertTables
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<AlertLogRow>(e =>
        {
            e.ToTable("alert_log");
            e.HasKey(a => a.Id).HasName("pk_alert_log");
            e.Property(a => a.Id).HasColumnName("id");
            e.Property(a => a.ReceivedAt).HasColumnName("received_at");
            e.Property(a => a.Source).HasColumnName("source").HasMaxLength(20);
            e.Property(a => a.Fingerprint).HasColumnName("fingerprint").HasMaxLength(200);
            e.Property(a => a.Status).HasColumnName("status").HasMaxLength(10);
            e.Property(a => a.Labels).HasColumnName("labels");
            e.Property(a => a.Annotations).HasColumnName("annotations");
            e.Property(a => a.StartsAt).HasColumnName("starts_at");
            e.Property(a => a.EndsAt).HasColumnName("ends_at");
            e.Property(a => a.GeneratorUrl).HasColumnName("generator_url").HasMaxLength(2000);
            e.Property(a => a.ProcessKey).HasColumnName("process_key").HasMaxLength(200);
            e.Property(a => a.InstanceId).HasColumnName("instance_id");
            e.Property(a => a.Outcome).HasColumnName("outcome").HasMaxLength(20);
            e.Property(a => a.Reason).HasColumnName("reason").HasMaxLength(500);
            e.Property(a => a.Count).HasColumnName("count");
            e.Property(a => a.LastSeenAt).HasColumnName("last_seen_at");
            e.HasIndex(a => a.Fingerprint).HasDatabaseName("ix_alert_log_fingerprint");
            e.HasIndex(a => new { a.ProcessKey, a.Outcome }).HasDatabaseName("ix_alert_log_process_outcome");
            e.HasIndex(a => a.InstanceId).HasDatabaseName("ix_alert_log_instance");
        });
        model.Entity<AlertFingerprintRow>(e =>
        {
            e.ToTable("alert_fingerprints");
            e.HasKey(f => new { f.ProcessKey, f.Fingerprint }).HasName("pk_alert_fingerprints");
            e.Property(f => f.ProcessKey).HasColumnName("process_key").HasMaxLength(200);
            e.Property(f => f.Fingerprint).HasColumnName("fingerprint").HasMaxLength(200);
            e.Property(f => f.Active).HasColumnName("active");
            e.Property(f => f.InstanceId).HasColumnName("instance_id");
            e.Property(f => f.EndedAt).HasColumnName("ended_at");
            e.HasIndex(f => f.InstanceId).HasDatabaseName("ix_alert_fingerprints_instance");
        });
        model.Entity<AlertBreakerRow>(e =>
        {
            e.ToTable("alert_breakers");
            e.HasKey(b => b.ProcessKey).HasName("pk_alert_breakers");
            e.Property(b => b.ProcessKey).HasColumnName("process_key").HasMaxLength(200);
            e.Property(b => b.Failures).HasColumnName("failures");
            e.Property(b => b.OpenedAt).HasColumnName("opened_at");
            e.Property(b => b.OpenedReason).HasColumnName("opened_reason").HasMaxLength(500);
            e.Property(b => b.ResetAt).HasColumnName("reset_at");
            e.Property(b => b.ResetBy).HasColumnName("reset_by").HasMaxLength(200);
        });
    }
}
