using static WeOps.Integration.Tests.Api.WeOpsApi;

namespace WeOps.Integration.Tests.Api;

/// <summary>Timers over PostgreSQL: a timer is a job with a due time that the server's workers fire.</summary>
public sealed class TimerApiTests(ServerOnPostgres server) : IClassFixture<ServerOnPostgres>
{
    private HttpClient Client => server.Admin;

    [Fact]
    public async Task An_instance_waits_at_a_one_second_timer_then_completes()
    {
        var (key, _) = await Client.DeployAsync(Bpmn("intermediate-timer-waits-one-second"));

        var started = await Client.StartAsync(key);

        Assert.Equal("waiting", (string?)started["status"]);
        Assert.Equal(["settle"], started["active"].Strings());
        var instance = await Client.WaitForStatusAsync((string)started["id"]!, "completed", within: TimeSpan.FromSeconds(15));
        var settle = instance["history"]!.AsArray().Single(s => (string?)s!["elementId"] == "settle")!;
        Assert.Equal("completed", (string?)settle["outcome"]);
        Assert.True((DateTimeOffset)settle["endedAt"]! - (DateTimeOffset)settle["startedAt"]! >= TimeSpan.FromSeconds(1),
            $"The timer fired before it was due: {settle.ToJsonString()}");
    }
}
