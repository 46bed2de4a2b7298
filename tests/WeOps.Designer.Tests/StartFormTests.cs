using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WeOps.Designer.Tests;

/// <summary>Starting a process from the processes page at 1366x768: its start form in a dialog, with the server's
/// refusal on the field it names; a process without a start form starts after a confirmation.</summary>
[Collection(DesignerCollection.Name)]
public sealed class StartFormTests(DesignerFixture designer)
{
    private const string WithForm = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="urn:weops:tests">
          <bpmn:process id="KEY" name="Patch hosts KEY" isExecutable="true">
            <bpmn:startEvent id="start"><bpmn:extensionElements><ops:form><![CDATA[{"type":"default","components":[
              {"type":"checklist","key":"hosts","label":"Hosts","valuesKey":"hostOptions","properties":{"picker":"hosts"},"validate":{"required":true}},
              {"type":"textfield","key":"reason","label":"Reason"}]}]]></ops:form></bpmn:extensionElements></bpmn:startEvent>
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check" />
            <bpmn:userTask id="check" name="Check the patch" />
            <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="end" />
            <bpmn:endEvent id="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    private const string WithoutForm = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="urn:weops:tests">
          <bpmn:process id="KEY" name="Rotate logs KEY" isExecutable="true">
            <bpmn:startEvent id="start" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check" />
            <bpmn:userTask id="check" name="Check the logs" />
            <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="end" />
            <bpmn:endEvent id="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    [Fact]
    public async Task A_start_form_shows_the_servers_refusal_on_its_field_and_starts_once_corrected()
    {
        var key = "patch-" + Guid.NewGuid().ToString("N")[..8];
        var (kept, gone) = ($"{key}-kept", $"{key}-gone");
        await TestServices.RegisterSshHostAsync(designer.Api, kept);
        await TestServices.RegisterSshHostAsync(designer.Api, gone);
        await PublishAsync(WithForm, key);
        var page = await PageAsync();

        await page.Locator($"#processes tr[data-key=\"{key}\"] button.start").ClickAsync();
        var dialog = page.Locator("#start-dialog");
        await dialog.GetByLabel(gone).CheckAsync();
        await dialog.GetByLabel("Reason").FillAsync("CVE in openssl");
        // The host leaves the inventory while the form is open: only the server can tell.
        (await designer.Api.DeleteAsync($"/api/hosts/{gone}")).EnsureSuccessStatusCode();
        await dialog.Locator("#start-confirm").ClickAsync();
        var error = dialog.Locator(".fjs-form-field:has(input[type=checkbox]) .fjs-form-field-error");
        await Expect(error).ToHaveTextAsync($"Hosts: \"{gone}\" is not among its options any more.");
        await Expect(dialog.Locator("#start-confirm")).ToBeEnabledAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = "/tmp/change-start-refused-en.png" });

        await dialog.GetByLabel(gone).UncheckAsync();
        await dialog.GetByLabel(kept).CheckAsync();
        await dialog.Locator("#start-confirm").ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(page.Locator("#started")).ToContainTextAsync($"Started Patch hosts {key}.");
        await page.Locator("#started-instance").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/instances/[0-9a-f-]{36}$"));
        var id = page.Url.Split("#/instances/")[1];
        var instance = await designer.Api.GetStringAsync($"/api/instances/{id}");
        Assert.Contains($"\"hosts\":[\"{kept}\"]", instance, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"CVE in openssl\"", instance, StringComparison.Ordinal);
        Assert.DoesNotContain("hostOptions", instance, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_process_without_a_start_form_starts_after_a_confirmation_in_either_language()
    {
        var key = "rotate-" + Guid.NewGuid().ToString("N")[..8];
        await PublishAsync(WithoutForm, key);
        var page = await PageAsync();
        await page.Locator("#language").SelectOptionAsync("zh");

        await page.Locator($"#processes tr[data-key=\"{key}\"] button.start").ClickAsync();
        await Expect(page.Locator("#start-confirmation")).ToHaveTextAsync($"Rotate logs {key} 没有启动表单：启动时不带任何输入值。现在启动吗？");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = "/tmp/change-start-confirm-zh.png" });
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("#start-dialog")).ToHaveCountAsync(0);
        await page.Locator("#language").SelectOptionAsync("en");

        await page.Locator($"#processes tr[data-key=\"{key}\"] button.start").ClickAsync();
        await Expect(page.Locator("#start-confirmation")).ToContainTextAsync("has no start form");
        await Expect(page.Locator("#start-confirm")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#started")).ToContainTextAsync($"Started Rotate logs {key}.");
        var instances = await designer.Api.GetFromJsonAsync<JsonArray>($"/api/instances?definitionKey={key}");
        Assert.Single(instances!);
    }

    private async Task PublishAsync(string xml, string key)
    {
        using (var saved = await designer.Api.PostAsync("/api/definitions", new StringContent(xml.Replace("KEY", key, StringComparison.Ordinal), Encoding.UTF8, "application/xml")))
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        using var published = await designer.Api.PostAsJsonAsync($"/api/definitions/{key}/publish", new { note = "test" });
        Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());
    }

    private async Task<IPage> PageAsync()
    {
        var page = await designer.SignedInPageAsync();
        await page.SetViewportSizeAsync(1366, 768);
        await page.GotoAsync("/#/processes");
        return page;
    }
}
