using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WeOps.Engine.Persistence.Migrations;

/// <summary>Due jobs by kind: workers claim timers and deliveries in bulk apart from executor jobs, and with only
/// the due-time index that claim read every due job of every kind (thousands under a backlog) to find none.</summary>
[DbContext(typeof(WeOpsDb))]
[Migration("20261203000011_JobKindIndex")]
public sealed class JobKindIndex : Migration
{
    protected override void Up(MigrationBuilder migration) =>
        migration.CreateIndex("ix_jobs_kind_due", "jobs", ["kind", "due_at"]);

    protected override void Down(MigrationBuilder migration) =>
        migration.DropIndex("ix_jobs_kind_due", "jobs");
}
