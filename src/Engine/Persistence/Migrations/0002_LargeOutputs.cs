using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WeOps.Engine.Persistence.Migrations;

/// <summary>Executor output too large for a variable, stored beside its instance.</summary>
[DbContext(typeof(WeOpsDb))]
[Migration("20261122000002_LargeOutputs")]
public sealed class LargeOutputs : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.CreateTable("large_outputs", t => new
        {
            id = t.Column<string>(maxLength: 40),
            instance_id = t.Column<Guid>(),
            element_id = t.Column<string>(maxLength: 200),
            name = t.Column<string>(maxLength: 200),
            content = t.Column<string>(),
            length = t.Column<long>(),
            created_at = t.Column<DateTime>(),
        }, constraints: t => t.PrimaryKey("pk_large_outputs", x => x.id));
        migration.CreateIndex("ix_large_outputs_instance", "large_outputs", "instance_id");
    }

    protected override void Down(MigrationBuilder migration) => migration.DropTable("large_outputs");
}
