using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace WeOps.Server.Tests.Approvals;

/// <summary>Task and start forms over HTTP: the form with its data, and submissions checked against it, a 422 keyed
/// by field that leaves the task open and writes no variable.</summary>
[Collection(ApprovalCollection.Name)]
public sealed class FormsTests(ApprovalServer approvals)
{
    private const string Assessment = """
        <ops:assignment assignee="alice" />
        <ops:form><![CDATA[{"type":"default","components":[
          {"type":"select","key":"impact","label":"Impact","validate":{"required":true},"values":[{"label":"High","value":"high"},{"label":"Low","value":"low"}]},
          {"type":"number","key":"hosts","label":"Hosts affected","validate":{"min":1}},
          {"type":"textfield","key":"summary","label":"Summary","defaultValue":"${'Change ' + ticket}"},
          {"type":"select","key":"owner","label":"Owner","valuesKey":"ownerOptions","properties":{"picker":"users"}},
          {"type":"select","key":"team","label":"Team","valuesKey":"teamOptions","properties":{"picker":"groups"}}
        ]}]]></ops:form>
        """;

    private const string ReasonOnReject = $$$"""
        <ops:approval approvers="alice" policy="any" {{{ApprovalServer.Titled}}}/>
        <ops:form><![CDATA[{"components":[{"type":"textarea","key":"reason","label":"Reason","properties":{"requiredOn":"reject"}}]}]]></ops:form>
        """;

    [Fact]
    public async Task A_task_form_comes_with_defaults_from_variables_and_the_pickers_options()
    {
        var (id, marker) = await approvals.StartAsync(await approvals.PublishAsync(Assessment));
        var task = (long)(await approvals.WaitForTaskAsync(id, "approve"))["id"]!;

        var form = await (await approvals.Admin.GetAsync($"/api/tasks/{task}/form")).JsonAsync();

        Assert.Equal("impact", (string?)form["schema"]!["components"]![0]!["key"]);
        Assert.Equal($"Change {marker}", (string?)form["data"]!["summary"]);
        Assert.Contains(form["data"]!["ownerOptions"]!.AsArray(), o => (string?)o!["value"] == "alice" && (string?)o["label"] == "Alice (alice)");
        Assert.Contains(form["data"]!["teamOptions"]!.AsArray(), o => (string?)o!["value"] == "cab");
    }

    [Fact]
    public async Task A_task_without_a_form_has_a_null_schema()
    {
        var (id, _) = await approvals.StartAsync(await approvals.PublishAsync("""<ops:assignment assignee="alice" />"""));
        var task = (long)(await approvals.WaitForTaskAsync(id, "approve"))["id"]!;

        var form = await (await approvals.Admin.GetAsync($"/api/tasks/{task}/form")).JsonAsync();

        Assert.Null(form["schema"]);
    }

    [Fact]
    public async Task A_missing_required_field_or_a_wrong_type_is_a_422_naming_the_field_and_nothing_is_written()
    {
        var (id, _) = await approvals.StartAsync(await approvals.PublishAsync(Assessment));
        var task = (long)(await approvals.WaitForTaskAsync(id, "approve"))["id"]!;

        using (var missing = await approvals.Admin.PostAsJsonAsync($"/api/tasks/{task}/complete", new { variables = new { hosts = 3 } }))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
            var errors = (await missing.JsonAsync())["errors"]!.AsObject();
            Assert.Equal("Impact is required.", (string?)Assert.Single(errors).Value![0]);
            Assert.Equal("impact", errors.Single().Key);
        }

