using WeOps.Engine.Approvals;

namespace WeOps.Integration.Tests.Schema;

/// <summary>PostgreSQL databases made by earlier releases' migrations, each with an instance waiting on a timer, are
/// upgraded at the next start; what each schema change added works on the old data and the instance goes on to its end.</summary>
public sealed class PostgresUpgradeTests
{
    [Fact]
    public async Task A_database_of_the_migrations_up_to_0011_upgrades_and_its_waiting_timer_fires_to_the_end()
    {
        await using var upgrade = await PostgresUpgrade.AtAsync("20261203000011_JobKindIndex");
        Assert.DoesNotContain("audit_log", await upgrade.TablesAsync());

        await upgrade.UpgradeAsync();

        Assert.Contains("20261207000012_ReplayAndSignInLimits", await upgrade.AppliedAsync());
        Assert.Superset(new HashSet<string> { "hook_deliveries", "sign_in_failures", "audit_log" }, (await upgrade.TablesAsync()).ToHashSet());
        await upgrade.AssertTheWaitingInstanceRunsToItsEndAsync();
    }

    [Fact]
    public async Task A_database_of_the_migrations_up_to_0012_upgrades_keeps_its_users_and_its_waiting_timer_fires_to_the_end()
    {
        await using var upgrade = await PostgresUpgrade.AtAsync("20261207000012_ReplayAndSignInLimits");
        Assert.DoesNotContain("settings", await upgrade.TablesAsync());
        await upgrade.ExecuteAsync(
            "INSERT INTO users (\"username\", \"groups\", \"roles\", \"created_at\", \"updated_at\") VALUES ('old-admin', ',ops,', 'admin', TIMESTAMP '2026-01-01 00:00:00', TIMESTAMP '2026-01-01 00:00:00')");

        await upgrade.UpgradeAsync();

        Assert.Contains("20261207000016_AdminConsole", await upgrade.AppliedAsync());
        Assert.Contains("settings", await upgrade.TablesAsync());
        var directory = new UserDirectory(upgrade.Options, TimeProvider.System);
        Assert.Null((await directory.GetAsync("old-admin", CancellationToken.None))!.DisabledAt);
        Assert.True(await directory.SetDisabledAsync("old-admin", true, CancellationToken.None));
        Assert.Null(await directory.CredentialsOfAsync("old-admin", CancellationToken.None));
        await upgrade.AssertTheWaitingInstanceRunsToItsEndAsync();
    }

    [Fact]
    public async Task A_database_of_the_migrations_up_to_0016_upgrades_records_replies_once_and_its_waiting_timer_fires_to_the_end()
    {
        await using var upgrade = await PostgresUpgrade.AtAsync("20261207000016_AdminConsole");
        Assert.DoesNotContain("approval_replies", await upgrade.TablesAsync());

        await upgrade.UpgradeAsync();

        Assert.Contains("20261207000017_ApprovalReplies", await upgrade.AppliedAsync());
        var ledger = new ApprovalReplyLedger(upgrade.Options, TimeProvider.System);
        Assert.Equal(ReplyClaim.Claimed, await ledger.ClaimAsync("<r1@example.com>", "7:1", "alice@example.com", CancellationToken.None));
        await ledger.RecordAsync("<r1@example.com>", 42, "decided", CancellationToken.None);
        Assert.Equal(ReplyClaim.Taken, await ledger.ClaimAsync("<r1@example.com>", "7:1", "alice@example.com", CancellationToken.None));
        Assert.Equal(ReplyClaim.Replayed, await ledger.ClaimAsync("<r1@example.com>", "7:2", "alice@example.com", CancellationToken.None));
        await upgrade.AssertTheWaitingInstanceRunsToItsEndAsync();
    }
}
