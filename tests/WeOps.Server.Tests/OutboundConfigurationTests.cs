using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WeOps.Activities.Network;

namespace WeOps.Server.Tests;

/// <summary>The outbound policy the server's executors get, as its configuration says.</summary>
public sealed class OutboundConfigurationTests
{
    [Fact]
    public async Task Without_settings_the_server_refuses_loopback_and_Outbound_settings_change_that()
    {
        var plain = WeOpsServer.Create(RunningServer.Arguments());
        var configured = WeOpsServer.Create(RunningServer.Arguments("--Outbound:Allow=127.0.0.0/8,::1", "--Outbound:Deny:0=127.0.0.9"));
        try
        {
            var defaults = plain.Services.GetRequiredService<OutboundPolicy>();
            var policy = configured.Services.GetRequiredService<OutboundPolicy>();

            Assert.NotNull(defaults.Refusal("127.0.0.1", IPAddress.Loopback));
            Assert.Null(policy.Refusal("127.0.0.1", IPAddress.Loopback));
            Assert.Null(policy.Refusal("::1", IPAddress.IPv6Loopback));
            Assert.Contains("Outbound:Deny", policy.Refusal("127.0.0.9", IPAddress.Parse("127.0.0.9")));
        }
        finally
        {
            await plain.DisposeAsync();
            await configured.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_bad_item_stops_the_start_with_a_message_naming_it()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunningServer.StartAsync(["--Outbound:Deny=10.0.0.0/8,intranet..example.com"]));

        Assert.Contains("Outbound:Deny: 'intranet..example.com' is not an address", error.Message);
    }
}
