using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WeOps.Server.Health;

namespace WeOps.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class HealthTests(ServerFixture server)
{
    [Theory]
    [InlineData("/health")]
    [InlineData("/health/live")]
    public async Task Health_and_liveness_answer_ok_without_a_key(string path)
    {
        using var response = await server.Anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", (string?)(await response.JsonAsync())["status"]);
    }

    [Fact]
    public async Task Readiness_with_every_check_passing_is_200()
    {
        using var response = await server.Anonymous.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ready", (string?)(await response.JsonAsync())["status"]);
    }

    [Fact]
    public async Task Readiness_is_503_naming_the_failing_check_and_its_message()
    {
        await using var node = await RunningServer.StartAsync([], builder =>
        {
            builder.Services.AddSingleton<IReadinessCheck>(new Check("queue", () => Task.FromResult(ReadinessResult.Ok)));
            builder.Services.AddSingleton<IReadinessCheck>(new Check("broker", () => Task.FromResult(ReadinessResult.NotReady("connection refused"))));
        });

        using var response = await node.NewClient().GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal("broker: connection refused", (string?)problem["detail"]);
        var broker = Assert.Single(problem["checks"]!.AsArray(), c => (string?)c!["name"] == "broker")!;
        Assert.False((bool)broker["ready"]!);
        Assert.True((bool)problem["checks"]!.AsArray().Single(c => (string?)c!["name"] == "database")!["ready"]!);
        Assert.True((bool)problem["checks"]!.AsArray().Single(c => (string?)c!["name"] == "queue")!["ready"]!);
    }

    [Fact]
    public async Task A_check_that_throws_is_not_ready_and_its_exception_stays_in_the_log()
    {
        await using var node = await RunningServer.StartAsync([], builder =>
            builder.Services.AddSingleton<IReadinessCheck>(new Check("broker", () => throw new InvalidOperationException("password=hunter2"))));

        using var response = await node.NewClient().GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var detail = (string?)(await response.JsonAsync())["detail"];
        Assert.StartsWith("broker: The check failed (InvalidOperationException)", detail);
        Assert.DoesNotContain("hunter2", detail);
    }

    private sealed class Check(string name, Func<Task<ReadinessResult>> check) : IReadinessCheck
    {
        public string Name => name;

        public Task<ReadinessResult> CheckAsync(CancellationToken cancellationToken) => check();
    }
}
