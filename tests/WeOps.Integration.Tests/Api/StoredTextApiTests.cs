using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using WeOps.Engine.Model;
using static WeOps.Integration.Tests.Api.WeOpsApi;

namespace WeOps.Integration.Tests.Api;

/// <summary>Text that SQLite keeps but PostgreSQL refuses: a NUL character (U+0000), or a value longer than
/// its column. Whether it comes in a request, a BPMN file or a variable evaluated at run time, it is
/// answered with a 4xx or becomes a fault at the element; never a 500, never an instance stuck in a step
/// the database will not commit.</summary>
public sealed class StoredTextApiTests(ServerOnPostgres server) : IClassFixture<ServerOnPostgres>
{
    private HttpClient Client => server.Admin;

    [Fact]
    public async Task A_business_key_with_a_NUL_character_starts_the_instance_and_finds_it_again()
    {
        var (key, _) = await Client.DeployAsync(Bpmn("message-catch-correlated-by-order-id", "nul-business-key"));

        var started = await Client.StartAsync(key, new JsonObject { ["orderId"] = "ORD-1" }, businessKey: "CHG\u00001");

        Assert.Equal([(string)started["id"]!], (await Client.InstancesAsync("businessKey=CHG%001")).Select(i => (string)i!["id"]!));
    }

    [Fact]
    public async Task A_filter_with_a_NUL_character_finds_nothing()
    {
        Assert.Empty(await Client.InstancesAsync("definitionKey=a%00b&status=wait%00ing"));
    }

