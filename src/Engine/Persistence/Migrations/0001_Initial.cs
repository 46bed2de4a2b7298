using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Migrations.Operations.Builders;

namespace WeOps.Engine.Persistence.Migrations;

/// <summary>The first schema. Written by hand (the EF design-time tools cannot be restored here) for both
/// providers at once: column types come from each provider's mapping of the CLR type, and each provider
/// reads only its own identity annotation. A test compares the migrated schema with the model.</summary>
[DbContext(typeof(WeOpsDb))]
[Migration("20261122000001_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.CreateTable("definitions", t => new
        {
            key = t.Column<string>(maxLength: 200),
            name = t.Column<string>(maxLength: 500, nullable: true),
            draft_xml = t.Column<string>(),
            draft_hash = t.Column<string>(maxLength: 64),
            draft_saved_at = t.Column<DateTime>(),
            draft_saved_by = t.Column<string>(maxLength: 200, nullable: true),
            latest_version = t.Column<int>(),
        }, constraints: t => t.PrimaryKey("pk_definitions", x => x.key));

        migration.CreateTable("definition_versions", t => new
        {
            key = t.Column<string>(maxLength: 200),
            version = t.Column<int>(),
            name = t.Column<string>(maxLength: 500, nullable: true),
            xml = t.Column<string>(),
            hash = t.Column<string>(maxLength: 64),
            published_at = t.Column<DateTime>(),
            published_by = t.Column<string>(maxLength: 200, nullable: true),
            note = t.Column<string>(maxLength: 2000, nullable: true),
        }, constraints: t => t.PrimaryKey("pk_definition_versions", x => new { x.key, x.version }));

        migration.CreateTable("instances", t => new
        {
            id = t.Column<Guid>(),
            definition_key = t.Column<string>(maxLength: 200),
            version = t.Column<int>(),
            business_key = t.Column<string>(maxLength: 200, nullable: true),
            status = t.Column<string>(maxLength: 20),
            state = t.Column<string>(),
            parent_id = t.Column<Guid>(nullable: true),
            started_at = t.Column<DateTime>(),
            ended_at = t.Column<DateTime>(nullable: true),
            updated_at = t.Column<DateTime>(),
            revision = t.Column<int>(),
        }, constraints: t => t.PrimaryKey("pk_instances", x => x.id));
        migration.CreateIndex("ix_instances_definition_status", "instances", ["definition_key", "status"]);
        migration.CreateIndex("ix_instances_business_key", "instances", "business_key");
        migration.CreateIndex("ix_instances_parent", "instances", "parent_id");

        migration.CreateTable("history", t => new
        {
            id = Identity(t.Column<long>()),
            instance_id = t.Column<Guid>(),
            time = t.Column<DateTime>(),
            kind = t.Column<string>(maxLength: 40),
            element_id = t.Column<string>(maxLength: 200, nullable: true),
            element_type = t.Column<string>(maxLength: 60, nullable: true),
            token_id = t.Column<int>(nullable: true),
            detail = t.Column<string>(nullable: true),
            actor = t.Column<string>(maxLength: 200, nullable: true),
        }, constraints: t => t.PrimaryKey("pk_history", x => x.id));
        migration.CreateIndex("ix_history_instance", "history", "instance_id");

        migration.CreateTable("jobs", t => new
        {
            id = Identity(t.Column<long>()),
            instance_id = t.Column<Guid>(),
            wait_id = t.Column<int>(),
            kind = t.Column<string>(maxLength: 20),
            element_id = t.Column<string>(maxLength: 200, nullable: true),
            executor_type = t.Column<string>(maxLength: 100, nullable: true),
            due_at = t.Column<long>(),
            attempt = t.Column<int>(),
            lock_owner = t.Column<string>(maxLength: 200, nullable: true),
            locked_until = t.Column<long>(nullable: true),
            last_error = t.Column<string>(nullable: true),
            payload = t.Column<string>(nullable: true),
        }, constraints: t => t.PrimaryKey("pk_jobs", x => x.id));
        migration.CreateIndex("ix_jobs_due", "jobs", "due_at");
        migration.CreateIndex("ix_jobs_instance_wait", "jobs", ["instance_id", "wait_id"]);

        migration.CreateTable("user_tasks", t => new
        {
            id = Identity(t.Column<long>()),
            instance_id = t.Column<Guid>(),
            wait_id = t.Column<int>(),
            element_id = t.Column<string>(maxLength: 200),
            name = t.Column<string>(maxLength: 500, nullable: true),
            assignee = t.Column<string>(maxLength: 200, nullable: true),
            candidate_groups = t.Column<string>(maxLength: 2000),
            candidate_users = t.Column<string>(maxLength: 2000),
            state = t.Column<string>(maxLength: 20),
            created_at = t.Column<DateTime>(),
            due_at = t.Column<DateTime>(nullable: true),
            ended_at = t.Column<DateTime>(nullable: true),
            ended_by = t.Column<string>(maxLength: 200, nullable: true),
            form_key = t.Column<string>(maxLength: 200, nullable: true),
            data = t.Column<string>(),
        }, constraints: t => t.PrimaryKey("pk_user_tasks", x => x.id));
        migration.CreateIndex("ix_user_tasks_instance_wait", "user_tasks", ["instance_id", "wait_id"]);
        migration.CreateIndex("ix_user_tasks_state_assignee", "user_tasks", ["state", "assignee"]);

        migration.CreateTable("subscriptions", t => new
        {
            id = Identity(t.Column<long>()),
            instance_id = t.Column<Guid>(),
            wait_id = t.Column<int>(),
            kind = t.Column<string>(maxLength: 20),
            name = t.Column<string>(maxLength: 200),
            correlation_key = t.Column<string>(maxLength: 200, nullable: true),
            element_id = t.Column<string>(maxLength: 200),
            created_at = t.Column<DateTime>(),
        }, constraints: t => t.PrimaryKey("pk_subscriptions", x => x.id));
        migration.CreateIndex("ix_subscriptions_lookup", "subscriptions", ["kind", "name", "correlation_key"]);
        migration.CreateIndex("ix_subscriptions_instance_wait", "subscriptions", ["instance_id", "wait_id"]);

        migration.CreateTable("nodes", t => new
        {
            id = t.Column<string>(maxLength: 100),
            host = t.Column<string>(maxLength: 200),
            process_id = t.Column<int>(),
            started_at = t.Column<DateTime>(),
            heartbeat_at = t.Column<long>(),
        }, constraints: t => t.PrimaryKey("pk_nodes", x => x.id));

        migration.CreateTable("api_keys", t => new
        {
            id = t.Column<Guid>(),
            name = t.Column<string>(maxLength: 100),
            roles = t.Column<string>(maxLength: 500),
            hash = t.Column<string>(maxLength: 64),
            created_at = t.Column<DateTime>(),
        }, constraints: t => t.PrimaryKey("pk_api_keys", x => x.id));
        migration.CreateIndex("ux_api_keys_hash", "api_keys", "hash", unique: true);
    }

    protected override void Down(MigrationBuilder migration)
    {
        foreach (var table in new[] { "api_keys", "nodes", "subscriptions", "user_tasks", "jobs", "history", "instances", "definition_versions", "definitions" })
            migration.DropTable(table);
    }

    internal static OperationBuilder<AddColumnOperation> Identity(OperationBuilder<AddColumnOperation> column) =>
        column
            .Annotation("Sqlite:Autoincrement", true)
            .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);
}
