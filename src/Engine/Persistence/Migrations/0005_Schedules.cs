using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WeOps.Engine.Persistence.Migrations;

/// <summary>Timer start events of published versions; their pending occurrences are rows in <c>jobs</c>.</summary>
[DbContext(typeof(WeOpsDb))]
[Migration("20261122000005_Schedules")]
public sealed class Schedules : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.CreateTable("schedules", t => new
        {
            id = t.Column<Guid>(),
            definition_key = t.Column<string>(maxLength: 200),
            version = t.Column<int>(),
            start_event_id = t.Column<string>(maxLength: 200),
            kind = t.Column<string>(maxLength: 20),
            expression = t.Column<string>(maxLength: 500),
            time_zone = t.Column<string>(maxLength: 100, nullable: true),
            misfire = t.Column<string>(maxLength: 20),
            anchor_at = t.Column<long>(),
            due_at = t.Column<long>(),
            created_at = t.Column<DateTime>(),
        }, constraints: t => t.PrimaryKey("pk_schedules", x => x.id));
        migration.CreateIndex("ux_schedules_definition_start", "schedules", ["definition_key", "start_event_id"], unique: true);
    }

    protected override void Down(MigrationBuilder migration) => migration.DropTable("schedules");
}
