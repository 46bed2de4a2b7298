using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace WeOps.Server.Tests;

/// <summary>Editing tickets over the API: impact and urgency set the priority, each change is a from -> to entry,
/// links are made and removed, refused moves carry a code a client translates, bad input names its field.</summary>
[Collection(ServerCollection.Name)]
public sealed class TicketEditingTests(ServerFixture server)
{
    private HttpClient Operator => server.As("operator");

    private async Task<string> Open(object body)
    {
        using var response = await Operator.PostAsJsonAsync("/api/tickets", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (string)(await response.JsonAsync())["ticket"]!["number"]!;
    }

    private static async Task<JsonNode> Expect(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.JsonAsync();
    }

    [Fact]
    public async Task Changing_impact_and_urgency_sets_the_priority_and_the_timeline_says_from_and_to()
    {
        var number = await Open(new { type = "incident", title = "VPN drops every hour", impact = "low", urgency = "low" });

        using var patched = await Operator.PatchAsJsonAsync($"/api/tickets/{number}", new { impact = "high", urgency = "high", assignee = "oscar", group = "network" });

        var ticket = await Expect(patched, HttpStatusCode.OK);
        Assert.Equal(("P1", "oscar", "network"), ((string?)ticket["ticket"]!["priority"], (string?)ticket["ticket"]!["assignee"], (string?)ticket["ticket"]!["group"]));
        var entry = ticket["timeline"]!.AsArray().Last()!;
        Assert.Equal(("updated", "test operator"), ((string?)entry["kind"], (string?)entry["actor"]));
        Assert.Equal(("P5", "P1"), ((string?)entry["detail"]!["priority"]!["from"], (string?)entry["detail"]!["priority"]!["to"]));
        Assert.Equal(("low", "high"), ((string?)entry["detail"]!["urgency"]!["from"], (string?)entry["detail"]!["urgency"]!["to"]));
    }

    [Fact]
    public async Task Assigned_without_an_assignee_is_a_422_with_its_code_and_resolved_without_notes_as_well()
    {
        var number = await Open(new { type = "incident", title = "Badge reader at gate 2 dead" });

        using var unassigned = await Operator.PostAsJsonAsync($"/api/tickets/{number}/transition", new { to = "assigned" });
        var problem = await Expect(unassigned, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("ticket.assigneeRequired", (string?)problem["code"]);
        Assert.Equal("assigned", (string?)problem["parameters"]!["to"]);

        using (var assign = await Operator.PatchAsJsonAsync($"/api/tickets/{number}", new { assignee = "oscar" })) await Expect(assign, HttpStatusCode.OK);
        foreach (var state in new[] { "assigned", "inProgress" })
        {
            using var moved = await Operator.PostAsJsonAsync($"/api/tickets/{number}/transition", new { to = state });
            await Expect(moved, HttpStatusCode.OK);
        }

        using var noNotes = await Operator.PostAsJsonAsync($"/api/tickets/{number}/transition", new { to = "resolved" });
        Assert.Equal("ticket.resolutionRequired", (string?)(await Expect(noNotes, HttpStatusCode.UnprocessableEntity))["code"]);
        using var notAllowed = await Operator.PostAsJsonAsync($"/api/tickets/{number}/transition", new { to = "closed", note = "done" });
        Assert.Equal("ticket.transitionNotAllowed", (string?)(await Expect(notAllowed, HttpStatusCode.Conflict))["code"]);
    }

    [Fact]
    public async Task Links_are_made_with_a_kind_the_rules_allow_and_removed()
    {
        var incident = await Open(new { type = "incident", title = "Checkout 502" });
        var change = await Open(new { type = "change", title = "Roll back checkout 4.1", fields = new { risk = "medium" } });

        using var linked = await Operator.PostAsJsonAsync($"/api/tickets/{change}/links", new { to = incident, kind = "causedBy" });
        var view = await Expect(linked, HttpStatusCode.OK);
        Assert.Equal((incident, "causedBy", "in"), ((string?)view["links"]![0]!["number"], (string?)view["links"]![0]!["kind"], (string?)view["links"]![0]!["direction"]));
        using var badKind = await Operator.PostAsJsonAsync($"/api/tickets/{change}/links", new { to = incident, kind = "partOf" });
        Assert.NotNull((await Expect(badKind, HttpStatusCode.UnprocessableEntity))["errors"]!["kind"]);

        using var unlinked = await Operator.DeleteAsync($"/api/tickets/{incident}/links/{change}");
        Assert.Empty((await Expect(unlinked, HttpStatusCode.OK))["links"]!.AsArray());
        using var rules = await Operator.GetAsync("/api/tickets/link-rules");
        Assert.Contains((await Expect(rules, HttpStatusCode.OK)).AsArray(), r => (string?)r!["fromType"] == "incident" && (string?)r["toType"] == "change");
    }

    [Fact]
    public async Task The_directory_lists_users_and_their_groups_for_the_pickers()
    {
        using var response = await Operator.GetAsync("/api/tickets/directory");

        var directory = await Expect(response, HttpStatusCode.OK);
        Assert.NotNull(directory["users"]!.AsArray());
        Assert.NotNull(directory["groups"]!.AsArray());
    }

    public static TheoryData<string, string, string?, HttpStatusCode, string?> Garbage() => new()
    {
        { "PATCH", "/api/tickets/INC-000001", $$"""{"title":"{{new string('x', 501)}}"}""", HttpStatusCode.UnprocessableEntity, "title" },
        { "PATCH", "/api/tickets/INC-000001", """{"impact":"catastrophic"}""", HttpStatusCode.UnprocessableEntity, "impact" },
        { "PATCH", "/api/tickets/INC-000001", """{"affected":{"hosts":"web-1"}}""", HttpStatusCode.UnprocessableEntity, "affected.hosts" },
        { "PATCH", "/api/tickets/not-a-number", """{"title":"x"}""", HttpStatusCode.NotFound, null },
        { "POST", "/api/tickets", """{"type":"outage","title":"x"}""", HttpStatusCode.UnprocessableEntity, "type" },
        { "POST", "/api/tickets", """{"type":"change","title":"x","fields":{"risk":"yolo"}}""", HttpStatusCode.UnprocessableEntity, "fields.risk" },
        { "POST", "/api/tickets/INC-000001/links", """{"to":"INC-12"}""", HttpStatusCode.UnprocessableEntity, "to" },
        { "POST", "/api/tickets/INC-000001/links", """{"to":"INC-000001"}""", HttpStatusCode.UnprocessableEntity, "to" },
        { "DELETE", "/api/tickets/INC-000001/links/garbage", null, HttpStatusCode.NotFound, null },
        { "GET", "/api/tickets?q=" + new string('q', 501), null, HttpStatusCode.BadRequest, "q" },
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public async Task Garbage_is_a_4xx_naming_the_field(string method, string path, string? json, HttpStatusCode expected, string? field)
    {
        await Open(new { type = "incident", title = "So that INC-000001 exists" });
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (json is not null) request.Content = Http.Body(json, "application/json");

        using var response = await Operator.SendAsync(request);

        var problem = await Expect(response, expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (field is not null) Assert.NotNull(problem["errors"]![field]);
    }
}
