using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace WeOps.Server.Tests;

/// <summary>Names a process uses that the server does not know are warnings on their elements, on /api/validate, on
/// save and on publish; values written as expressions are left to run time; a save still succeeds.</summary>
[Collection(ServerCollection.Name)]
public sealed class ReferenceCheckTests(ServerFixture server)
{
    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8];

    /// <summary>A process whose one element "t" is <paramref name="element"/> (with id="t"), between start and end.</summary>
    private static string Process(string key, string element) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="defs" targetNamespace="urn:weops:test">
          <bpmn:process id="{key}" name="References" isExecutable="true">
            <bpmn:startEvent id="start" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="t" />
            {element}
            <bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="end" />
            <bpmn:endEvent id="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    private static string Approval(string approvers) =>
        $"""<bpmn:userTask id="t" name="Approve change"><bpmn:extensionElements><ops:approval approvers="{approvers}" /></bpmn:extensionElements></bpmn:userTask>""";

    private static string Ssh(string inputs) =>
        $"""<bpmn:serviceTask id="t" name="Restart nginx"><bpmn:extensionElements><ops:task type="ssh.exec" /><ops:input name="command" value="systemctl restart nginx" />{inputs}</bpmn:extensionElements></bpmn:serviceTask>""";

    private async Task<JsonArray> ValidateAsync(string xml)
    {
        using var response = await server.Client.ValidateAsync(Http.Body(xml));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync())["problems"]!.AsArray();
    }

    private static JsonNode Warning(JsonArray problems, string code)
    {
        var problem = Assert.Single(problems, p => (string?)p!["code"] == code)!;
        Assert.Equal("t", (string?)problem["elementId"]);
        Assert.Equal("warning", (string?)problem["severity"]);
        return problem;
    }

    private static void NoReferenceProblems(JsonArray problems) =>
        Assert.DoesNotContain(problems, p => ((string?)p!["code"])?.Split('.')[0] is "directory" or "credential" or "inventory" or "call");

    private async Task CreateUserAsync(string username, params string[] groups)
    {
        using var response = await server.Client.PostAsJsonAsync("/api/users", new { username, groups, roles = new[] { "approver" } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task An_approver_not_in_the_user_directory_is_a_warning_naming_the_element_and_the_user()
    {
        var known = Unique("known-");
        await CreateUserAsync(known);

        var problems = await ValidateAsync(Process(Unique("p-"), Approval($"{known},ghost-admin")));

        var problem = Warning(problems, "directory.unknown-user");
        Assert.Equal("'ghost-admin'", (string?)problem["args"]!["user"]);
        Assert.Equal("Approve change", (string?)problem["args"]!["element"]);
        Assert.Equal("Approve change: 'ghost-admin' is not a user in the user directory, so nobody can act as them here.", (string?)problem["message"]);
    }

    [Fact]
    public async Task A_group_nobody_is_in_is_a_warning_for_approvers_and_candidate_groups()
    {
        var group = Unique("cab-");
        await CreateUserAsync(Unique("member-"), group);

        var approvers = await ValidateAsync(Process(Unique("p-"), Approval($"group:{group},group:no-such-group")));
        Assert.Equal("'no-such-group'", (string?)Warning(approvers, "directory.unknown-group")["args"]!["group"]);

        var candidates = await ValidateAsync(Process(Unique("p-"),
            $"""<bpmn:userTask id="t" name="Triage"><bpmn:extensionElements><ops:assignment candidateGroups="{group}, nobody-here" /></bpmn:extensionElements></bpmn:userTask>"""));
        Assert.Equal("'nobody-here'", (string?)Warning(candidates, "directory.unknown-group")["args"]!["group"]);
    }

    [Fact]
    public async Task A_credential_that_does_not_exist_is_a_warning()
    {
        var problems = await ValidateAsync(Process(Unique("p-"), Ssh("""<ops:input name="hosts" value="10.0.0.5" /><ops:input name="credential" value="no-such-key" />""")));

        Assert.Equal("'no-such-key'", (string?)Warning(problems, "credential.unknown")["args"]!["credential"]);
    }

    [Fact]
    public async Task A_host_not_in_the_inventory_and_a_tag_filter_no_host_matches_are_warnings()
    {
        var host = Unique("web-");
        using (var saved = await server.Client.PutAsJsonAsync($"/api/hosts/{host}", new { address = "10.1.2.3", tags = new[] { "web" } }))
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());

        var unknownHost = await ValidateAsync(Process(Unique("p-"), Ssh($"""<ops:input name="hosts" value="[&quot;{host}&quot;, &quot;10.0.0.5&quot;, &quot;web-404&quot;]" />""")));
        var problem = Warning(unknownHost, "inventory.unknown-host");
        Assert.Equal("'web-404'", (string?)problem["args"]!["host"]);
        Assert.Equal("Restart nginx", (string?)problem["args"]!["element"]);

        var unknownTag = await ValidateAsync(Process(Unique("p-"), Ssh("""<ops:input name="hosts" value="tags: role-that-no-host-has" />""")));
        Assert.Equal("'tags: role-that-no-host-has'", (string?)Warning(unknownTag, "inventory.no-host-with-tags")["args"]!["filter"]);

        NoReferenceProblems(await ValidateAsync(Process(Unique("p-"), Ssh("""<ops:input name="hosts" value="tags: web" />"""))));
    }

    [Fact]
    public async Task A_called_process_that_is_not_published_is_a_warning()
    {
        var problems = await ValidateAsync(Process(Unique("p-"),
            """<bpmn:callActivity id="t" name="Run the rollback" calledElement="no-such-process" />"""));

        Assert.Equal("'no-such-process'", (string?)Warning(problems, "call.unknown-process")["args"]!["process"]);
    }

    [Fact]
    public async Task Values_written_as_expressions_are_not_looked_up()
    {
        NoReferenceProblems(await ValidateAsync(Process(Unique("p-"), Approval("${requester},ghost-${x}"))));
        NoReferenceProblems(await ValidateAsync(Process(Unique("p-"),
            Ssh("""<ops:input name="hosts" value="${alert.labels.instance}" /><ops:input name="credential" value="${env}-key" />"""))));
        NoReferenceProblems(await ValidateAsync(Process(Unique("p-"),
            """<bpmn:callActivity id="t"><bpmn:extensionElements><ops:calledProcess key="${runbook}" /></bpmn:extensionElements></bpmn:callActivity>""")));
    }

    [Fact]
    public async Task A_save_with_unknown_names_succeeds_and_returns_the_warnings_and_so_does_publish()
    {
        var key = Unique("p-");

        using var saved = await server.Client.PostAsync("/api/definitions", Http.Body(Process(key, Approval("ghost-admin"))));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var draft = await saved.JsonAsync();
        Assert.Equal(key, (string?)draft["key"]);
        Warning(draft["problems"]!.AsArray(), "directory.unknown-user");
        Assert.Equal(draft["problems"]!.AsArray().Count, (int)draft["totalProblems"]!);

        using var published = await server.Client.PostAsJsonAsync($"/api/definitions/{key}/publish", new { note = "with warnings" });
        Assert.Equal(HttpStatusCode.Created, published.StatusCode);
        Warning((await published.JsonAsync())["warnings"]!.AsArray(), "directory.unknown-user");
    }
}
