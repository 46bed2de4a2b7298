using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WeOps.Designer.Tests;

/// <summary>A manager's whole path in the browser: sign in, draw start → SSH task → end, fill the task,
/// see the problem the server finds, fix it, save with Ctrl+S, publish, start, watch it complete. The SSH
/// task runs for real against the test sshd (scripts/services/sshd.sh).</summary>
[Collection(DesignerCollection.Name)]
public sealed class EndToEndTests(DesignerFixture designer)
{
    [Fact]
    public async Task A_process_drawn_in_the_browser_is_saved_published_started_and_completes_on_the_diagram()
    {
        await TestServices.RegisterSshHostAsync(designer.Api, "designer-sshd");
        var page = await designer.NewPageAsync();

        await page.GotoAsync("/");
        await Expect(page.Locator("#api-key")).ToBeVisibleAsync();
        await DesignerFixture.ScreenshotAsync(page, "01-sign-in");
        await page.Locator("#api-key").FillAsync(DesignerFixture.AdminKey);
        await page.Locator("#sign-in").ClickAsync();
        await Expect(page.Locator("#me")).ToContainTextAsync("admin");
        await DesignerFixture.ScreenshotAsync(page, "02-processes");

        await page.Locator("#new-process").ClickAsync();
        await page.Locator("#new-process-name").FillAsync("Say hello " + Guid.NewGuid().ToString("N")[..8]);
        await page.Locator("#new-process-create").ClickAsync();
        await page.Locator(".djs-palette [data-action=\"ops-group.ops\"]").WaitForAsync();

        await Canvas.DropAsync(page, "create.start-event", 150, 200);
        await Palette.CreateAsync(page, "ops", "ops.ssh.exec", 350, 200);
        await Canvas.DropAsync(page, "create.end-event", 550, 200);
        var start = await Canvas.SingleIdAsync(page, "bpmn:StartEvent");
        var task = await Canvas.SingleIdAsync(page, "bpmn:ServiceTask");
        var end = await Canvas.SingleIdAsync(page, "bpmn:EndEvent");
        await Canvas.ConnectAsync(page, start, task);
        await Canvas.ConnectAsync(page, task, end);
        Assert.Equal(2, (await Canvas.IdsAsync(page, "bpmn:SequenceFlow")).Count);

        // The task's form comes from the ssh.exec descriptor; hosts is left out on purpose.
        await Canvas.ClickElementAsync(page, task);
        await OpenGroupAsync(page, "ops-inputs");
        await page.Locator("#bio-properties-panel-ops-input-command").FillAsync("echo hello-from-the-designer");
        await page.Locator("#bio-properties-panel-ops-input-hostKeyPolicy").SelectOptionAsync("strict");
        await Expect(page.Locator("#problems li.problem.error", new() { HasTextString = "'hosts'" })).ToBeVisibleAsync();
        await Expect(page.Locator($".djs-element.ops-problem-error[data-element-id=\"{task}\"]")).ToBeVisibleAsync();
        await DesignerFixture.ScreenshotAsync(page, "03-designer-problem");

        // Clicking the problem selects the task.
        await page.Locator("#problems li.problem.error", new() { HasTextString = "'hosts'" }).ClickAsync();
        await Expect(page.Locator($".djs-element.selected[data-element-id=\"{task}\"]")).ToBeVisibleAsync();

        await page.Locator("#bio-properties-panel-ops-input-hosts").FillAsync("designer-sshd");
        await Expect(page.Locator("#problems li.problem.error")).ToHaveCountAsync(0);

        await page.Locator("#canvas").ClickAsync(new LocatorClickOptions { Position = new Position { X = 700, Y = 400 } });
        await page.Keyboard.PressAsync("Control+s");
        await Expect(page.Locator("#status")).ToContainTextAsync("Saved draft of");
        var key = page.Url.Split("#/designer/")[1];

        await page.Locator("#publish-note").FillAsync("first version, drawn in the browser");
        await page.Locator("#publish").ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("version 1");
        await Expect(page.Locator("#versions .version-link")).ToHaveCountAsync(1);
        await DesignerFixture.ScreenshotAsync(page, "04-designer-published");

        var saved = await designer.Api.GetStringAsync($"/api/definitions/{key}/versions/1");
        Assert.Contains("<ops:task type=\"ssh.exec\"", saved);
        Assert.Contains("<ops:input name=\"hosts\" value=\"designer-sshd\"", saved);

        await page.Locator("#start").ClickAsync();
        // The start answers with the new instance and the page moves to it: a hash change, so the URL is
        // polled rather than a load awaited; a busy two-core machine may take a while to answer.
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#/instances/[0-9a-f-]{36}$"), new() { Timeout = 60_000 });
        await Expect(page.Locator("#instance-status")).ToHaveTextAsync("completed", new() { Timeout = 60_000 });
        await Expect(page.Locator($".djs-element.ops-completed[data-element-id=\"{task}\"]")).ToBeVisibleAsync();
        await Expect(page.Locator($".djs-element.ops-completed[data-element-id=\"{end}\"]")).ToBeVisibleAsync();
        await Expect(page.Locator("#variables")).ToContainTextAsync("hello-from-the-designer");
        await DesignerFixture.ScreenshotAsync(page, "05-instance-completed");

        await page.GotoAsync("/#/instances");
        await Expect(page.Locator("#instances")).ToContainTextAsync(key);
        await DesignerFixture.ScreenshotAsync(page, "06-instances");
    }

    private static async Task OpenGroupAsync(IPage page, string groupId)
    {
        var header = page.Locator($"[data-group-id=\"group-{groupId}\"] .bio-properties-panel-group-header");
        if (!(await header.GetAttributeAsync("class") ?? "").Contains("open", StringComparison.Ordinal)) await header.ClickAsync();
    }
}
