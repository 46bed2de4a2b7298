using Microsoft.Data.Sqlite;
using WeOps.Activities.Inventory;
using WeOps.Engine.Persistence;

namespace WeOps.Activities.Tests.Inventory;

public sealed class HostStoreTests : IAsyncLifetime
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "weops-tests", Guid.NewGuid().ToString("N"));
    private HostStore store = null!;

    public async Task InitializeAsync()
    {
        var database = new DatabaseOptions(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, "weops.db")}");
        await database.MigrateAsync();
        store = new HostStore(database, TimeProvider.System);
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    private static Host Web(string name = "web-1", string address = "10.0.0.11") =>
        new(name, address, 22, "deploy", "web-ssh", ["web", "env:prod"]) { KnownHosts = "10.0.0.11 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB" };

    [Fact]
    public async Task A_saved_host_is_found_by_name_and_by_address()
    {
        Assert.True(await store.SaveAsync(Web(), "alice", CancellationToken.None));

        var byName = await store.FindAsync("web-1", CancellationToken.None);
        var byAddress = await store.FindAsync("10.0.0.11", CancellationToken.None);

        Assert.Equal(Web().Tags, byName!.Tags);
        Assert.Equal(Web().KnownHosts, byName.KnownHosts);
        Assert.Equal("web-1", byAddress!.Name);
        Assert.Null(await store.FindAsync("10.0.0.12", CancellationToken.None));
    }

    [Fact]
    public async Task Saving_again_replaces_and_delete_removes()
    {
        await store.SaveAsync(Web(), null, CancellationToken.None);
        Assert.False(await store.SaveAsync(Web() with { Port = 2222, Tags = ["db"] }, null, CancellationToken.None));

        var host = Assert.Single(await store.ListAsync(CancellationToken.None));
        Assert.Equal(2222, host.Port);
        Assert.Equal(["db"], host.Tags);
        Assert.True(await store.DeleteAsync("web-1", CancellationToken.None));
        Assert.Empty(await store.ListAsync(CancellationToken.None));
    }

    [Fact]
    public void A_good_host_has_no_problems() => Assert.Empty(HostStore.Check(Web()));

    [Theory]
    [InlineData("-oProxyCommand=touch /tmp/x", "address")]
    [InlineData("web 1", "address")]
    [InlineData("", "address")]
    public void Addresses_ssh_would_read_as_options_or_that_are_not_addresses_are_refused(string address, string field) =>
        Assert.Contains(HostStore.Check(Web(address: address)), p => p.StartsWith(field + ":", StringComparison.Ordinal));

    [Fact]
    public void Every_bad_field_is_named()
    {
        var problems = HostStore.Check(new Host("-web", "::1", 0, "-l root", "bad name", ["ok", "bad tag"]) { KnownHosts = "garbage" });

        Assert.Contains(problems, p => p.StartsWith("name:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("port:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("user:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("credential:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("tags[1]:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("knownHosts line 1:", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.StartsWith("address:", StringComparison.Ordinal));
    }
}
