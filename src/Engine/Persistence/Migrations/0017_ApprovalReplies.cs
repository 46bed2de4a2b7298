using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WeOps.Engine.Persistence.Migrations;

/// <summary>Replies to approval mail that were read from the reply mailbox, by Message-Id: each is acted on once,
/// whichever node reads it, and a copy sent again is recognised as a replay.</summary>
[DbContext(typeof(WeOpsDb))]
[Migration("20261207000017_ApprovalReplies")]
public sealed class ApprovalReplies : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.CreateTable("approval_replies", t => new
        {
            message_id = t.Column<string>(maxLength: 1000),
            mailbox_copy = t.Column<string>(maxLength: 200),
            link_id = t.Column<long>(nullable: true),
            sender = t.Column<string>(maxLength: 320, nullable: true),
            outcome = t.Column<string>(maxLength: 40),
            received_at = t.Column<DateTime>(),
        }, constraints: t => t.PrimaryKey("pk_approval_replies", x => x.message_id));
        migration.CreateIndex("ix_approval_replies_received_at", "approval_replies", "received_at");
    }

    protected override void Down(MigrationBuilder migration) => migration.DropTable("approval_replies");
}
