using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WeOps.Engine.Persistence.Migrations;

/// <summary>Encrypted credentials, the Data Protection key ring that encrypts them, and the host inventory.</summary>
[DbContext(typeof(WeOpsDb))]
[Migration("20261122000003_CredentialsAndHosts")]
public sealed class CredentialsAndHosts : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.CreateTable("credentials", t => new
        {
            name = t.Column<string>(maxLength: 100),
            kind = t.Column<string>(maxLength: 20),
            description = t.Column<string>(maxLength: 500, nullable: true),
            fields = t.Column<string>(maxLength: 500),
            secret = t.Column<string>(),
            created_at = t.Column<DateTime>(),
            created_by = t.Column<string>(maxLength: 200, nullable: true),
            updated_at = t.Column<DateTime>(),
            updated_by = t.Column<string>(maxLength: 200, nullable: true),
        }, constraints: t => t.PrimaryKey("pk_credentials", x => x.name));

        migration.CreateTable("data_protection_keys", t => new
        {
            id = Initial.Identity(t.Column<long>()),
            friendly_name = t.Column<string>(maxLength: 200),
            xml = t.Column<string>(),
        }, constraints: t => t.PrimaryKey("pk_data_protection_keys", x => x.id));
        migration.CreateIndex("ux_data_protection_keys_friendly_name", "data_protection_keys", "friendly_name", unique: true);

        migration.CreateTable("hosts", t => new
        {
            name = t.Column<string>(maxLength: 200),
            address = t.Column<string>(maxLength: 255),
            port = t.Column<int>(),
            username = t.Column<string>(maxLength: 100, nullable: true),
            credential = t.Column<string>(maxLength: 100, nullable: true),
            tags = t.Column<string>(maxLength: 2000),
            known_hosts = t.Column<string>(maxLength: 16000, nullable: true),
            updated_at = t.Column<DateTime>(),
            updated_by = t.Column<string>(maxLength: 200, nullable: true),
        }, constraints: t => t.PrimaryKey("pk_hosts", x => x.name));
    }

    protected override void Down(MigrationBuilder migration)
    {
        foreach (var table in new[] { "hosts", "data_protection_keys", "credentials" })
            migration.DropTable(table);
    }
}
