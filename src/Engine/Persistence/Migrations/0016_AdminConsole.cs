using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WeOps.Engine.Persistence.Migrations;

/// <summary>What the admin console needs beyond the existing tables: users an admin has disabled, and server
/// settings kept in the database (mail), which override the configuration file (ADR 0025).</summary>
[DbContext(typeof(WeOpsDb))]
[Migration("20261207000016_AdminConsole")]
public sealed class AdminConsole : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.AddColumn<DateTime>("disabled_at", "users", nullable: true);
        migration.CreateTable("settings", t => new
        {
            key = t.Column<string>(maxLength: 100),
            value = t.Column<string>(maxLength: 8000, nullable: true),
            updated_at = t.Column<DateTime>(),
            updated_by = t.Column<string>(maxLength: 200, nullable: true),
        }, constraints: t => t.PrimaryKey("pk_settings", x => x.key));
    }

    protected override void Down(MigrationBuilder migration)
    {
        migration.DropTable("settings");
        migration.DropColumn("disabled_at", "users");
    }
}
