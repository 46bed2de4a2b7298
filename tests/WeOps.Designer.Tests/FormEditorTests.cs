using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WeOps.Designer.Tests;

/// <summary>A manager builds a task's form in the designer with the form editor (form-js), saves it into the
/// process's ops:form as an undoable edit and publishes; the task then asks for the new field and refuses a submit
/// without it. Screenshots in /tmp/formeditor-*.png.</summary>
[Collection(DesignerCollection.Name)]
public sealed class FormEditorTests(DesignerFixture designer)
{
    private const string Review = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="urn:weops:tests">
          <bpmn:process id="KEY" name="Review KEY" isExecutable="true">
            <bpmn:startEvent id="start" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
            <bpmn:userTask id="review" name="TASKNAME">FORM</bpmn:userTask>
            <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />
            <bpmn:endEvent id="end" />
          </bpmn:process>
          <bpmndi:BPMNDiagram id="diagram">
            <bpmndi:BPMNPlane id="plane" bpmnElement="KEY">
              <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="152" y="102" width="36" height="36" /></bpmndi:BPMNShape>
              <bpmndi:BPMNShape id="review_di" bpmnElement="review"><dc:Bounds x="250" y="80" width="100" height="80" /></bpmndi:BPMNShape>
              <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="412" y="102" width="36" height="36" /></bpmndi:BPMNShape>
              <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="188" y="120" /><di:waypoint x="250" y="120" /></bpmndi:BPMNEdge>
              <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="350" y="120" /><di:waypoint x="412" y="120" /></bpmndi:BPMNEdge>
            </bpmndi:BPMNPlane>
          </bpmndi:BPMNDiagram>
        </bpmn:definitions>
        """;

    [Fact]
    public async Task A_required_field_added_in_the_form_editor_is_asked_for_by_the_published_task_and_a_submit_without_it_is_refused()
    {
        var (key, taskName) = await SaveDraftAsync(form: "");
        var page = await OpenDesignerAsync(key, "en");

        await Expect(page.Locator("#ops-form-summary")).ToHaveTextAsync("No form: the task shows Approve and Reject.");
        await page.Locator("#ops-form-edit").ClickAsync();
        var dialog = page.Locator("#form-editor-dialog");
        await Expect(dialog.Locator(".fjs-palette")).ToBeVisibleAsync();
        await Expect(page.Locator("#form-editor-title")).ToHaveTextAsync($"Form of {taskName}");

        // The palette by keyboard: Enter on a field kind adds it at the end of the form.
        await dialog.Locator(".fjs-palette-field[data-field-type=textfield]").PressAsync("Enter");
        await dialog.Locator(".fjs-form-field-textfield").First.ClickAsync();
        var properties = dialog.Locator(".fjs-properties-panel");
        await OpenGroupAsync(properties, "general", properties.GetByLabel("Key", new() { Exact = true }));
        // form-js edits a label as a template (an editable text, not an input).
        await FillAsync(properties.Locator("[data-entry-id=label] [contenteditable=true]"), "Change reason");
        await FillAsync(properties.GetByLabel("Key", new() { Exact = true }), "reason");
        var required = properties.GetByLabel("Required", new() { Exact = true });
        await OpenGroupAsync(properties, "validation", required);
        await required.CheckAsync();
        await dialog.Locator("button.add-picker[data-picker=users]").ClickAsync();
        await Expect(page.Locator("#form-editor-picker")).ToHaveValueAsync("users");
        await Screenshot(page, "editor-en");

        await page.Locator("#form-editor-save").ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(page.Locator("#ops-form-summary")).ToHaveTextAsync("2 fields");
        await Expect(page.Locator("#ops-form-edit")).ToHaveTextAsync("Edit form");
        var schema = await EmbeddedFormAsync(page);
        var fields = schema["components"]!.AsArray();
        var reason = fields.Single(f => (string?)f!["key"] == "reason")!;
        Assert.Equal(("textfield", "Change reason", true), ((string?)reason["type"], (string?)reason["label"], (bool?)reason["validate"]?["required"]));
        var picker = fields.Single(f => (string?)f!["properties"]?["picker"] == "users")!;
        Assert.Equal(("select", "assigneeOptions"), ((string?)picker["type"], (string?)picker["valuesKey"]));
        // An edit like any other: undoable, so the page knows it has unsaved changes.
        Assert.True(await page.EvaluateAsync<bool>("() => window.weopsDesigner.modeler.get('commandStack').canUndo()"));

        await page.Locator("#publish").ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync($"Published {key} version 1.");
        using var started = await designer.Api.PostAsJsonAsync("/api/instances", new { definitionKey = key });
        started.EnsureSuccessStatusCode();
        var instance = (string)JsonNode.Parse(await started.Content.ReadAsStringAsync())!["id"]!;
        var taskId = await TaskIdAsync(instance);

        await page.GotoAsync($"/#/tasks/{taskId}");
        var form = page.Locator("#task-form");
        await Expect(form.Locator(".fjs-form-field-textfield")).ToBeVisibleAsync();
        await Screenshot(page, "task-open-en");
        await Expect(form.GetByLabel("Change reason")).ToBeVisibleAsync();
        await form.Locator("button.complete").ClickAsync();
        await Expect(form.Locator(".fjs-form-field-error")).ToContainTextAsync("Field is required.");
        await Screenshot(page, "task-en");
        using (var refused = await designer.Api.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { variables = new { } }))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.Contains("Change reason is required.", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Typed and submitted at once, without leaving the field first: what was typed is what is sent.
        await form.GetByLabel("Change reason").FillAsync("Disk is full");
        await Expect(form.Locator(".fjs-form-field-error")).ToHaveCountAsync(0);
        await form.Locator("button.complete").ClickAsync();
        await page.WaitForTimeoutAsync(1000);
        await Screenshot(page, "task-done-en");
        Assert.Equal("", string.Join("|", await page.Locator(".fjs-form-field-error, .notice.error, [role=alert]").AllInnerTextsAsync()));
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#/tasks$"));
        var variables = JsonNode.Parse(await designer.Api.GetStringAsync($"/api/instances/{instance}"))!["variables"]!;
        Assert.Equal("Disk is full", (string?)variables["reason"]);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_form_editor_speaks_Chinese_where_WeOps_draws_it()
    {
        var (key, _) = await SaveDraftAsync(form: Form("""{"type":"textfield","key":"reason","label":"Change reason"}"""));
        var page = await OpenDesignerAsync(key, "zh");

        await Expect(page.Locator("#ops-form-summary")).ToHaveTextAsync("1 个字段");
        await Expect(page.Locator("#ops-form-edit")).ToHaveTextAsync("编辑表单");
        await page.Locator("#ops-form-edit").ClickAsync();
        var dialog = page.Locator("#form-editor-dialog");
        await Expect(dialog.Locator(".fjs-form-field-textfield")).ToBeVisibleAsync();
        await Expect(page.Locator("#form-editor-save")).ToHaveTextAsync("保存表单");
        await Expect(dialog.Locator("button.add-picker[data-picker=hosts]")).ToHaveTextAsync("主机");
        await dialog.Locator(".fjs-form-field-textfield").First.ClickAsync();
        await Screenshot(page, "editor-zh");
        await page.Locator("#form-editor-cancel").ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await Screenshot(page, "properties-zh");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_form_editor_is_loaded_on_first_use_and_cancelling_it_changes_nothing()
    {
        var (key, _) = await SaveDraftAsync(form: Form("""{"type":"textfield","key":"reason","label":"Change reason"}"""));
        var page = await OpenDesignerAsync(key, "en");
        var before = await EmbeddedFormAsync(page);
        var editorChunks = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/assets/form-editor-", StringComparison.Ordinal)) editorChunks.Add(request.Url);
        };

        await page.Locator("#ops-form-edit").ClickAsync();
        await page.Locator("#form-editor-dialog .fjs-palette-field[data-field-type=number]").PressAsync("Enter");
        await Expect(page.Locator("#form-editor-dialog .fjs-form-field-number")).ToHaveCountAsync(1);
        // The designer page had not loaded the editor: it came with the first click.
        Assert.Contains(editorChunks, url => url.EndsWith(".js", StringComparison.Ordinal));
        await page.Locator("#form-editor-cancel").ClickAsync();

        await Expect(page.Locator("#form-editor-dialog")).ToHaveCountAsync(0);
        Assert.Equal(before.ToJsonString(), (await EmbeddedFormAsync(page)).ToJsonString());
        Assert.False(await page.EvaluateAsync<bool>("() => window.weopsDesigner.modeler.get('commandStack').canUndo()"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Clearing_the_form_key_keeps_the_embedded_form()
    {
        var (key, _) = await SaveDraftAsync(form: Form("""{"type":"textfield","key":"reason","label":"Change reason"}""", formKey: "legacy-form"));
        var page = await OpenDesignerAsync(key, "en");

        await page.Locator("#bio-properties-panel-ops-form-key").FillAsync("");
        await page.Locator("#bio-properties-panel-ops-form-key").BlurAsync();
        await page.WaitForFunctionAsync("() => !window.weopsDesigner.modeler.get('elementRegistry').get('review').businessObject.extensionElements.values[0].key");

        var schema = await EmbeddedFormAsync(page);
        Assert.Equal("reason", (string?)schema["components"]![0]!["key"]);
        await page.Context.CloseAsync();
    }

    private static string Form(string components, string? formKey = null) =>
        $"<bpmn:extensionElements><ops:form{(formKey is null ? "" : $" key=\"{formKey}\"")}><![CDATA[{{\"type\":\"default\",\"components\":[{components}]}}]]></ops:form></bpmn:extensionElements>";

    private async Task<(string Key, string TaskName)> SaveDraftAsync(string form)
    {
        var key = "formed-" + Guid.NewGuid().ToString("N")[..8];
        var taskName = "Review " + key;
        var xml = Review.Replace("KEY", key, StringComparison.Ordinal).Replace("TASKNAME", taskName, StringComparison.Ordinal)
            .Replace("FORM", form, StringComparison.Ordinal);
        using var saved = await designer.Api.PostAsync("/api/definitions", new StringContent(xml, Encoding.UTF8, "application/xml"));
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        return (key, taskName);
    }

    /// <summary>The designer on the draft at 1366x768 in <paramref name="language"/>, the user task selected.</summary>
    private async Task<IPage> OpenDesignerAsync(string key, string language)
    {
        var page = await designer.SignedInPageAsync();
        await page.SetViewportSizeAsync(1366, 768);
        if (language != "en") await page.Locator("#language").SelectOptionAsync(language);
        await page.GotoAsync($"/#/designer/{key}");
        await page.WaitForFunctionAsync("() => window.weopsDesigner && window.weopsDesigner.modeler.get('elementRegistry').get('review')");
        await Canvas.ClickElementAsync(page, "review");
        await page.Locator("[data-group-id=group-ops-form] .bio-properties-panel-group-header").ClickAsync();
        await Expect(page.Locator("#ops-form-edit")).ToBeVisibleAsync();
        return page;
    }

    private static async Task<JsonNode> EmbeddedFormAsync(IPage page)
    {
        var text = await page.EvaluateAsync<string>(
            "() => window.weopsDesigner.modeler.get('elementRegistry').get('review').businessObject.extensionElements.values.find(v => v.$type === 'ops:Form').body");
        return JsonNode.Parse(text)!;
    }

    private async Task<string> TaskIdAsync(string instance)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var tasks = JsonNode.Parse(await designer.Api.GetStringAsync($"/api/tasks?scope=all&instanceId={instance}"))!.AsArray();
            var task = tasks.FirstOrDefault(t => (string?)t!["instanceId"] == instance);
            if (task is not null) return task["id"]!.ToString();
            await Task.Delay(100);
        }

        throw new InvalidOperationException($"instance {instance} has no open task");
    }

    /// <summary>Opens a group of form-js's properties panel unless <paramref name="entry"/> shows already.</summary>
    private static async Task OpenGroupAsync(ILocator properties, string group, ILocator entry)
    {
        if (!await entry.IsVisibleAsync())
            await properties.Locator($"[data-group-id=group-{group}] .bio-properties-panel-group-header").ClickAsync();
        await Expect(entry).ToBeVisibleAsync();
    }

    private static async Task FillAsync(ILocator input, string text)
    {
        await input.FillAsync(text);
        await input.BlurAsync();
    }

    private static Task Screenshot(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = $"/tmp/formeditor-{name}.png" });
}
