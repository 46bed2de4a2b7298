using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WeOps.Designer.Tests;

/// <summary>A task with a form (ops:form) is worked through the form on the tasks page; a missing required field
/// shows its error on the field, in English and in Chinese.</summary>
[Collection(DesignerCollection.Name)]
public sealed class TaskFormTests(DesignerFixture designer)
{
    private const string Triage = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="urn:weops:tests">
          <bpmn:process id="KEY" name="Triage" isExecutable="true">
            <bpmn:startEvent id="start" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="triage" />
            <bpmn:userTask id="triage" name="TASKNAME"><bpmn:extensionElements><ops:form><![CDATA[{"type":"default","components":[
              {"type":"radio","key":"impact","label":"Impact","validate":{"required":true},"values":[{"label":"High","value":"high"},{"label":"Low","value":"low"}]},
              {"type":"textarea","key":"resolution","label":"Resolution notes"}]}]]></ops:form></bpmn:extensionElements></bpmn:userTask>
            <bpmn:sequenceFlow id="f2" sourceRef="triage" targetRef="end" />
            <bpmn:endEvent id="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    [Fact]
    public async Task A_task_is_completed_through_its_form_and_a_missing_required_field_shows_its_error_in_place()
    {
        var key = "triage-" + Guid.NewGuid().ToString("N")[..8];
        var taskName = "Triage " + key;
        using (var saved = await designer.Api.PostAsync("/api/definitions", new StringContent(
            Triage.Replace("KEY", key, StringComparison.Ordinal).Replace("TASKNAME", taskName, StringComparison.Ordinal), Encoding.UTF8, "application/xml")))
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        (await designer.Api.PostAsJsonAsync($"/api/definitions/{key}/publish", new { note = "test" })).EnsureSuccessStatusCode();
        using var started = await designer.Api.PostAsJsonAsync("/api/instances", new { definitionKey = key });
        started.EnsureSuccessStatusCode();
        var id = (string)JsonNode.Parse(await started.Content.ReadAsStringAsync())!["id"]!;
        var page = await designer.SignedInPageAsync();
        await page.SetViewportSizeAsync(1366, 768);

        await page.GotoAsync("/#/tasks");
        await page.Locator("#task-scope").SelectOptionAsync("all");
        var row = page.Locator("#tasks tr", new() { HasTextString = taskName });
        await Expect(row).ToBeVisibleAsync();
        await DesignerFixture.ScreenshotAsync(page, "forms-task-en");
        await row.Locator("button.complete").ClickAsync();
        await Expect(row.Locator(".fjs-form-field-error")).ToContainTextAsync("Field is required.");
        await DesignerFixture.ScreenshotAsync(page, "forms-required-en");

        await page.Locator("#language").SelectOptionAsync("zh");
        await page.Locator("#task-scope").SelectOptionAsync("all");
        await row.Locator("button.complete").ClickAsync();
        await Expect(row.Locator(".fjs-form-field-error")).ToContainTextAsync("此项为必填项。");
        await Expect(row.GetByText("影响")).ToBeVisibleAsync();
        await DesignerFixture.ScreenshotAsync(page, "forms-required-zh");

        await row.GetByLabel("高").CheckAsync();
        await row.Locator("textarea").FillAsync("Restarted the pool");
        await row.Locator("button.complete").ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        var variables = JsonNode.Parse(await designer.Api.GetStringAsync($"/api/instances/{id}"))!["variables"]!;
        Assert.Equal(("high", "Restarted the pool"), ((string?)variables["impact"], (string?)variables["resolution"]));
        await page.Locator("#language").SelectOptionAsync("en");
    }
}
