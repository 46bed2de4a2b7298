using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WeOps.Designer.Tests;

/// <summary>The pages around the designer: versions read-only and compared, tasks approved, the alert log
/// where the server has none, the language switch, and what a bad file or a bad key gets.</summary>
[Collection(DesignerCollection.Name)]
public sealed class PagesTests(DesignerFixture designer)
{
    private const string Approval = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="urn:weops:tests">
          <bpmn:process id="KEY" name="Approve a change" isExecutable="true">
            <bpmn:startEvent id="start" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="approve" />
            <bpmn:userTask id="approve" name="TASKNAME"><bpmn:extensionElements><ops:assignment candidateGroups="ops" /></bpmn:extensionElements></bpmn:userTask>
            <bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="end" />
            <bpmn:endEvent id="end" />
          </bpmn:process>
          <bpmndi:BPMNDiagram id="dia"><bpmndi:BPMNPlane id="plane" bpmnElement="KEY">
            <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="100" y="100" width="36" height="36" /></bpmndi:BPMNShape>
            <bpmndi:BPMNShape id="approve_di" bpmnElement="approve"><dc:Bounds x="200" y="78" width="100" height="80" /></bpmndi:BPMNShape>
            <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="360" y="100" width="36" height="36" /></bpmndi:BPMNShape>
            <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="136" y="118" /><di:waypoint x="200" y="118" /></bpmndi:BPMNEdge>
            <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="300" y="118" /><di:waypoint x="360" y="118" /></bpmndi:BPMNEdge>
          </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
        </bpmn:definitions>
        """;

    [Fact]
    public async Task An_old_version_opens_read_only_and_two_versions_compare()
    {
        var key = "change-" + Guid.NewGuid().ToString("N")[..8];
        await PublishAsync(key, "Approve");
        await PublishAsync(key, "Approve the change");
        var page = await designer.SignedInPageAsync();

        await page.GotoAsync($"/#/designer/{key}");
        await Expect(page.Locator("#versions .version-link")).ToHaveCountAsync(2);
        await page.Locator("#versions .version-link").First.ClickAsync();
        await Expect(page.Locator("#read-only")).ToContainTextAsync("read-only");
        await Expect(page.Locator(".djs-palette")).ToHaveCountAsync(0);
        await DesignerFixture.ScreenshotAsync(page, "08-version-read-only");

        await page.GotoAsync($"/#/designer/{key}/compare/1/2");
        await Expect(page.Locator("#differences tr.diff")).ToHaveCountAsync(1);
        await Expect(page.Locator("#differences tr.diff")).ToContainTextAsync("approve");
        await Expect(page.Locator("#differences tr.diff")).ToContainTextAsync("Changed");
        await Expect(page.Locator(".djs-element.ops-changed[data-element-id=\"approve\"]")).ToBeVisibleAsync();
        await DesignerFixture.ScreenshotAsync(page, "09-compare-versions");
    }

    [Fact]
    public async Task An_open_task_is_approved_with_a_comment_from_the_tasks_page()
    {
        var key = "approval-" + Guid.NewGuid().ToString("N")[..8];
        var taskName = "Approve " + key;
        await PublishAsync(key, taskName);
        using var started = await designer.Api.PostAsJsonAsync("/api/instances", new { definitionKey = key });
        started.EnsureSuccessStatusCode();
        var page = await designer.SignedInPageAsync();

        await page.GotoAsync("/#/tasks");
        var row = page.Locator("#tasks tr", new() { HasTextString = taskName });
        // The admin is in no candidate group of this task: not among "my tasks", but among all open ones.
        await Expect(page.Locator("#task-scope")).ToHaveValueAsync("mine");
        await Expect(page.Locator("#tasks").Or(page.GetByText("No open tasks."))).ToBeVisibleAsync();
        await Expect(row).ToHaveCountAsync(0);
        await page.Locator("#task-scope").SelectOptionAsync("all");
        await Expect(row).ToBeVisibleAsync();
        await DesignerFixture.ScreenshotAsync(page, "10-tasks");
        await row.Locator("input.comment").FillAsync("looks safe");
        await row.Locator("button.approve").ClickAsync();
        await Expect(row).ToHaveCountAsync(0);

        var instances = await designer.Api.GetStringAsync($"/api/instances?definitionKey={key}&status=completed");
        Assert.Contains(key, instances);
    }

    [Fact]
    public async Task An_approval_is_rejected_from_the_tasks_page_as_a_decision_of_the_callers_seat()
    {
        var key = "decision-" + Guid.NewGuid().ToString("N")[..8];
        var taskName = "Decide " + key;
        // The signed-in admin key acts as "admin"; it started the instance, so it may approve only when allowed.
        await PublishAsync(key, taskName, """<ops:approval approvers="admin" policy="all" requesterMayApprove="true" />""");
        using var started = await designer.Api.PostAsJsonAsync("/api/instances", new { definitionKey = key });
        started.EnsureSuccessStatusCode();
        var page = await designer.SignedInPageAsync();

        await page.GotoAsync("/#/tasks");
        var row = page.Locator("#tasks tr", new() { HasTextString = taskName });
        await Expect(row).ToContainTextAsync("admin");
        await row.Locator("input.comment").FillAsync("not in the freeze");
        await row.Locator("button.reject").ClickAsync();
        await Expect(row).ToHaveCountAsync(0);

        var id = (string)(await started.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["id"]!;
        var instance = await designer.Api.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/api/instances/{id}");
        var approval = instance!["variables"]!["approval"]!;
        Assert.Equal("rejected", (string?)approval["outcome"]);
        var decision = approval["decisions"]!.AsArray().Single()!;
        Assert.Equal(("admin", "reject", "not in the freeze", "designer"),
            ((string?)decision["approver"], (string?)decision["decision"], (string?)decision["comment"], (string?)decision["channel"]));
    }

    [Fact]
    public async Task The_alerts_page_shows_an_alert_and_why_it_started_nothing()
    {
        var fingerprint = "fp-" + Guid.NewGuid().ToString("N")[..10];
        using (var sent = await designer.Api.PostAsJsonAsync("/api/alerts",
            new { fingerprint, status = "firing", labels = new { alertname = "NothingMatchesThis", instance = "web-1" }, startsAt = DateTimeOffset.UtcNow }))
            Assert.Equal(System.Net.HttpStatusCode.Accepted, sent.StatusCode);
        var page = await designer.SignedInPageAsync();
        await page.GotoAsync("/#/alerts");

        var row = page.Locator($"#alert-log tr[data-fingerprint='{fingerprint}']");
        await Expect(row).ToContainTextAsync("alertname=NothingMatchesThis");
        await Expect(row.Locator(".outcome")).ToContainTextAsync("unmatched");
        await DesignerFixture.ScreenshotAsync(page, "11-alerts");
    }

    [Fact]
    public async Task The_language_switches_to_Chinese_and_stays_after_a_reload()
    {
        var page = await designer.SignedInPageAsync();
        await Palette.NewProcessAsync(page, "Language " + Guid.NewGuid().ToString("N")[..8]);
        await page.Locator("#language").SelectOptionAsync("zh");
        await Expect(page.Locator("#save")).ToHaveTextAsync("保存草稿");
        // bpmn-js's own labels go through the same table.
        await Expect(page.Locator("#properties .bio-properties-panel-group-header-title").First).ToHaveTextAsync("常规");

        await page.ReloadAsync();
        await Expect(page.Locator("header.top nav")).ToContainTextAsync("流程");
        await Expect(page.Locator(".bjs-powered-by")).ToBeVisibleAsync();
        await DesignerFixture.ScreenshotAsync(page, "12-designer-chinese");
        await page.Locator("#language").SelectOptionAsync("en");
    }

    [Fact]
    public async Task A_file_that_is_not_BPMN_is_refused_with_a_message_and_the_diagram_stays()
    {
        var page = await designer.SignedInPageAsync();
        await Palette.NewProcessAsync(page, "Import " + Guid.NewGuid().ToString("N")[..8]);
        await page.Locator("#import-file").SetInputFilesAsync(new FilePayload
        {
            Name = "garbage.bpmn",
            MimeType = "application/xml",
            Buffer = Encoding.UTF8.GetBytes("<not-bpmn><<<\u0000"),
        });

        await Expect(page.Locator("#status .notice.error")).ToContainTextAsync("Could not read the file");
        Assert.Equal(1, await page.EvaluateAsync<int>("() => window.weopsDesigner.modeler.get('elementRegistry').filter(e => !e.parent).length"));
    }

    [Fact]
    public async Task A_person_signs_in_with_username_and_password_and_a_wrong_password_is_refused()
    {
        var username = "manager" + Guid.NewGuid().ToString("N")[..6];
        using (var created = await designer.Api.PostAsJsonAsync("/api/users", new { username, roles = new[] { "designer" } }))
            created.EnsureSuccessStatusCode();
        using (var set = await designer.Api.PutAsJsonAsync($"/api/users/{username}/password", new { password = "a long enough password" }))
            set.EnsureSuccessStatusCode();
        var page = await designer.NewPageAsync();
        await page.GotoAsync("/");

        await page.Locator("#username").FillAsync(username);
        await page.Locator("#password").FillAsync("not the password");
        await page.Locator("#sign-in-password").ClickAsync();
        await Expect(page.Locator(".notice.error")).ToContainTextAsync("Wrong username or password");

        await page.Locator("#password").FillAsync("a long enough password");
        await page.Locator("#sign-in-password").ClickAsync();
        await Expect(page.Locator("#me")).ToContainTextAsync(username);
        await DesignerFixture.ScreenshotAsync(page, "00-signed-in-with-password");
    }

    [Fact]
    public async Task A_wrong_key_is_refused_on_the_sign_in_page()
    {
        var page = await designer.NewPageAsync();
        await page.GotoAsync("/");
        await page.Locator("#api-key").FillAsync("weops_" + new string('x', 43));
        await page.Locator("#sign-in").ClickAsync();

        await Expect(page.Locator(".notice.error")).ToContainTextAsync("Unknown API key");
        await Expect(page.Locator("#me")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_approver_sees_no_save_publish_or_start()
    {
        var page = await designer.SignedInPageAsync(await designer.KeyAsync("approver"));
        await page.GotoAsync("/#/designer");
        await page.Locator(".djs-palette").WaitForAsync();

        await Expect(page.Locator("#me")).ToContainTextAsync("approver");
        await Expect(page.Locator("#save")).ToHaveCountAsync(0);
        await Expect(page.Locator("#publish")).ToHaveCountAsync(0);
        await Expect(page.Locator("#start")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_ticket_pages_list_filter_and_show_a_ticket_with_its_sla_timeline_and_process_and_move_it()
    {
        var key = "ticketed-" + Guid.NewGuid().ToString("N")[..8];
        var title = $"Disk full on web-9 ({key})";
        using (var body = new StringContent(Ticketed.Replace("KEY", key, StringComparison.Ordinal).Replace("TITLE", title, StringComparison.Ordinal), Encoding.UTF8, "application/xml"))
        using (var saved = await designer.Api.PostAsync("/api/definitions", body))
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        using (var published = await designer.Api.PostAsJsonAsync($"/api/definitions/{key}/publish", new { note = "test" }))
            Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());
        string id;
        using (var started = await designer.Api.PostAsJsonAsync("/api/instances", new { definitionKey = key }))
            id = (string)(await started.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["id"]!;

        // The ticket exists as soon as the task that opens it has run; the step that records the task as completed
        // commits after that. The page draws the progress it loads, so wait until the instance waits at "work".
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((string?)(await designer.Api.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/api/instances/{id}"))!["status"] != "waiting")
        {
            Assert.True(DateTime.UtcNow < deadline, "the instance did not reach its user task within 30 s");
            await Task.Delay(100);
        }

        var page = await designer.SignedInPageAsync();

        await page.GotoAsync("/#/tickets");
        var row = page.Locator("#tickets tr", new() { HasTextString = title });
        await Expect(row).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await page.Locator("#filter-type").SelectOptionAsync("change");
        await page.Locator("#apply-filter").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("type=change"));
        await Expect(row).ToHaveCountAsync(0);
        await page.Locator("#filter-type").SelectOptionAsync("incident");
        await page.Locator("#apply-filter").ClickAsync();
        await Expect(row).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("P2");
        await DesignerFixture.ScreenshotAsync(page, "13-tickets");

        await row.Locator("a").ClickAsync();
        await Expect(page.Locator("#ticket-state")).ToHaveTextAsync("new");
        await Expect(page.Locator("#sla tr[data-clock=response] [data-sla]")).ToHaveAttributeAsync("data-sla", "running");
        await Expect(page.Locator("#timeline tr[data-kind=created]")).ToBeVisibleAsync();
        await Expect(page.Locator(".djs-element.ops-completed[data-element-id=\"open\"]")).ToBeVisibleAsync();
        await Expect(page.Locator(".djs-element.ops-active[data-element-id=\"work\"]")).ToBeVisibleAsync();

        await page.Locator("#move-note").FillAsync("to the storage team");
        await page.Locator("#move-assigned").ClickAsync();
        await Expect(page.Locator("#ticket-state")).ToHaveTextAsync("assigned");
        await Expect(page.Locator("#sla tr[data-clock=response] [data-sla]")).ToHaveAttributeAsync("data-sla", "met");
        await page.Locator("#comment-text").FillAsync("cleanup scheduled for tonight");
        await page.Locator("#add-comment").ClickAsync();
        await Expect(page.Locator("#timeline")).ToContainTextAsync("cleanup scheduled for tonight");
        await Expect(page.Locator("#timeline tr[data-kind=transition]")).ToContainTextAsync("to the storage team");
        await DesignerFixture.ScreenshotAsync(page, "14-ticket");
    }

    private const string Ticketed = """
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
                          xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI"
                          xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
          <bpmn:process id="KEY" isExecutable="true">
            <bpmn:startEvent id="start" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="open" />
            <bpmn:serviceTask id="open" name="Open incident">
              <bpmn:extensionElements>
                <ops:task type="ticket.create" />
                <ops:input name="type" value="incident" />
                <ops:input name="title" value="TITLE" />
                <ops:input name="impact" value="high" />
                <ops:input name="urgency" value="medium" />
                <ops:input name="group" value="storage" />
              </bpmn:extensionElements>
            </bpmn:serviceTask>
            <bpmn:sequenceFlow id="f2" sourceRef="open" targetRef="work" />
            <bpmn:userTask id="work" name="Work on it" />
            <bpmn:sequenceFlow id="f3" sourceRef="work" targetRef="end" />
            <bpmn:endEvent id="end" />
          </bpmn:process>
          <bpmndi:BPMNDiagram id="diagram">
            <bpmndi:BPMNPlane id="plane" bpmnElement="KEY">
              <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="100" y="100" width="36" height="36" /></bpmndi:BPMNShape>
              <bpmndi:BPMNShape id="open_di" bpmnElement="open"><dc:Bounds x="190" y="78" width="100" height="80" /></bpmndi:BPMNShape>
              <bpmndi:BPMNShape id="work_di" bpmnElement="work"><dc:Bounds x="340" y="78" width="100" height="80" /></bpmndi:BPMNShape>
              <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="492" y="100" width="36" height="36" /></bpmndi:BPMNShape>
              <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="136" y="118" /><di:waypoint x="190" y="118" /></bpmndi:BPMNEdge>
              <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="290" y="118" /><di:waypoint x="340" y="118" /></bpmndi:BPMNEdge>
              <bpmndi:BPMNEdge id="f3_di" bpmnElement="f3"><di:waypoint x="440" y="118" /><di:waypoint x="492" y="118" /></bpmndi:BPMNEdge>
            </bpmndi:BPMNPlane>
          </bpmndi:BPMNDiagram>
        </bpmn:definitions>
        """;

    private async Task PublishAsync(string key, string taskName, string extension = """<ops:assignment candidateGroups="ops" />""")
    {
        var xml = Approval.Replace("KEY", key, StringComparison.Ordinal).Replace("TASKNAME", taskName, StringComparison.Ordinal)
            .Replace("""<ops:assignment candidateGroups="ops" />""", extension, StringComparison.Ordinal);
        using var body = new StringContent(xml, Encoding.UTF8, "application/xml");
        using var saved = await designer.Api.PostAsync("/api/definitions", body);
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        using var published = await designer.Api.PostAsJsonAsync($"/api/definitions/{key}/publish", new { note = "test" });
        Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());
    }
}
