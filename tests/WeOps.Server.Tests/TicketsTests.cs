using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace WeOps.Server.Tests;

/// <summary>The ticket API: open, list with filters, read with timeline, comment, move; bad input is a
/// 4xx naming the problem.</summary>
[Collection(ServerCollection.Name)]
public sealed class TicketsTests(ServerFixture server)
{
    private async Task<JsonNode> Open(object body)
    {
        using var response = await server.As("operator").PostAsJsonAsync("/api/tickets", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.JsonAsync();
    }

    [Fact]
    public async Task An_operator_opens_an_incident_and_reads_it_back_with_priority_SLA_and_timeline()
    {
        var created = await Open(new
        {
            type = "incident",
            title = "Checkout is slow",
            impact = "high",
            urgency = "medium",
            assignee = "bob",
            affected = new { hosts = new[] { "web-1" }, services = new[] { "checkout" } },
            fields = new { customer = "acme" },
        });
        var number = (string)created["ticket"]!["number"]!;
        Assert.Matches("^INC-[0-9]{6}$", number);
        Assert.Equal("P2", (string?)created["ticket"]!["priority"]);

        using var read = await server.As("approver").GetAsync($"/api/tickets/{number}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var ticket = await read.JsonAsync();
        Assert.Equal("new", (string?)ticket["ticket"]!["state"]);
        Assert.Equal("test operator", (string?)ticket["ticket"]!["requester"]);
        Assert.Equal("checkout", (string?)ticket["ticket"]!["affected"]!["services"]![0]);
        Assert.NotNull(ticket["ticket"]!["sla"]!["response"]!["dueAt"]);
        Assert.False((bool)ticket["ticket"]!["sla"]!["breached"]!);
        Assert.Equal("created", (string?)ticket["timeline"]![0]!["kind"]);
        Assert.Equal(["assigned"], ticket["ticket"]!["allowedTransitions"]!.AsArray().Select(s => (string?)s));
    }

    [Fact]
    public async Task Comments_and_transitions_land_on_the_timeline()
    {
        var number = (string)(await Open(new { type = "problem", title = "Recurring OOM kills" }))["ticket"]!["number"]!;
        var client = server.As("operator");

        using var commented = await client.PostAsJsonAsync($"/api/tickets/{number}/comments", new { text = "Heap dumps attached" });
        using var moved = await client.PostAsJsonAsync($"/api/tickets/{number}/transition", new { to = "investigation", note = "taking it" });

        Assert.Equal(HttpStatusCode.Created, commented.StatusCode);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var ticket = await moved.JsonAsync();
        Assert.Equal("investigation", (string?)ticket["ticket"]!["state"]);
        Assert.Equal("Heap dumps attached", (string?)ticket["comments"]![0]!["text"]);
        Assert.Equal(["created", "comment", "transition"], ticket["timeline"]!.AsArray().Select(e => (string?)e!["kind"]));
        Assert.Equal("test operator", (string?)ticket["timeline"]![2]!["actor"]);
    }

    [Fact]
    public async Task A_transition_the_machine_does_not_allow_is_a_409_naming_from_to_and_the_allowed_states()
    {
        var number = (string)(await Open(new { type = "change", title = "Upgrade PostgreSQL" }))["ticket"]!["number"]!;

        using var response = await server.As("operator").PostAsJsonAsync($"/api/tickets/{number}/transition", new { to = "implement" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.Contains("'new' to 'implement'", (string?)problem["detail"]);
        Assert.Equal(["assess", "authorize", "scheduled"], problem["allowed"]!.AsArray().Select(s => (string?)s));
        Assert.Equal("new", (string?)problem["from"]);
        using var unchanged = await server.Client.GetAsync($"/api/tickets/{number}");
        Assert.Equal("new", (string?)(await unchanged.JsonAsync())["ticket"]!["state"]);
    }

    [Fact]
    public async Task Lists_filter_by_type_state_priority_assignee_and_breach()
    {
        var assignee = "eve-" + Guid.NewGuid().ToString("N")[..8];
        await Open(new { type = "release", title = "2.5", impact = 1, urgency = 1, assignee });
        var incident = (string)(await Open(new { type = "incident", title = "Disk full", impact = 1, urgency = 1, assignee }))["ticket"]!["number"]!;

        async Task<List<string?>> Numbers(string query)
        {
            using var response = await server.As("designer").GetAsync($"/api/tickets?assignee={assignee}&{query}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return [.. (await response.JsonAsync())["items"]!.AsArray().Select(t => (string?)t!["number"])];
        }

        Assert.Equal([incident], await Numbers("type=incident"));
        Assert.Equal(2, (await Numbers("priority=P1")).Count);
        Assert.Empty(await Numbers("priority=P3"));
        Assert.Equal([incident], await Numbers("state=new"));
        Assert.Empty(await Numbers("breached=true"));
        Assert.Equal(2, (await Numbers("breached=false")).Count);
        Assert.Single(await Numbers("limit=1"));
    }

    public static TheoryData<string, string> BadQueries() => new()
    {
        { "type=ticket", "type" },
        { "type=incident&state=assess", "state" },
        { "state=nowhere", "state" },
        { "priority=P9", "priority" },
        { "limit=0", "limit" },
        { "limit=100000", "limit" },
        { "offset=-1", "offset" },
    };

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task A_bad_list_query_is_a_400_naming_the_parameter(string query, string field)
    {
        using var response = await server.Client.GetAsync($"/api/tickets?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.JsonAsync())["errors"]![field]);
    }

    public static TheoryData<string, string> BadTickets() => new()
    {
        { """{"title":"no type"}""", "type" },
        { """{"type":"incident"}""", "title" },
        { """{"type":"incident","title":"x","impact":"catastrophic"}""", "impact" },
        { """{"type":"incident","title":"x","urgency":[1]}""", "urgency" },
        { """{"type":"incident","title":"x","affected":{"hosts":[{"a":1}]}}""", "affected.hosts" },
        { """{"type":"incident","title":"x","fields":"text"}""", "fields" },
        { """{"type":"incident","title":"line\u0000break"}""", "title" },
        { $$"""{"type":"incident","title":"{{new string('t', 501)}}"}""", "title" },
    };

    [Theory]
    [MemberData(nameof(BadTickets))]
    public async Task A_bad_ticket_is_a_422_naming_the_field(string json, string field)
    {
        using var response = await server.Client.PostAsync("/api/tickets", Http.Body(json, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.NotNull((await response.JsonAsync())["errors"]![field]);
    }

    [Theory]
    [InlineData("GET", "/api/tickets/INC-999999", null, HttpStatusCode.NotFound)]
    [InlineData("GET", "/api/tickets/not-a-number", null, HttpStatusCode.NotFound)]
    [InlineData("GET", "/api/tickets/%E2%80%AEINC-000001%0A", null, HttpStatusCode.NotFound)]
    [InlineData("POST", "/api/tickets/INC-999999/comments", """{"text":"hi"}""", HttpStatusCode.NotFound)]
    [InlineData("POST", "/api/tickets/INC-999999/transition", """{"to":"assigned"}""", HttpStatusCode.NotFound)]
    [InlineData("POST", "/api/tickets/INC-999999/transition", """{}""", HttpStatusCode.BadRequest)]
    [InlineData("POST", "/api/tickets/INC-999999/comments", """{"text":""}""", HttpStatusCode.UnprocessableEntity)]
    [InlineData("POST", "/api/tickets", """[1,2,3]""", HttpStatusCode.BadRequest)]
    [InlineData("POST", "/api/tickets", """{"type":""", HttpStatusCode.BadRequest)]
    [InlineData("POST", "/api/tickets", """{"type":1,"title":true}""", HttpStatusCode.BadRequest)]
    [InlineData("GET", "/api/tickets?breached=maybe", null, HttpStatusCode.BadRequest)]
    [InlineData("GET", "/api/tickets?limit=abc", null, HttpStatusCode.BadRequest)]
    public async Task Garbage_gets_a_4xx_problem_never_a_500(string method, string path, string? json, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (json is not null) request.Content = Http.Body(json, "application/json");

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_approver_reads_tickets_but_cannot_open_one()
    {
        using var response = await server.As("approver").PostAsJsonAsync("/api/tickets", new { type = "incident", title = "x" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
    [Fact]
    public async Task A_process_opens_and_moves_a_ticket_that_links_back_to_its_instance()
    {
        var key = "ticket-" + Guid.NewGuid().ToString("N")[..8];
        var xml = $$"""
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
              <bpmn:process id="{{key}}" isExecutable="true">
                <bpmn:startEvent id="start" />
                <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="open" />
                <bpmn:serviceTask id="open">
                  <bpmn:extensionElements>
                    <ops:task type="ticket.create"/>
                    <ops:input name="type" value="incident"/>
                    <ops:input name="title" value="Disk almost full on ${host}"/>
                    <ops:input name="impact" value="high"/>
                    <ops:input name="urgency" value="${1}"/>
                    <ops:input name="assignee" value="bob"/>
                    <ops:input name="affected" value="${ {hosts: [host]} }"/>
                    <ops:output name="ticket" value="${number}"/>
                  </bpmn:extensionElements>
                </bpmn:serviceTask>
                <bpmn:sequenceFlow id="f2" sourceRef="open" targetRef="assign" />
                <bpmn:serviceTask id="assign">
                  <bpmn:extensionElements>
                    <ops:task type="ticket.transition"/>
                    <ops:input name="number" value="${ticket}"/>
                    <ops:input name="to" value="assigned"/>
                  </bpmn:extensionElements>
                </bpmn:serviceTask>
                <bpmn:sequenceFlow id="f3" sourceRef="assign" targetRef="end" />
                <bpmn:endEvent id="end" />
              </bpmn:process>
            </bpmn:definitions>
            """;
        using (var saved = await server.Client.PostAsync("/api/definitions", Http.Body(xml)))
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        using (var published = await server.Client.PostAsJsonAsync($"/api/definitions/{key}/publish", new { }))
            Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());
        using var started = await server.Client.PostAsJsonAsync("/api/instances", new { definitionKey = key, variables = new { host = "web-7" } });
        var instanceId = (string)(await started.JsonAsync())["id"]!;

        JsonNode instance;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await Task.Delay(100);
            using var read = await server.Client.GetAsync($"/api/instances/{instanceId}");
            instance = await read.JsonAsync();
        }
        while ((string?)instance["status"] != "completed" && DateTime.UtcNow < deadline);

        Assert.Equal("completed", (string?)instance["status"]);
        var number = (string)instance["variables"]!["ticket"]!;
        using var response = await server.Client.GetAsync($"/api/tickets/{number}");
        var ticket = await response.JsonAsync();
        Assert.Equal(("assigned", "P1", instanceId), ((string?)ticket["ticket"]!["state"], (string?)ticket["ticket"]!["priority"], (string?)ticket["ticket"]!["instanceId"]));
        Assert.Equal($"/api/instances/{instanceId}", (string?)ticket["instance"]);
        Assert.Equal("web-7", (string?)ticket["ticket"]!["affected"]!["hosts"]![0]);
        Assert.Equal($"process {instanceId}/assign", (string?)ticket["timeline"]![1]!["actor"]);
    }
}