        using (var wrongType = await approvals.Admin.PostAsJsonAsync($"/api/tasks/{task}/complete", new { variables = new { impact = "high", hosts = "many", owner = "mallory" } }))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, wrongType.StatusCode);
            var errors = (await wrongType.JsonAsync())["errors"]!;
            Assert.Equal("Hosts affected must be a number.", (string?)errors["hosts"]![0]);
            Assert.Contains("Owner must be one of its options", (string?)errors["owner"]![0], StringComparison.Ordinal);
        }

        var instance = await approvals.InstanceAsync(id);
        Assert.Null(instance["variables"]!["impact"]);
        Assert.Null(instance["variables"]!["hosts"]);
        Assert.Equal("open", (string?)(await approvals.WaitForTaskAsync(id, "approve"))["state"]);

        using var valid = await approvals.Admin.PostAsJsonAsync($"/api/tasks/{task}/complete", new { variables = new { impact = "high", hosts = "3", owner = "alice" } });
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        var variables = (await approvals.InstanceAsync(id))["variables"]!;
        Assert.Equal(("high", 3d, "alice"), ((string?)variables["impact"], (double)variables["hosts"]!, (string?)variables["owner"]));
    }

    [Fact]
    public async Task A_start_form_is_served_and_a_start_that_does_not_fit_it_starts_nothing()
    {
        var key = "start-form-" + Guid.NewGuid().ToString("N")[..8];
        var xml = ApprovalServer.Fixture(key, """<ops:assignment assignee="alice" />""").Replace("""<bpmn:startEvent id="start" />""", """
            <bpmn:startEvent id="start"><bpmn:extensionElements><ops:form>{"components":[
              {"type":"textfield","key":"ticket","label":"Change ticket","validate":{"required":true,"pattern":"^CHG-"}}]}</ops:form></bpmn:extensionElements></bpmn:startEvent>
            """, StringComparison.Ordinal);
        using (var saved = await approvals.Admin.PostAsync("/api/definitions", Http.Body(xml)))
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        using (var published = await approvals.Admin.PostAsJsonAsync($"/api/definitions/{key}/publish", new { }))
            Assert.True(published.IsSuccessStatusCode);

        var form = await (await approvals.Admin.GetAsync($"/api/definitions/{key}/start-form")).JsonAsync();
        Assert.Equal("ticket", (string?)form["schema"]!["components"]![0]!["key"]);

        using (var refused = await approvals.Admin.PostAsJsonAsync("/api/instances", new { definitionKey = key, variables = new { ticket = "INC-1" } }))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.Contains("Change ticket does not have the expected form", (string?)(await refused.JsonAsync())["errors"]!["ticket"]![0], StringComparison.Ordinal);
        }

        Assert.Empty((await (await approvals.Admin.GetAsync($"/api/instances?definitionKey={key}")).JsonAsync()).AsArray());
        using var started = await approvals.Admin.PostAsJsonAsync("/api/instances", new { definitionKey = key, variables = new { ticket = "CHG-7" } });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
    }

    [Fact]
    public async Task An_approval_decision_needs_its_reason_to_reject()
    {
        var (id, _) = await approvals.StartAsync(await approvals.PublishAsync(ReasonOnReject));
        var task = (long)(await approvals.WaitForTaskAsync(id, "approve"))["id"]!;

        using (var refused = await approvals.As("alice").PostAsJsonAsync($"/api/tasks/{task}/decision", new { decision = "reject" }))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.Equal("Reason is required to reject.", (string?)(await refused.JsonAsync())["errors"]!["reason"]![0]);
        }

        Assert.Empty((await approvals.InstanceAsync(id))["variables"]!["approval"]!["decisions"]!.AsArray());
        using var decided = await approvals.As("alice").PostAsJsonAsync($"/api/tasks/{task}/decision", new { decision = "reject", variables = new { reason = "Freeze week" } });
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        await approvals.WaitForTaskAsync(id, "refuse");
        Assert.Equal("Freeze week", (string?)(await approvals.InstanceAsync(id))["variables"]!["reason"]);
    }

    [Fact]
    public async Task The_approval_link_page_shows_the_reason_field_and_refuses_a_reject_without_it()
    {
        var (id, marker) = await approvals.StartAsync(await approvals.PublishAsync(ReasonOnReject));
        var link = await ApprovalServer.LinkAsync("alice", marker, "reject");

        using var page = await approvals.Browser.GetAsync(link);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("""<label for="f-reason">Reason (required to reject)</label><textarea id="f-reason" name="field.reason" """, html, StringComparison.Ordinal);

        var (status, refused) = await approvals.PostAsync(link, ApprovalServer.FormToken(html), "reject");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("""<p class="error" id="f-reason-error">Reason is required to reject.</p>""", refused, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", refused, StringComparison.Ordinal);
        Assert.Equal("open", (string?)(await approvals.WaitForTaskAsync(id, "approve"))["state"]);

        using var decided = await approvals.Browser.PostAsync(link.GetLeftPart(UriPartial.Path), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["form"] = ApprovalServer.FormToken(refused),
            ["decision"] = "reject",
            ["field.reason"] = "Not during the freeze",
        }));
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        await approvals.WaitForTaskAsync(id, "refuse");
        Assert.Equal("Not during the freeze", (string?)(await approvals.InstanceAsync(id))["variables"]!["reason"]);
    }
}
