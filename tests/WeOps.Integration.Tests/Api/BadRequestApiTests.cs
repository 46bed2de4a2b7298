using System.Net;
using System.Text.Json.Nodes;
using static WeOps.Integration.Tests.Api.WeOpsApi;

namespace WeOps.Integration.Tests.Api;

/// <summary>A bad request gets a 4xx problem that names what is wrong, and changes nothing: after each,
/// the server lists the same instances (or definitions) as before.</summary>
public sealed class BadRequestApiTests(ServerOnPostgres server) : IClassFixture<ServerOnPostgres>, IAsyncLifetime
{
    private const string Key = "bad-requests";

    private HttpClient Client => server.Admin;

    /// <summary>A published process with an instance, so that "nothing changed" is not just "still empty";
    /// waiting for its task, so that the worker does not change it while a test compares.</summary>
    public async Task InitializeAsync()
    {
        if ((await Client.InstancesAsync($"definitionKey={Key}")).Count > 0) return;
        await Client.DeployAsync(Bpmn("noop-check-then-approval", Key));
        var id = (string)(await Client.StartAsync(Key, new JsonObject { ["host"] = "web-1" }))["id"]!;
        await Client.WaitForStatusAsync(id, "waiting");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_text_plain_body_is_a_415_and_starts_nothing()
    {
        var problem = await StartsNothingAsync(Body($$"""{"definitionKey": "{{Key}}"}""", "text/plain"), HttpStatusCode.UnsupportedMediaType);

        Assert.Contains("application/json", (string?)problem["detail"]);
    }

    [Fact]
    public async Task A_10_MB_body_is_a_413_and_starts_nothing()
    {
        var padding = new string(' ', 10 * 1024 * 1024);
        var problem = await StartsNothingAsync(Body($$$"""{"definitionKey": "{{{Key}}}",{{{padding}}}"variables": {}}""", "application/json"), HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains("1 MB", (string?)problem["detail"]);
    }

    [Fact]
    public async Task Malformed_json_is_a_400_that_names_where_it_breaks_and_starts_nothing()
    {
        var problem = await StartsNothingAsync(Body($$$"""{"definitionKey": "{{{Key}}}", "variables": {"host": web-1}}""", "application/json"), HttpStatusCode.BadRequest);

        Assert.Matches(@"not valid JSON at line 1, byte \d+", (string?)problem["detail"]);
    }

    [Fact]
    public async Task An_unknown_definition_key_is_a_404_and_starts_nothing()
    {
        var problem = await StartsNothingAsync(Body("""{"definitionKey": "no-such-process"}""", "application/json"), HttpStatusCode.NotFound);

        Assert.Contains("no-such-process", (string?)problem["detail"]);
    }

    [Fact]
    public async Task An_empty_definition_key_is_a_400_validation_problem_naming_the_field_and_starts_nothing()
    {
        var problem = await StartsNothingAsync(Body("""{"definitionKey": "", "variables": {"host": "web-1"}}""", "application/json"), HttpStatusCode.BadRequest);

        Assert.Contains("definitionKey is required", Assert.Single(problem["errors"]!["definitionKey"].Strings()));
    }

    [Fact]
    public async Task Variables_that_are_not_an_object_are_a_400_and_start_nothing()
    {
        var problem = await StartsNothingAsync(Body($$"""{"definitionKey": "{{Key}}", "variables": ["host", "web-1"]}""", "application/json"), HttpStatusCode.BadRequest);

        Assert.Contains("variables", (string?)problem["detail"]);
    }

    [Fact]
    public async Task A_file_that_is_not_xml_is_a_422_and_saves_no_definition()
    {
        var before = await DefinitionsAsync();

        using var response = await Client.PostAsync("/api/definitions", Body("This is a sentence, not a process.\n", "application/xml"));

        var refused = await response.JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Null(refused["key"]);
        Assert.Equal("error", (string?)Assert.Single(refused["problems"]!.AsArray())!["severity"]);
        Assert.Equal(before, await DefinitionsAsync());
    }

    // Expect: 100-continue, as curl sends for large uploads: the server refuses on the Content-Length
    // header before the body is sent, so the answer is not lost to a connection reset.
    [Fact]
    public async Task A_6_MB_file_is_a_413_and_saves_no_definition()
    {
        var before = await DefinitionsAsync();
        var xml = Bpmn("noop-check-then-approval", "too-large").Replace("<bpmn:startEvent", new string(' ', 6 * 1024 * 1024) + "<bpmn:startEvent", StringComparison.Ordinal);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/definitions") { Content = Body(xml, "application/xml") };
        request.Headers.ExpectContinue = true;

        using var response = await Client.SendAsync(request);

        var problem = await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("5 MB", (string?)problem["detail"]);
        Assert.Equal(before, await DefinitionsAsync());
    }

    /// <summary>Sends the body to POST /api/instances; checks the status and that the list of instances is
    /// the same before and after; returns the problem.</summary>
    private async Task<JsonNode> StartsNothingAsync(HttpContent body, HttpStatusCode status)
    {
        var before = (await Client.InstancesAsync()).ToJsonString();
        Assert.NotEqual("[]", before);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/instances") { Content = body };
        request.Headers.ExpectContinue = true;

        using var response = await Client.SendAsync(request);

        var problem = await response.ProblemAsync(status);
        Assert.Equal(before, (await Client.InstancesAsync()).ToJsonString());
        return problem;
    }

    private async Task<string> DefinitionsAsync()
    {
        using var response = await Client.GetAsync("/api/definitions");
        return (await response.JsonAsync(HttpStatusCode.OK)).ToJsonString();
    }
}
