using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WeOps.Designer.Tests;

/// <summary>A drawing is never lost without a word: a new runbook is named before it is drawn, leaving
/// with unsaved changes asks (both answers), closing the tab asks, and a reload finds the drawing in the
/// browser's local copy, which is gone once the draft is published.</summary>
[Collection(DesignerCollection.Name)]
public sealed class DraftSafetyTests(DesignerFixture designer)
{
    [Fact]
    public async Task A_manager_names_a_runbook_is_warned_on_leaving_restores_it_after_a_reload_and_publishes_it()
    {
        var taken = "taken-" + Guid.NewGuid().ToString("N")[..8];
        await SaveDraftAsync(taken);
        var manager = await designer.KeyAsync("designer");
        var page = await Palette.SignedInPageAsync(designer, key: manager);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var name = $"Restart nginx {suffix}";

        // "New process" asks for a name and a key derived from it; a key that is taken or no id is refused.
        await page.Locator("#new-process").ClickAsync();
        await page.Locator("#new-process-name").FillAsync(name);
        await Expect(page.Locator("#new-process-key")).ToHaveValueAsync($"restart-nginx-{suffix}");
        await page.Locator("#new-process-key").FillAsync(taken);
        await Expect(page.Locator("#new-process-error")).ToContainTextAsync($"A process with the key {taken} already exists.");
        await page.Locator("#new-process-key").FillAsync("restart nginx");
        await Expect(page.Locator("#new-process-error")).ToContainTextAsync("no spaces");
        await page.Locator("#new-process-create").ClickAsync();
        await Expect(page.Locator("#new-process-dialog")).ToBeVisibleAsync();
        var key = $"restart-nginx-{suffix}";
        await page.Locator("#new-process-key").FillAsync(key);
        await DesignerFixture.ScreenshotAsync(page, "draft-new-process-en");
        await page.Locator("#new-process-create").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"#/designer/{key}$"));
        var xml = await page.EvaluateAsync<string>("() => window.weopsDesigner.exportXml()");
        Assert.Contains($"<bpmn:process id=\"{key}\" name=\"{name}\"", xml);

        await DrawRunbookAsync(page);

        // Leaving for another page asks; "Cancel" keeps the drawing where it is.
        var dialogs = new List<string>();
        page.Dialog += DismissOnce;
        await page.Locator("header nav a[href=\"#/processes\"]").ClickAsync();
        await Expect(page.Locator(".djs-element[data-element-id]").First).ToBeVisibleAsync();
        Assert.Equal($"confirm: {name} has unsaved changes. Leave and discard them?", Assert.Single(dialogs));
        Assert.EndsWith($"#/designer/{key}", page.Url);
        Assert.Single(await Canvas.IdsAsync(page, "bpmn:ServiceTask"));

        // The local copy is written shortly after each change; a reload (the browser asks first) offers it back.
        await page.WaitForFunctionAsync("key => localStorage.getItem('weops.designer.autosave.' + key) !== null", key);
        page.Dialog += AcceptBeforeUnload;
        await page.ReloadAsync();
        await Expect(page.Locator("#restore")).ToContainTextAsync($"An unsaved drawing of {key} from");
        await DesignerFixture.ScreenshotAsync(page, "draft-restore-offer-en");
        await page.Locator("#restore-draft").ClickAsync();
        var task = await Canvas.SingleIdAsync(page, "bpmn:ServiceTask");
        Assert.Equal("ssh.exec", await Palette.TaskTypeAsync(page, task));
        Assert.Single(await Canvas.IdsAsync(page, "bpmn:StartEvent"));
        Assert.Equal(2, (await Canvas.IdsAsync(page, "bpmn:SequenceFlow")).Count);
        await DesignerFixture.ScreenshotAsync(page, "draft-restored-en");

        // Publishing saves the draft; the local copy goes, and leaving asks nothing.
        await page.Locator("#publish").ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("version 1");
        Assert.Null(await page.EvaluateAsync<string?>("key => localStorage.getItem('weops.designer.autosave.' + key)", key));
        var published = await designer.Api.GetStringAsync($"/api/definitions/{key}/versions/1");
        Assert.Contains("<ops:task type=\"ssh.exec\"", published);

        // An edit after publishing, then leaving: "OK" discards it, and opening the process again offers nothing.
        await Canvas.DropAsync(page, "create.end-event", 700, 400);
        page.Dialog += AcceptOnce;
        await page.Locator("header nav a[href=\"#/processes\"]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#/processes$"));
        Assert.Equal(2, dialogs.Count);
        Assert.StartsWith("confirm: ", dialogs[1]);
        await page.GotoAsync($"/#/designer/{key}");
        await Expect(page.Locator("#versions .version-link")).ToHaveCountAsync(1);
        await Expect(page.Locator("#restore-draft")).ToHaveCountAsync(0);
        Assert.Single(await Canvas.IdsAsync(page, "bpmn:EndEvent"));

        async void DismissOnce(object? sender, IDialog dialog)
        {
            page.Dialog -= DismissOnce;
            dialogs.Add($"{dialog.Type}: {dialog.Message}");
            await dialog.DismissAsync();
        }

        async void AcceptOnce(object? sender, IDialog dialog)
        {
            page.Dialog -= AcceptOnce;
            dialogs.Add($"{dialog.Type}: {dialog.Message}");
            await dialog.AcceptAsync();
        }

        async void AcceptBeforeUnload(object? sender, IDialog dialog)
        {
            if (dialog.Type != "beforeunload") return;
            page.Dialog -= AcceptBeforeUnload;
            await dialog.AcceptAsync();
        }
    }

    [Fact]
    public async Task Closing_the_tab_with_unsaved_changes_asks_and_without_them_does_not()
    {
        var page = await Palette.SignedInPageAsync(designer);
        await Palette.NewProcessAsync(page, $"Close {Guid.NewGuid():N}"[..16]);
        var asked = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            asked.Add(dialog.Type);
            await dialog.DismissAsync();
        };

        // Untouched: the tab closes at once.
        var untouched = await Palette.SignedInPageAsync(designer);
        await Palette.NewProcessAsync(untouched, $"Idle {Guid.NewGuid():N}"[..16]);
        await untouched.Locator("#canvas").ClickAsync(new() { Position = new() { X = 600, Y = 380 } });
        var closed = new TaskCompletionSource();
        untouched.Close += (_, _) => closed.TrySetResult();
        await untouched.CloseAsync(new() { RunBeforeUnload = true });
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await Canvas.DropAsync(page, "create.start-event", 300, 200);
        await page.Locator("#canvas").ClickAsync(new() { Position = new() { X = 600, Y = 380 } });
        await page.CloseAsync(new() { RunBeforeUnload = true });
        await page.WaitForTimeoutAsync(500);
        Assert.Equal(new[] { "beforeunload" }, asked);
        Assert.False(page.IsClosed);
    }

    [Fact]
    public async Task In_Chinese_the_new_process_dialog_the_warning_and_the_restore_offer_are_Chinese()
    {
        var page = await Palette.SignedInPageAsync(designer, language: "zh");
        await page.GotoAsync("/#/designer");
        await Expect(page.Locator("#new-process-dialog label[for=\"new-process-name\"]")).ToHaveTextAsync("名称");
        await Expect(page.Locator("#new-process-dialog label[for=\"new-process-key\"]")).ToHaveTextAsync("标识");
        await page.Locator("#new-process-name").FillAsync("重启 nginx");
        var key = "restart-nginx-" + Guid.NewGuid().ToString("N")[..6];
        await page.Locator("#new-process-key").FillAsync("重启");
        await Expect(page.Locator("#new-process-error")).ToContainTextAsync("标识以字母或 _ 开头");
        await page.Locator("#new-process-key").FillAsync(key);
        await DesignerFixture.ScreenshotAsync(page, "draft-new-process-zh");
        await page.Locator("#new-process-create").ClickAsync();
        await Canvas.DropAsync(page, "create.start-event", 200, 200);
        await page.Locator("#canvas").ClickAsync(new() { Position = new() { X = 700, Y = 380 } });

        string? warning = null;
        page.Dialog += DismissOnce;
        await page.Locator("header nav a[href=\"#/tasks\"]").ClickAsync();
        await Expect(page.Locator("#canvas")).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("key => localStorage.getItem('weops.designer.autosave.' + key) !== null", key);
        Assert.Equal("重启 nginx 有未保存的修改。离开并放弃这些修改吗？", warning);

        page.Dialog += AcceptBeforeUnload;
        await page.ReloadAsync();
        await Expect(page.Locator("#restore")).ToContainTextAsync($"此浏览器中保存了 {key} 在");
        await Expect(page.Locator("#restore-draft")).ToHaveTextAsync("恢复");
        await DesignerFixture.ScreenshotAsync(page, "draft-restore-offer-zh");

        async void DismissOnce(object? sender, IDialog dialog)
        {
            page.Dialog -= DismissOnce;
            warning = dialog.Message;
            await dialog.DismissAsync();
        }

        async void AcceptBeforeUnload(object? sender, IDialog dialog)
        {
            if (dialog.Type != "beforeunload") return;
            page.Dialog -= AcceptBeforeUnload;
            await dialog.AcceptAsync();
        }
    }

    /// <summary>start → SSH task (from the Ops group) → end, connected, with the task's hosts and command filled.</summary>
    private static async Task DrawRunbookAsync(IPage page)
    {
        await Canvas.DropAsync(page, "create.start-event", 150, 200);
        await Palette.CreateAsync(page, "ops", "ops.ssh.exec", 350, 200);
        await Canvas.DropAsync(page, "create.end-event", 550, 200);
        var start = await Canvas.SingleIdAsync(page, "bpmn:StartEvent");
        var task = await Canvas.SingleIdAsync(page, "bpmn:ServiceTask");
        var end = await Canvas.SingleIdAsync(page, "bpmn:EndEvent");
        await Canvas.ConnectAsync(page, start, task);
        await Canvas.ConnectAsync(page, task, end);
        await Canvas.ClickElementAsync(page, task);
        var inputs = page.Locator("[data-group-id=\"group-ops-inputs\"] .bio-properties-panel-group-header");
        if (!(await inputs.GetAttributeAsync("class") ?? "").Contains("open", StringComparison.Ordinal)) await inputs.ClickAsync();
        await page.Locator("#bio-properties-panel-ops-input-hosts").FillAsync("web-1");
        await page.Locator("#bio-properties-panel-ops-input-command").FillAsync("systemctl restart nginx");
        await page.Locator("#canvas").ClickAsync(new() { Position = new() { X = 700, Y = 380 } });
    }

    private async Task SaveDraftAsync(string key)
    {
        var xml = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="urn:weops:tests">
              <bpmn:process id="{key}" isExecutable="true"><bpmn:startEvent id="start" /></bpmn:process>
            </bpmn:definitions>
            """;
        using var content = new StringContent(xml, Encoding.UTF8, "application/xml");
        using var response = await designer.Api.PostAsync("/api/definitions", content);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
