using System.Net;

namespace WeOps.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class ActivitiesTests(ServerFixture server)
{
    [Fact]
    public async Task Activities_list_noop_with_its_category_and_result_input()
    {
        using var response = await server.Client.GetAsync("/api/activities");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var activities = (await response.JsonAsync()).AsArray();
        var noop = Assert.Single(activities, a => (string?)a!["type"] == "noop")!;
        Assert.Equal("Utility", (string?)noop["category"]);
        var result = Assert.Single(noop["inputs"]!.AsArray(), i => (string?)i!["name"] == "result")!;
        Assert.Equal("any", (string?)result["type"]);
        Assert.Equal("Any value; returned as the output's 'result'.", (string?)result["description"]);
        Assert.Contains(noop["outputs"]!.AsArray(), o => (string?)o!["name"] == "result");
    }

    [Fact]
    public async Task Activities_name_the_inputs_a_shell_or_a_url_reads()
    {
        using var response = await server.Client.GetAsync("/api/activities");

        var activities = (await response.JsonAsync()).AsArray();
        string? Syntax(string type, string input) =>
            (string?)Assert.Single(Assert.Single(activities, a => (string?)a!["type"] == type)!["inputs"]!.AsArray(), i => (string?)i!["name"] == input)!["syntax"];
        Assert.Equal("shell", Syntax("ssh.exec", "command"));
        Assert.Equal("shell", Syntax("ssh.exec", "script"));
        Assert.Equal("text", Syntax("ssh.exec", "user"));
        Assert.Equal("url", Syntax("http.request", "url"));
    }
}
