using WeOps.Activities.Inventory;
using WeOps.Activities.Ssh;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Tests.Ssh;

public sealed class SshTargetsTests
{
    private static readonly InMemoryHostInventory Inventory = new([
        new Host("web1", "10.0.0.11", 22, "deploy", "web-key", ["web", "env:prod"]) { KnownHosts = "10.0.0.11 ssh-ed25519 AAAA" },
        new Host("web2", "10.0.0.12", 2222, null, null, ["web", "env:staging"]),
        new Host("db1", "10.0.0.21", 22, null, null, ["db", "env:prod"]),
    ]);

    private static Task<IReadOnlyList<SshTarget>> Resolve(params string[] items) =>
        SshTargets.ResolveAsync(items, Inventory, CancellationToken.None);

    [Fact]
    public async Task An_inventory_name_brings_address_port_user_credential_and_known_hosts()
    {
        var target = Assert.Single(await Resolve("web1"));

        Assert.Equal(new SshTarget("web1", "10.0.0.11", 22, "deploy", "web-key", "10.0.0.11 ssh-ed25519 AAAA"), target);
    }

    [Fact]
    public async Task A_tag_filter_selects_the_matching_hosts_and_each_host_runs_once()
    {
        var targets = await Resolve("tags: env:prod", "web1", "tags: web !env: staging");

        Assert.Equal(["web1", "db1"], targets.Select(t => t.Name));
    }

    [Theory]
    [InlineData("192.0.2.7", "192.0.2.7", null)]
    [InlineData("192.0.2.7:2200", "192.0.2.7", 2200)]
    [InlineData("[2001:db8::1]:2200", "2001:db8::1", 2200)]
    [InlineData("2001:db8::1", "2001:db8::1", null)]
    [InlineData("build.example.com:22", "build.example.com", 22)]
    public async Task Addresses_outside_the_inventory_are_used_as_written(string item, string address, int? port)
    {
        var target = Assert.Single(await Resolve(item));

        Assert.Equal(address, target.Address);
        Assert.Equal(port, target.Port);
        Assert.Equal(port is not null, target.PortWritten);
        Assert.Equal(item, target.Name);
    }

    [Theory]
    [InlineData("web9", "'web9' is not in the inventory")]
    [InlineData("-oProxyCommand=reboot", "is not in the inventory")]
    [InlineData("10.0.0.5:99999", "bad port '99999'")]
    [InlineData("10.0.0.5:ssh", "bad port 'ssh'")]
    [InlineData("[::1]:", "bad port ''")]
    [InlineData("   ", "empty item")]
    [InlineData("tags: env:dev", "the tag filter 'tags: env:dev' matches no host")]
    [InlineData("tags: env:", "bad term 'env:'")]
    public async Task Unresolvable_items_give_a_clear_error(string item, string message)
    {
        var e = await Assert.ThrowsAsync<ExecutorInputException>(() => Resolve(item));

        Assert.Contains(message, e.Message);
    }
}
