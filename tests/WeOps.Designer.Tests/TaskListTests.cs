using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WeOps.Designer.Tests;

/// <summary>The task list and the task page at 1366x768, as a service-desk agent uses them: rows with process and
/// ticket, new tasks arriving without a reload, the count in the header, claim and unclaim, the task on its diagram.</summary>
[Collection(DesignerCollection.Name)]
public sealed class TaskListTests(DesignerFixture designer)
{
    private const string Change = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="urn:weops:tests">
          <bpmn:process id="KEY" name="Firewall change" isExecutable="true">
            <bpmn:startEvent id="start" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="open" />
            <bpmn:serviceTask id="open" name="Open the change ticket">
              <bpmn:extensionElements>
                <ops:task type="ticket.create" />
                <ops:input name="type" value="change" />
                <ops:input name="title" value="${title}" />
                <ops:output name="ticket" value="${number}" />
              </bpmn:extensionElements>
            </bpmn:serviceTask>
            <bpmn:sequenceFlow id="f2" sourceRef="open" targetRef="review" />
            <bpmn:userTask id="review" name="Review the rule">
              <bpmn:extensionElements><ops:assignment candidateUsers="${who}" candidateGroups="GROUP" dueDate="${dueBy}" /></bpmn:extensionElements>
            </bpmn:userTask>
            <bpmn:sequenceFlow id="f3" sourceRef="review" targetRef="end" />
            <bpmn:endEvent id="end" />
          </bpmn:process>
          <bpmndi:BPMNDiagram id="dia"><bpmndi:BPMNPlane id="plane" bpmnElement="KEY">
            <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="100" y="100" width="36" height="36" /></bpmndi:BPMNShape>
            <bpmndi:BPMNShape id="open_di" bpmnElement="open"><dc:Bounds x="190" y="78" width="100" height="80" /></bpmndi:BPMNShape>
            <bpmndi:BPMNShape id="review_di" bpmnElement="review"><dc:Bounds x="340" y="78" width="100" height="80" /></bpmndi:BPMNShape>
            <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="490" y="100" width="36" height="36" /></bpmndi:BPMNShape>
            <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="136" y="118" /><di:waypoint x="190" y="118" /></bpmndi:BPMNEdge>
            <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="290" y="118" /><di:waypoint x="340" y="118" /></bpmndi:BPMNEdge>
            <bpmndi:BPMNEdge id="f3_di" bpmnElement="f3"><di:waypoint x="440" y="118" /><di:waypoint x="490" y="118" /></bpmndi:BPMNEdge>
          </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
        </bpmn:definitions>
        """;

    /// <summary>A process whose review task goes to <c>${who}</c> and a group of its own; an agent in that group
    /// with the approver role only (so no "All" scope), signed in on a 1366x768 page.</summary>
    private async Task<(string Key, string Agent, IPage Page)> SetUpAsync(string language = "en")
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var key = "firewall-" + suffix;
        var agent = "agent-" + suffix;
        var group = "netops-" + suffix;
        var xml = Change.Replace("KEY", key, StringComparison.Ordinal).Replace("GROUP", group, StringComparison.Ordinal);
        using (var saved = await designer.Api.PostAsync("/api/definitions", new StringContent(xml, Encoding.UTF8, "application/xml")))
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        using (var published = await designer.Api.PostAsJsonAsync($"/api/definitions/{key}/publish", new { note = "test" }))
            Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());
        using (var user = await designer.Api.PostAsJsonAsync("/api/users", new { username = agent, displayName = "Agent " + suffix, groups = new[] { group }, roles = new[] { "approver" } }))
            Assert.True(user.IsSuccessStatusCode, await user.Content.ReadAsStringAsync());
        using var created = await designer.Api.PostAsJsonAsync("/api/keys", new { name = $"{agent}'s key", roles = new[] { "approver" }, user = agent });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var agentKey = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["key"]!;

        var page = await designer.NewPageAsync();
        await page.SetViewportSizeAsync(1366, 768);
        await page.GotoAsync("/");
        await page.EvaluateAsync($"localStorage.setItem('weops.lang', '{language}')");
        await page.ReloadAsync();
        await page.Locator("#api-key").FillAsync(agentKey);
        await page.Locator("#sign-in").ClickAsync();
        await page.Locator("#me").WaitForAsync();
        return (key, agent, page);
    }

    private async Task<Guid> StartAsync(string key, string who, string title, string dueBy = "P2D")
    {
        using var started = await designer.Api.PostAsJsonAsync("/api/instances", new { definitionKey = key, businessKey = "FW-" + title.Length, variables = new { who, title, dueBy } });
        Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync());
        return Guid.Parse((string)(await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!);
    }

    /// <summary>Waits until the instance's review task is open, for tests that are not about how fast it arrives.</summary>
    private async Task<Guid> ReadyAsync(Guid instance)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var tasks = await designer.Api.GetFromJsonAsync<JsonArray>($"/api/tasks?scope=all&instanceId={instance}");
            if (tasks!.Count > 0) return instance;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Instance {instance} opened no task: {await designer.Api.GetStringAsync($"/api/instances/{instance}")}");
            await Task.Delay(100);
        }
    }

    private static ILocator Row(IPage page, string text) => page.Locator("#tasks tbody tr", new() { HasTextString = text });

    private static async Task<int> BadgeAsync(IPage page) =>
        int.TryParse(await page.Locator("#task-badge").TextContentAsync(), out var count) ? count : 0;

    [Fact]
    public async Task A_row_shows_the_process_and_ticket_and_a_task_started_through_the_api_arrives_with_the_badge_without_a_reload()
    {
        var (key, agent, page) = await SetUpAsync();
        await ReadyAsync(await StartAsync(key, agent, "Open 443 to the payment gateway"));
        await page.GotoAsync("/#/tasks");

        var first = Row(page, "Open 443 to the payment gateway");
        await Expect(first).ToBeVisibleAsync();
        await Expect(first).ToContainTextAsync("Firewall change");
        await Expect(first).ToContainTextAsync("Review the rule");
        await Expect(first.Locator("td.ticket a")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^CHG-[0-9]{6}$"));
        await Expect(first.Locator("td.ticket a")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^#/tickets/CHG-[0-9]{6}$"));
        await Expect(page.Locator("#task-scope option[value=all]")).ToHaveCountAsync(0);
        await Expect(page.Locator("#task-badge")).ToHaveTextAsync("1");
        // Something half-typed in the list must survive the list updating itself.
        var typing = first.Locator("input").First;
        await typing.FillAsync("half-written note");
        var before = await BadgeAsync(page);

        await StartAsync(key, agent, "Close 8080 on the bastion", dueBy: "2020-01-01T00:00:00Z");

        var second = Row(page, "Close 8080 on the bastion");
        await Expect(second).ToBeVisibleAsync(new() { Timeout = 6_000 });
        await Expect(second.Locator(".overdue-mark")).ToHaveTextAsync("Overdue");
        await Expect(page.Locator("#task-badge")).ToHaveTextAsync((before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), new() { Timeout = 6_000 });
        await Expect(typing).ToHaveValueAsync("half-written note");
        await DesignerFixture.ScreenshotAsync(page, "tasks-list-en");
        await page.ScreenshotAsync(new() { Path = "/tmp/tasks-list-en.png" });
    }

    [Fact]
    public async Task An_agent_claims_a_group_task_and_unclaims_it()
    {
        var (key, agent, page) = await SetUpAsync();
        await ReadyAsync(await StartAsync(key, "somebody-else", "Allow SNMP from the monitoring subnet"));
        await page.GotoAsync("/#/tasks");
        await Expect(page.Locator("#tasks-empty")).ToContainTextAsync("My groups");
        await page.Locator("#task-scope").SelectOptionAsync("groups");

        var row = Row(page, "Allow SNMP from the monitoring subnet");
        await Expect(row).ToContainTextAsync("Candidates:");
        await row.Locator("button.claim").ClickAsync();
        await Expect(page.Locator(".notice.ok")).ToContainTextAsync($"now with {agent}");
        // Claimed, it is no longer the group's to take: it moved to "My tasks".
        await Expect(row).ToHaveCountAsync(0);
        await page.Locator("#task-scope").SelectOptionAsync("mine");
        await Expect(row.Locator("td.people")).ToHaveTextAsync(agent);
        await Expect(page.Locator("#task-badge")).ToHaveTextAsync("1");

        await row.Locator("button.unclaim").ClickAsync();
        await Expect(page.Locator(".notice.ok")).ToContainTextAsync("back with its candidates");
        await Expect(row).ToHaveCountAsync(0);
        await page.Locator("#task-scope").SelectOptionAsync("groups");
        await Expect(row.Locator("button.claim")).ToBeVisibleAsync();
        await Expect(page.Locator("#task-badge")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task The_task_page_shows_the_ticket_the_task_marked_on_the_diagram_and_the_history_and_after_completion_who_completed_it()
    {
        var (key, agent, page) = await SetUpAsync();
        var instance = await ReadyAsync(await StartAsync(key, agent, "Block telnet everywhere"));
        await page.GotoAsync("/#/tasks");
        var row = Row(page, "Block telnet everywhere");
        await row.Locator("td.summary").ClickAsync();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#/tasks/[0-9]+$"));
        await Expect(page.Locator("#task-title")).ToHaveTextAsync("Review the rule");
        await Expect(page.Locator("#task-ticket")).ToContainTextAsync("Block telnet everywhere");
        await Expect(page.Locator("#task-ticket-link")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^#/tickets/CHG-"));
        await Expect(page.Locator("#canvas g.djs-element.ops-task-here[data-element-id=review]")).ToHaveCountAsync(1);
        await Expect(page.Locator("#history tbody tr", new() { HasTextString = "Open the change ticket" })).ToHaveCountAsync(1);
        await Expect(page.Locator("#task-form button").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = "/tmp/tasks-page-en.png" });

        await page.Locator("button.claim").ClickAsync();
        await Expect(page.Locator("#task-facts")).ToContainTextAsync(agent);
        await page.Locator("button.unclaim").ClickAsync();
        await Expect(page.Locator("button.claim")).ToBeVisibleAsync();

        var taskId = page.Url[(page.Url.LastIndexOf('/') + 1)..];
        using (var completed = await designer.Api.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { outcome = "approve" }))
            Assert.True(completed.IsSuccessStatusCode, await completed.Content.ReadAsStringAsync());
        await Expect(page.Locator("#task-closed")).ToContainTextAsync("Completed by admin", new() { Timeout = 6_000 });
        Assert.NotEqual(Guid.Empty, instance);
    }

    [Fact]
    public async Task The_list_and_the_task_page_speak_Chinese()
    {
        var (key, agent, page) = await SetUpAsync("zh");
        await ReadyAsync(await StartAsync(key, agent, "Open 22 from the jump host", dueBy: "2020-01-01T00:00:00Z"));
        await page.GotoAsync("/#/tasks");
        var row = Row(page, "Open 22 from the jump host");
        await Expect(row.Locator(".overdue-mark")).ToHaveTextAsync("已逾期");
        await Expect(row.Locator("button.delegate")).ToHaveCountAsync(0);
        await Expect(page.Locator("#tasks thead")).ToContainTextAsync("截止时间");
        await page.ScreenshotAsync(new() { Path = "/tmp/tasks-list-zh.png" });

        await row.Locator("button.claim").ClickAsync();
        await Expect(row.Locator("button.delegate")).ToHaveTextAsync("转交");
        await row.Locator("a.task-link").ClickAsync();
        await Expect(page.Locator("#task-facts")).ToContainTextAsync("截止时间");
        await Expect(page.Locator("#canvas g.djs-element.ops-task-here")).ToHaveCountAsync(1);
        await page.ScreenshotAsync(new() { Path = "/tmp/tasks-page-zh.png" });
    }
}