    [Theory]
    [InlineData("state=op%00en", "state")]
    [InlineData("processKey=a%00b", "processKey")]
    public async Task A_task_filter_with_a_NUL_character_is_a_400_naming_the_parameter(string query, string parameter)
    {
        using var response = await Client.GetAsync($"/api/tasks?instanceId={Guid.NewGuid()}&{query}");

        var problem = await response.JsonAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]![parameter]);
    }

    [Fact]
    public async Task A_message_or_signal_named_with_a_NUL_character_reaches_nobody()
    {
        using var message = await Client.PostAsJsonAsync("/api/messages", new { name = "order\u0000shipped", correlationKey = "ORD\u00001" });
        using var signal = await Client.PostAsJsonAsync("/api/signals", new { name = "change\u0000freeze" });

        foreach (var response in new[] { message, signal })
        {
            var outcome = await response.JsonAsync(HttpStatusCode.OK);
            Assert.Empty(outcome["delivered"]!.AsArray());
            Assert.Empty(outcome["started"]!.AsArray());
        }
    }

    [Fact]
    public async Task A_cancel_reason_with_a_NUL_character_cancels_the_instance()
    {
        var (key, _) = await Client.DeployAsync(Bpmn("message-catch-correlated-by-order-id", "nul-cancel-reason"));
        var id = (string)(await Client.StartAsync(key, new JsonObject { ["orderId"] = "ORD-1" }))["id"]!;

        using var response = await Client.PostAsJsonAsync($"/api/instances/{id}/cancel", new { reason = "withdrawn\u0000" });

        Assert.Equal("cancelled", (string?)(await response.JsonAsync(HttpStatusCode.OK))["status"]);
    }

    [Fact]
    public async Task A_script_error_with_a_NUL_character_faults_the_instance_at_the_script()
    {
        var (key, _) = await Client.DeployAsync(Bpmn("script-task-error-message-with-nul-character"));

        var started = await Client.StartAsync(key);

        Assert.Equal("faulted", (string?)started["status"]);
        var fault = Assert.Single((await Client.InstanceAsync((string)started["id"]!))["faults"]!.AsArray())!;
        Assert.Equal("parse", (string?)fault["elementId"]);
        Assert.Contains("cannot parse", (string?)fault["message"]);
    }

    [Fact]
    public async Task A_publish_note_longer_than_2000_characters_is_a_400_naming_the_field_and_publishes_nothing()
    {
        using (var saved = await Client.SaveDraftAsync(Bpmn("noop-check-then-approval", "long-note")))
            await saved.JsonAsync(HttpStatusCode.OK);

        using var response = await Client.PostAsJsonAsync("/api/definitions/long-note/publish", new { note = new string('n', 2001) });

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("2000", Assert.Single(problem["errors"]!["note"].Strings()));
        using var versions = await Client.GetAsync("/api/definitions/long-note/versions");
        Assert.Empty((await versions.JsonAsync(HttpStatusCode.OK)).AsArray());
    }

    [Fact]
    public async Task A_process_id_longer_than_200_characters_is_a_422_naming_it_and_is_not_saved()
    {
        var id = new string('p', StoredLengths.Key + 1);
        var before = await DefinitionsAsync();

        using var response = await Client.SaveDraftAsync(Bpmn("noop-check-then-approval", id));

        var refused = await response.JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Null(refused["key"]);
        var problem = Assert.Single(refused["problems"]!.AsArray(), p => (string?)p!["severity"] == "error")!;
        Assert.Contains("at most 200", (string?)problem["message"]);
        Assert.Equal(before, await DefinitionsAsync());
    }

    [Fact]
    public async Task An_element_id_longer_than_200_characters_is_saved_as_a_draft_with_an_error_and_cannot_be_published()
    {
        var element = new string('a', StoredLengths.Key + 1);
        var xml = Bpmn("noop-check-then-approval", "long-element-id").Replace("\"approve\"", $"\"{element}\"", StringComparison.Ordinal);

        using var saved = await Client.SaveDraftAsync(xml);

        var draft = await saved.JsonAsync(HttpStatusCode.OK);
        var problem = Assert.Single(draft["problems"]!.AsArray(), p => (string?)p!["severity"] == "error")!;
        Assert.Equal(element, (string?)problem["elementId"]);
        Assert.Contains("at most 200", (string?)problem["message"]);
        using var published = await Client.PublishAsync("long-element-id");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, published.StatusCode);
    }

    [Fact]
    public async Task A_process_name_longer_than_500_characters_is_a_422_naming_it_and_is_not_saved()
    {
        var xml = Bpmn("noop-check-then-approval", "long-name").Replace("Check, then approve", new string('n', StoredLengths.Name + 1), StringComparison.Ordinal);
        var before = await DefinitionsAsync();

        using var response = await Client.SaveDraftAsync(xml);

        var refused = await response.JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Null(refused["key"]);
        var problem = Assert.Single(refused["problems"]!.AsArray(), p => (string?)p!["severity"] == "error")!;
        Assert.Equal("long-name", (string?)problem["elementId"]);
        Assert.Contains("at most 500", (string?)problem["message"]);
        Assert.Equal(before, await DefinitionsAsync());
    }

    [Fact]
    public async Task A_correlation_key_longer_than_200_characters_faults_the_instance_after_the_worker_step_and_a_retry_with_a_shorter_one_waits()
    {
        var (key, _) = await Client.DeployAsync(Bpmn("message-catch-after-noop-service-task"));
        var id = (string)(await Client.StartAsync(key, new JsonObject { ["orderId"] = new string('o', StoredLengths.Key + 1) }))["id"]!;

        var faulted = await Client.WaitForStatusAsync(id, "faulted");

        var fault = Assert.Single(faulted["faults"]!.AsArray())!;
        Assert.Equal("packed", (string?)fault["elementId"]);
        Assert.Contains("at most 200", (string?)fault["message"]);
        using (var set = await Client.PostAsJsonAsync($"/api/instances/{id}/variables", new { orderId = "ORD-7" }))
            await set.JsonAsync(HttpStatusCode.OK);
        using (var retry = await Client.PostAsync($"/api/instances/{id}/retry", null))
            Assert.Equal("waiting", (string?)(await retry.JsonAsync(HttpStatusCode.OK))["status"]);
        using var message = await Client.PostAsJsonAsync("/api/messages", new { name = "order.packed", correlationKey = "ORD-7" });
        Assert.Equal([id], (await message.JsonAsync(HttpStatusCode.OK))["delivered"].Strings());
    }

    [Theory]
    [InlineData("assignee")]
    [InlineData("groups")]
    public async Task A_user_task_assignment_longer_than_its_column_faults_the_instance_at_the_task(string variable)
    {
        var (key, _) = await Client.DeployAsync(Bpmn("user-task-assigned-from-variables", $"long-{variable}"));
        var variables = new JsonObject { ["assignee"] = "alice", ["groups"] = "cab,ops" };
        variables[variable] = variable == "assignee"
            ? new string('a', StoredLengths.Key + 1)
            : string.Join(',', Enumerable.Range(0, 200).Select(i => $"group-{i:000}"));

        var started = await Client.StartAsync(key, variables);

        Assert.Equal("faulted", (string?)started["status"]);
        var fault = Assert.Single((await Client.InstanceAsync((string)started["id"]!))["faults"]!.AsArray())!;
        Assert.Equal("assess", (string?)fault["elementId"]);
        Assert.Contains("at most", (string?)fault["message"]);
        Assert.Empty(await Client.TasksAsync((string)started["id"]!));
    }

    private async Task<string> DefinitionsAsync()
    {
        using var response = await Client.GetAsync("/api/definitions");
        return (await response.JsonAsync(HttpStatusCode.OK)).ToJsonString();
    }
}
