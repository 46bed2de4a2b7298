using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WeOps.Engine.Persistence.Migrations;

/// <summary>Approvals: the user directory, approval links (token hashes only), the undecided approvers of a
/// task, and the user an API key belongs to.</summary>
[DbContext(typeof(WeOpsDb))]
[Migration("20261122000009_Approvals")]
public sealed class Approvals : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.CreateTable("users", t => new
        {
            username = t.Column<string>(maxLength: 100),
            display_name = t.Column<string>(maxLength: 200, nullable: true),
            email = t.Column<string>(maxLength: 320, nullable: true),
            groups = t.Column<string>(maxLength: 2000),
            roles = t.Column<string>(maxLength: 500),
            password_hash = t.Column<string>(maxLength: 500, nullable: true),
            created_at = t.Column<DateTime>(),
            updated_at = t.Column<DateTime>(),
        }, constraints: t => t.PrimaryKey("pk_users", x => x.username));

        migration.CreateTable("approval_links", t => new
        {
            id = Initial.Identity(t.Column<long>()),
            token_hash = t.Column<string>(maxLength: 64),
            instance_id = t.Column<Guid>(),
            wait_id = t.Column<int>(),
            task_id = t.Column<long>(),
            seat = t.Column<string>(maxLength: 210),
            approver = t.Column<string>(maxLength: 100),
            created_at = t.Column<DateTime>(),
            expires_at = t.Column<DateTime>(nullable: true),
            used_at = t.Column<DateTime>(nullable: true),
            decision = t.Column<string>(maxLength: 20, nullable: true),
        }, constraints: t => t.PrimaryKey("pk_approval_links", x => x.id));
        migration.CreateIndex("ux_approval_links_token_hash", "approval_links", "token_hash", unique: true);
        migration.CreateIndex("ix_approval_links_task", "approval_links", "task_id");

        // Existing rows get "," (no approvers); the model has no default, so PostgreSQL drops it again
        // (SQLite cannot drop a column default, and its schema test does not compare them).
        migration.AddColumn<string>("approvers", "user_tasks", maxLength: WeOpsDb.StoredLengthsApprovers, nullable: false, defaultValue: ",");
        if (migration.ActiveProvider == "Npgsql.EntityFrameworkCore.PostgreSQL")
            migration.Sql("ALTER TABLE user_tasks ALTER COLUMN approvers DROP DEFAULT");
        migration.AddColumn<string>("username", "api_keys", maxLength: 100, nullable: true);
    }

    protected override void Down(MigrationBuilder migration)
    {
        migration.DropColumn("username", "api_keys");
        migration.DropColumn("approvers", "user_tasks");
        migration.DropTable("approval_links");
        migration.DropTable("users");
    }
}
