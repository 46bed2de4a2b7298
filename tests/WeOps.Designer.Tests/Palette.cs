using Microsoft.Playwright;

namespace WeOps.Designer.Tests;

/// <summary>What a person does with the designer's palette and its "New process" dialog: name a new
/// process, open a group of executors and put one on the canvas.</summary>
public static class Palette
{
    /// <summary>A signed-in page in a browser window of the given size (a laptop's 1366x768 by default).</summary>
    public static async Task<IPage> SignedInPageAsync(DesignerFixture designer, int width = 1366, int height = 768, string? key = null, string language = "en")
    {
        var context = await designer.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = designer.Address.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(15_000);
        await context.AddInitScriptAsync($"if (!sessionStorage.getItem('weops.test.lang')) {{ localStorage.setItem('weops.lang', '{language}'); sessionStorage.setItem('weops.test.lang', '1'); }}");
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.Locator("#api-key").FillAsync(key ?? DesignerFixture.AdminKey);
        await page.Locator("#sign-in").ClickAsync();
        await page.Locator("#me").WaitForAsync();
        return page;
    }

    /// <summary>Opens the designer on a new process named <paramref name="name"/> with the key the dialog derives, and returns that key.</summary>
    public static async Task<string> NewProcessAsync(IPage page, string name)
    {
        await page.GotoAsync("/#/designer");
        await page.Locator("#new-process-name").FillAsync(name);
        var key = await page.Locator("#new-process-key").InputValueAsync();
        await page.Locator("#new-process-create").ClickAsync();
        await page.Locator("#new-process-dialog").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await page.WaitForURLAsync($"**/#/designer/{key}");
        await page.Locator(".djs-palette [data-action=\"ops-group.ops\"]").WaitForAsync();
        return key;
    }

    /// <summary>Opens a group's menu from its palette entry.</summary>
    public static async Task<ILocator> OpenGroupAsync(IPage page, string group)
    {
        await page.Locator($".djs-palette [data-action=\"ops-group.{group}\"]").ClickAsync();
        var menu = page.Locator($".djs-popup-parent[data-popup=\"ops-palette-{group}\"] .djs-popup");
        await menu.WaitForAsync();
        return menu;
    }

    /// <summary>Chooses an entry ("ops.ssh.exec", "ops.approval") of a group's menu and clicks at (x, y) on the canvas, where it lands.</summary>
    public static async Task CreateAsync(IPage page, string group, string entry, float x, float y)
    {
        var menu = await OpenGroupAsync(page, group);
        var box = await page.Locator("#canvas").BoundingBoxAsync() ?? throw new InvalidOperationException("no canvas");
        await menu.Locator($".entry[data-id=\"{entry}\"]").ClickAsync();
        await page.Mouse.MoveAsync(box.X + x - 20, box.Y + y - 20);
        await page.Mouse.MoveAsync(box.X + x, box.Y + y, new MouseMoveOptions { Steps = 5 });
        await page.Mouse.ClickAsync(box.X + x, box.Y + y);
        // diagram-js swallows the first click within 400 ms of a drop (see Canvas).
        await page.WaitForTimeoutAsync(450);
    }

    /// <summary>The ops:task type of a diagram element, or null.</summary>
    public static Task<string?> TaskTypeAsync(IPage page, string id) =>
        page.EvaluateAsync<string?>(
            "id => (window.weopsDesigner.modeler.get('elementRegistry').get(id).businessObject.extensionElements?.values || []).find(v => v.$type === 'ops:Task')?.type ?? null", id);
}
