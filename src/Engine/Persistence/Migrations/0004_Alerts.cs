using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WeOps.Engine.Persistence.Migrations;

/// <summary>Alert intake: the alert log, the active fingerprint per process (its key stops a second
/// start), and each process's circuit breaker.</summary>
[DbContext(typeof(WeOpsDb))]
[Migration("20261122000004_Alerts")]
public sealed class Alerts : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.CreateTable("alert_log", t => new
        {
            id = Initial.Identity(t.Column<long>()),
            received_at = t.Column<DateTime>(),
            source = t.Column<string>(maxLength: 20),
            fingerprint = t.Column<string>(maxLength: 200),
            status = t.Column<string>(maxLength: 10),
            labels = t.Column<string>(),
            annotations = t.Column<string>(),
            starts_at = t.Column<DateTime>(),
            ends_at = t.Column<DateTime>(nullable: true),
            generator_url = t.Column<string>(maxLength: 2000, nullable: true),
            process_key = t.Column<string>(maxLength: 200, nullable: true),
            instance_id = t.Column<Guid>(nullable: true),
            outcome = t.Column<string>(maxLength: 20),
            reason = t.Column<string>(maxLength: 500, nullable: true),
            count = t.Column<int>(),
            last_seen_at = t.Column<DateTime>(),
        }, constraints: t => t.PrimaryKey("pk_alert_log", x => x.id));
        migration.CreateIndex("ix_alert_log_fingerprint", "alert_log", "fingerprint");
        migration.CreateIndex("ix_alert_log_process_outcome", "alert_log", ["process_key", "outcome"]);
        migration.CreateIndex("ix_alert_log_instance", "alert_log", "instance_id");

        migration.CreateTable("alert_fingerprints", t => new
        {
            process_key = t.Column<string>(maxLength: 200),
            fingerprint = t.Column<string>(maxLength: 200),
            active = t.Column<bool>(),
            instance_id = t.Column<Guid>(nullable: true),
            ended_at = t.Column<DateTime>(nullable: true),
        }, constraints: t => t.PrimaryKey("pk_alert_fingerprints", x => new { x.process_key, x.fingerprint }));
        migration.CreateIndex("ix_alert_fingerprints_instance", "alert_fingerprints", "instance_id");

        migration.CreateTable("alert_breakers", t => new
        {
            process_key = t.Column<string>(maxLength: 200),
            failures = t.Column<string>(),
            opened_at = t.Column<DateTime>(nullable: true),
            opened_reason = t.Column<string>(maxLength: 500, nullable: true),
            reset_at = t.Column<DateTime>(nullable: true),
            reset_by = t.Column<string>(maxLength: 200, nullable: true),
        }, constraints: t => t.PrimaryKey("pk_alert_breakers", x => x.process_key));
    }

    protected override void Down(MigrationBuilder migration)
    {
        foreach (var table in new[] { "alert_breakers", "alert_fingerprints", "alert_log" })
            migration.DropTable(table);
    }
}
