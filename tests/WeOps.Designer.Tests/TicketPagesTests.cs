using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WeOps.Designer.Tests;

/// <summary>A service-desk agent's ticket work at 1366x768: open an incident from the form, triage it (impact,
/// urgency, assignee), see every change on the timeline, read a refused move in Chinese; a runbook's fault on its
/// ticket with a Retry button.</summary>
[Collection(DesignerCollection.Name)]
public sealed class TicketPagesTests(DesignerFixture designer)
{
    private async Task<IPage> PageAsync()
    {
        var page = await designer.SignedInPageAsync();
        await page.SetViewportSizeAsync(1366, 768);
        return page;
    }

    private static Task SetLanguageAsync(IPage page, string language) => page.Locator("#language").SelectOptionAsync(language);

    private static async Task ShotAsync(IPage page, string name)
    {
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = $"/tmp/tickets-{name}.png", FullPage = true });
        await DesignerFixture.ScreenshotAsync(page, "tickets-" + name);
    }

    [Fact]
    public async Task An_agent_opens_an_incident_from_the_form_triages_it_and_sees_each_change_and_a_refusal_in_Chinese()
    {
        var agent = "tina" + Guid.NewGuid().ToString("N")[..6];
        using (var created = await designer.Api.PostAsJsonAsync("/api/users", new { username = agent, displayName = "Tina", groups = new[] { "service-desk" }, roles = new[] { "operator" } }))
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var title = "Checkout pays twice " + Guid.NewGuid().ToString("N")[..6];
        var page = await PageAsync();

        await page.GotoAsync("/#/tickets");
        await page.Locator("#new-ticket").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/tickets/new"));
        await page.Locator("#create-ticket").ClickAsync();
        await Expect(page.Locator(".ticket-field[data-field=title] .field-error")).ToHaveTextAsync("required.");
        await SetLanguageAsync(page, "zh");
        await page.Locator("#create-ticket").ClickAsync();
        await Expect(page.Locator(".ticket-field[data-field=title] .field-error")).ToHaveTextAsync("必填。");
        await ShotAsync(page, "new-zh");
        await SetLanguageAsync(page, "en");

        await page.Locator("#ticket-title").FillAsync(title);
        await page.Locator("#ticket-description").FillAsync("Customers are charged twice when they press Pay twice.");
        await page.Locator("#ticket-hosts").FillAsync("web-1, web-2");
        await page.Locator("#ticket-services").FillAsync("checkout");
        await ShotAsync(page, "new-en");
        await page.Locator("#create-ticket").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("#/tickets/INC-[0-9]{6}$"));
        await Expect(page.Locator("#ticket-priority")).ToHaveTextAsync("P5");
        await Expect(page.Locator("#ticket-fields")).ToContainTextAsync("web-1, web-2");

        await SetLanguageAsync(page, "zh");
        await page.Locator("#move-assigned").ClickAsync();
        await Expect(page.Locator(".status-line .notice.error")).ToHaveTextAsync("请先指派处理人或处理组，再转到“已分派”。");
        await Expect(page.Locator("#ticket-state")).ToHaveTextAsync("新建");
        await ShotAsync(page, "refused-zh");
        await SetLanguageAsync(page, "en");

        await page.Locator("#edit-impact").SelectOptionAsync("high");
        await page.Locator("#edit-urgency").SelectOptionAsync("high");
        await page.Locator("#edit-assignee").SelectOptionAsync(agent);
        await page.Locator("#save-ticket").ClickAsync();
        await Expect(page.Locator("#ticket-priority")).ToHaveTextAsync("P1");
        var update = page.Locator("#timeline tr[data-kind=updated]");
        await Expect(update).ToContainTextAsync("Impact: low → high");
        await Expect(update).ToContainTextAsync("Urgency: low → high");
        await Expect(update).ToContainTextAsync("Priority: P5 → P1");
        await Expect(update).ToContainTextAsync($"Assignee: — → {agent}");

        await page.Locator("#move-assigned").ClickAsync();
        await Expect(page.Locator("#ticket-state")).ToHaveTextAsync("assigned");
        await page.Locator("#move-inProgress").ClickAsync();
        await Expect(page.Locator("#ticket-state")).ToHaveTextAsync("inProgress");
        await page.Locator("#move-resolved").ClickAsync();
        await page.Locator("#resolution-notes").FillAsync("Pay button disabled after the first press.");
        await page.Locator("#confirm-resolve").ClickAsync();
        await Expect(page.Locator("#ticket-state")).ToHaveTextAsync("resolved");
        var moves = page.Locator("#timeline tr[data-kind=transition]");
        await Expect(moves).ToHaveCountAsync(3);
        await Expect(moves.First).ToContainTextAsync("State: inProgress → resolved — Pay button disabled after the first press.");
        await Expect(page.Locator("#moves button")).ToHaveCountAsync(2);
        await ShotAsync(page, "ticket-en");
        await SetLanguageAsync(page, "zh");
        await Expect(page.Locator("#timeline tr[data-kind=updated]")).ToContainTextAsync("优先级: P5 → P1");
        await ShotAsync(page, "ticket-zh");

        await page.GotoAsync($"/#/tickets?q={Uri.EscapeDataString(title)}");
        await Expect(page.Locator("#filter-q")).ToHaveValueAsync(title);
        await Expect(page.Locator("#tickets tbody tr")).ToHaveCountAsync(1);
        await ShotAsync(page, "list-zh");
        await SetLanguageAsync(page, "en");
        await ShotAsync(page, "list-en");
    }

    [Fact]
    public async Task A_change_from_the_form_shows_a_bad_window_under_its_field_then_links_to_an_incident_and_unlinks()
    {
        using var incidentResponse = await designer.Api.PostAsJsonAsync("/api/tickets", new { type = "incident", title = "Core switch drops packets " + Guid.NewGuid().ToString("N")[..6] });
        var incident = (string)(await incidentResponse.Content.ReadFromJsonAsync<JsonObject>())!["ticket"]!["number"]!;
        var page = await PageAsync();

        await page.GotoAsync("/#/tickets/new?type=change");
        await Expect(page.Locator("#ticket-risk")).ToBeVisibleAsync();
        await Expect(page.Locator("#ticket-version")).ToBeHiddenAsync();
        await page.Locator("#ticket-title").FillAsync("Replace the core switch");
        await page.Locator("#ticket-risk").SelectOptionAsync("high");
        await page.Locator("#ticket-window-start").FillAsync("2026-12-24T22:00");
        await page.Locator("#ticket-window-end").FillAsync("2026-12-24T21:00");
        await page.Locator("#create-ticket").ClickAsync();
        await Expect(page.Locator(".ticket-field[data-field='fields.windowEnd'] .field-error")).ToHaveTextAsync("after the window's start.");
        await ShotAsync(page, "new-change-error-en");
        await page.Locator("#ticket-window-end").FillAsync("2026-12-25T02:00");
        await page.Locator("#create-ticket").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("#/tickets/CHG-[0-9]{6}$"));
        await Expect(page.Locator("#ticket-fields")).ToContainTextAsync("high");
        await page.Locator("#link-search").FillAsync(incident);
        await page.Locator("#link-find").ClickAsync();
        await Expect(page.Locator("#link-to option")).ToHaveCountAsync(1);
        await page.Locator("#link-kind").SelectOptionAsync("causedBy");
        await page.Locator("#link-add").ClickAsync();
        await Expect(page.Locator($"#links li[data-number={incident}]")).ToContainTextAsync("causedBy");
        await Expect(page.Locator("#timeline tr[data-kind=linked]")).ToContainTextAsync(incident);
        await ShotAsync(page, "linked-en");
        await page.Locator($"#links li[data-number={incident}] button").ClickAsync();
        await Expect(page.Locator("#links")).ToHaveCountAsync(0);
        await Expect(page.Locator("#timeline tr[data-kind=unlinked]")).ToContainTextAsync(incident);
    }

    [Fact]
    public async Task A_runbook_fault_shows_on_its_ticket_with_a_retry_that_clears_it()
    {
        var key = "faulting-" + Guid.NewGuid().ToString("N")[..8];
        using (var body = new StringContent(FaultingRunbook.Replace("KEY", key, StringComparison.Ordinal), Encoding.UTF8, "application/xml"))
        using (var saved = await designer.Api.PostAsync("/api/definitions", body))
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        using (var published = await designer.Api.PostAsJsonAsync($"/api/definitions/{key}/publish", new { }))
            Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());
        using var started = await designer.Api.PostAsJsonAsync("/api/instances", new { definitionKey = key, variables = new { cleanable = false } });
        var id = (string)(await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        JsonObject instance;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((string?)(instance = (await designer.Api.GetFromJsonAsync<JsonObject>($"/api/instances/{id}"))!)["status"] != "faulted")
        {
            Assert.True(DateTime.UtcNow < deadline, "the runbook did not fault within 30 s");
            await Task.Delay(100);
        }

        var number = (string)instance["variables"]!["ticket"]!;
        var page = await PageAsync();

        await page.GotoAsync($"/#/tickets?q={number}");
        await Expect(page.Locator($"#tickets tr[data-number={number}] .process-failed")).ToHaveTextAsync("process failed");
        await ShotAsync(page, "list-fault-en");
        await page.GotoAsync($"/#/tickets/{number}");
        await Expect(page.Locator("#ticket-process-failed")).ToBeVisibleAsync();
        await Expect(page.Locator("#ticket-fault")).ToContainTextAsync("cleanup");
        await Expect(page.Locator("#ticket-fault")).ToContainTextAsync("no space left to stage the archive");
        await Expect(page.Locator("#timeline tr[data-kind=processFaulted]")).ToBeVisibleAsync();
        await ShotAsync(page, "fault-en");
        await SetLanguageAsync(page, "zh");
        await Expect(page.Locator("#ticket-process-failed")).ToHaveTextAsync("流程失败");
        await ShotAsync(page, "fault-zh");
        await SetLanguageAsync(page, "en");

        using (var fixedIt = await designer.Api.PostAsJsonAsync($"/api/instances/{id}/variables", new { cleanable = true }))
            Assert.True(fixedIt.IsSuccessStatusCode, await fixedIt.Content.ReadAsStringAsync());
        await page.Locator("#retry-process").ClickAsync();

        await Expect(page.Locator("#ticket-process-failed")).ToHaveCountAsync(0);
        await Expect(page.Locator("#timeline tr[data-kind=processRecovered]")).ToContainTextAsync("The process runs again after a retry");
    }

    private const string FaultingRunbook = """
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
          <bpmn:process id="KEY" isExecutable="true">
            <bpmn:startEvent id="start" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="open" />
            <bpmn:serviceTask id="open" name="Open incident">
              <bpmn:extensionElements>
                <ops:task type="ticket.create"/>
                <ops:input name="type" value="incident"/>
                <ops:input name="title" value="Disk full on db-2"/>
                <ops:input name="group" value="ops"/>
                <ops:output name="ticket" value="${number}"/>
              </bpmn:extensionElements>
            </bpmn:serviceTask>
            <bpmn:sequenceFlow id="f2" sourceRef="open" targetRef="cleanup" />
            <bpmn:scriptTask id="cleanup" name="Clean up /var" scriptFormat="javascript">
              <bpmn:script>if (!cleanable) throw new Error('no space left to stage the archive');</bpmn:script>
            </bpmn:scriptTask>
            <bpmn:sequenceFlow id="f3" sourceRef="cleanup" targetRef="end" />
            <bpmn:endEvent id="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;
}
