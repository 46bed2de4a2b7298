using System.Net;

namespace WeOps.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class ValidationTests(ServerFixture server)
{
    [Fact]
    public async Task A_valid_process_is_valid_and_named_by_its_key()
    {
        using var response = await server.Client.ValidateAsync(Http.Body(Http.Fixture("noop-runbook-is-valid.bpmn")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.JsonAsync();
        Assert.True((bool)json["valid"]!);
        Assert.Equal("noop-runbook", (string?)json["key"]);
        Assert.Equal(["noop-runbook"], json["processes"]!.AsArray().Select(p => (string?)p));
        Assert.Empty(json["problems"]!.AsArray());
    }

    [Fact]
    public async Task A_process_with_a_problem_is_invalid_and_names_the_element_and_severity()
    {
        using var response = await server.Client.ValidateAsync(Http.Body(Http.Fixture("service-task-with-unknown-executor-is-invalid.bpmn")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.JsonAsync();
        Assert.False((bool)json["valid"]!);
        Assert.Equal("unknown-executor", (string?)json["key"]);
        var problem = Assert.Single(json["problems"]!.AsArray(), p => (string?)p!["elementId"] == "restart")!;
        Assert.Equal("error", (string?)problem["severity"]);
        Assert.Equal("executor.unknown", (string?)problem["code"]);
        Assert.Equal("ssh.teleport", (string?)problem["args"]!["type"]);
        Assert.Contains("ssh.teleport", (string?)problem["message"]);
        Assert.True((int?)problem["line"] > 0);
    }
}
