using System.Net;
using WeOps.Activities.Network;
using WeOps.Activities.Tests.Support;

namespace WeOps.Activities.Tests.Network;

/// <summary>The outbound policy's judgement of addresses and its configuration, without any connection.</summary>
public sealed class OutboundPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.8.9.10", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("169.254.169.254", "cloud metadata")]
    [InlineData("169.254.0.23", "link-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("::", "unspecified")]
    [InlineData("100.100.100.200", "cloud metadata")]
    [InlineData("fd00:ec2::254", "cloud metadata")]
    public void The_defaults_refuse_local_and_metadata_addresses(string address, string why)
    {
        var refusal = TestOutbound.Defaults.Refusal(address, IPAddress.Parse(address));

        Assert.NotNull(refusal);
        Assert.Contains(why, refusal);
        Assert.Contains("Outbound:Allow", refusal);
    }

    [Theory]
    [InlineData("10.0.0.5")]
    [InlineData("192.168.1.20")]
    [InlineData("203.0.113.7")]
    [InlineData("2001:db8::5")]
    public void The_defaults_let_other_addresses_through(string address) =>
        Assert.Null(TestOutbound.Defaults.Refusal(address, IPAddress.Parse(address)));

    [Fact]
    public void An_address_of_the_server_itself_is_refused()
    {
        var own = IPAddress.Parse("10.20.30.40");
        var policy = new OutboundPolicy(new OutboundOptions(), () => [own]);

        var refusal = policy.Refusal("node-1.example.com", own);

        Assert.NotNull(refusal);
        Assert.Contains("10.20.30.40 (the address of 'node-1.example.com')", refusal);
        Assert.Contains("an address of this server", refusal);
        Assert.Null(policy.Refusal("10.20.30.41", IPAddress.Parse("10.20.30.41")));
    }

    [Fact]
    public void Allow_takes_addresses_ranges_and_host_names_and_deny_refuses_what_it_names()
    {
        var policy = new OutboundPolicy(new OutboundOptions
        {
            Allow = ["169.254.169.254", "fe80::/10", "*.corp.example.com", "kube.internal"],
            Deny = ["10.9.0.0/16", "legacy.corp.example.com"],
        });

        Assert.Null(policy.Refusal("169.254.169.254", IPAddress.Parse("169.254.169.254")));
        Assert.NotNull(policy.Refusal("169.254.0.23", IPAddress.Parse("169.254.0.23")));
        Assert.Null(policy.Refusal("fe80::9", IPAddress.Parse("fe80::9")));
        Assert.Null(policy.Refusal("api.corp.example.com", IPAddress.Loopback));
        Assert.NotNull(policy.Refusal("corp.example.com", IPAddress.Loopback));
        Assert.Null(policy.Refusal("KUBE.internal.", IPAddress.Loopback));
        Assert.Contains("'legacy.corp.example.com' in Outbound:Deny", policy.Refusal("legacy.corp.example.com", IPAddress.Parse("10.1.1.1")));
        Assert.Contains("'10.9.0.0/16' in Outbound:Deny", policy.Refusal("api.corp.example.com", IPAddress.Parse("10.9.3.4")));
    }

    [Fact]
    public async Task A_name_with_one_refused_address_among_its_answers_is_refused()
    {
        // "localhost" resolves to 127.0.0.1 and, where IPv6 is on, ::1: allowing one is not enough.
        var policy = new OutboundPolicy(new OutboundOptions { Allow = ["127.0.0.1"] });
        var addresses = await Dns.GetHostAddressesAsync("localhost");

        if (addresses.Any(a => a.Equals(IPAddress.IPv6Loopback)))
            await Assert.ThrowsAsync<OutboundRefusedException>(() => policy.ResolveAsync("localhost", CancellationToken.None));
        else
            Assert.Equal([IPAddress.Loopback], await policy.ResolveAsync("localhost", CancellationToken.None));
    }

    [Theory]
    [InlineData("10.0.0.1/8", "Outbound:Allow")]
    [InlineData("not a host", "Outbound:Allow")]
    [InlineData("", "Outbound:Allow")]
    [InlineData("-bad.example.com", "Outbound:Allow")]
    [InlineData("2130706433", "Outbound:Allow")]
    public void A_bad_item_fails_at_construction_naming_the_setting(string item, string setting)
    {
        var error = Assert.Throws<InvalidOperationException>(() => new OutboundPolicy(new OutboundOptions { Allow = [item] }));

        Assert.Contains(setting, error.Message);
        Assert.Contains($"'{item}'", error.Message);
    }
}
