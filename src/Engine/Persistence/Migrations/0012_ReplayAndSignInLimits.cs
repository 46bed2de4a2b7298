using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WeOps.Engine.Persistence.Migrations;

/// <summary>Signed hook deliveries already accepted (refused when replayed, on any node), failed sign-ins in a
/// row per user and per client address, and the audit log they write to.</summary>
[DbContext(typeof(WeOpsDb))]
[Migration("20261207000012_ReplayAndSignInLimits")]
public sealed class ReplayAndSignInLimits : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.CreateTable("hook_deliveries", t => new
        {
            signature = t.Column<string>(maxLength: 64),
            expires_at = t.Column<long>(),
        }, constraints: t => t.PrimaryKey("pk_hook_deliveries", x => x.signature));
        migration.CreateIndex("ix_hook_deliveries_expires", "hook_deliveries", "expires_at");

        migration.CreateTable("sign_in_failures", t => new
        {
            subject = t.Column<string>(maxLength: 120),
            failures = t.Column<int>(),
            last_failed_at = t.Column<long>(),
            locked_until = t.Column<long>(),
        }, constraints: t => t.PrimaryKey("pk_sign_in_failures", x => x.subject));
        migration.CreateIndex("ix_sign_in_failures_last_failed", "sign_in_failures", "last_failed_at");

        migration.CreateTable("audit_log", t => new
        {
            id = Initial.Identity(t.Column<long>()),
            time = t.Column<DateTime>(),
            action = t.Column<string>(maxLength: 40),
            actor = t.Column<string>(maxLength: 200, nullable: true),
            address = t.Column<string>(maxLength: 64, nullable: true),
            detail = t.Column<string>(maxLength: 2000, nullable: true),
        }, constraints: t => t.PrimaryKey("pk_audit_log", x => x.id));
        migration.CreateIndex("ix_audit_log_actor", "audit_log", ["actor", "id"]);
        migration.CreateIndex("ix_audit_log_action", "audit_log", ["action", "id"]);
    }

    protected override void Down(MigrationBuilder migration)
    {
        foreach (var table in new[] { "audit_log", "sign_in_failures", "hook_deliveries" })
            migration.DropTable(table);
    }
}
