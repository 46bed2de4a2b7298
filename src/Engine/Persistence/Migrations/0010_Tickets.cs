using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WeOps.Engine.Persistence.Migrations;

/// <summary>ITIL tickets, their numbering counters, timelines and links.</summary>
[DbContext(typeof(WeOpsDb))]
[Migration("20261122000010_Tickets")]
public sealed class Tickets : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.CreateTable("ticket_counters", t => new
        {
            type = t.Column<string>(maxLength: 20),
            last_number = t.Column<long>(),
        }, constraints: t => t.PrimaryKey("pk_ticket_counters", x => x.type));

        migration.CreateTable("tickets", t => new
        {
            number = t.Column<string>(maxLength: 20),
            type = t.Column<string>(maxLength: 20),
            title = t.Column<string>(maxLength: 500),
            description = t.Column<string>(maxLength: 20000, nullable: true),
            state = t.Column<string>(maxLength: 40),
            impact = t.Column<int>(),
            urgency = t.Column<int>(),
            priority = t.Column<int>(),
            requester = t.Column<string>(maxLength: 200, nullable: true),
            assignee = t.Column<string>(maxLength: 200, nullable: true),
            assignment_group = t.Column<string>(maxLength: 200, nullable: true),
            affected_hosts = t.Column<string>(maxLength: 20000),
            affected_services = t.Column<string>(maxLength: 20000),
            fields = t.Column<string>(maxLength: 65536),
            instance_id = t.Column<string>(maxLength: 100, nullable: true),
            element_id = t.Column<string>(maxLength: 200, nullable: true),
            created_at = t.Column<DateTime>(),
            updated_at = t.Column<DateTime>(),
            response_due_at = t.Column<DateTime>(),
            resolution_due_at = t.Column<DateTime>(),
            responded_at = t.Column<DateTime>(nullable: true),
            resolved_at = t.Column<DateTime>(nullable: true),
            revision = t.Column<int>(),
        }, constraints: t => t.PrimaryKey("pk_tickets", x => x.number));
        // NULLs are distinct in a unique index on both databases: tickets made through the API (no
        // instance) do not collide; a process step that runs twice does.
        migration.CreateIndex("ux_tickets_instance_element", "tickets", ["instance_id", "element_id"], unique: true);
        migration.CreateIndex("ix_tickets_type_state", "tickets", ["type", "state"]);
        migration.CreateIndex("ix_tickets_assignee", "tickets", "assignee");

        migration.CreateTable("ticket_entries", t => new
        {
            id = Initial.Identity(t.Column<long>()),
            number = t.Column<string>(maxLength: 20),
            time = t.Column<DateTime>(),
            actor = t.Column<string>(maxLength: 200, nullable: true),
            kind = t.Column<string>(maxLength: 20),
            text = t.Column<string>(maxLength: 20000, nullable: true),
            detail = t.Column<string>(nullable: true),
        }, constraints: t => t.PrimaryKey("pk_ticket_entries", x => x.id));
        migration.CreateIndex("ix_ticket_entries_number", "ticket_entries", "number");

        migration.CreateTable("ticket_links", t => new
        {
            from_number = t.Column<string>(maxLength: 20),
            to_number = t.Column<string>(maxLength: 20),
            kind = t.Column<string>(maxLength: 40),
            created_at = t.Column<DateTime>(),
            created_by = t.Column<string>(maxLength: 200, nullable: true),
        }, constraints: t => t.PrimaryKey("pk_ticket_links", x => new { x.from_number, x.to_number }));
        migration.CreateIndex("ix_ticket_links_to", "ticket_links", "to_number");
    }

    protected override void Down(MigrationBuilder migration)
    {
        foreach (var table in new[] { "ticket_links", "ticket_entries", "tickets", "ticket_counters" })
            migration.DropTable(table);
    }
}
