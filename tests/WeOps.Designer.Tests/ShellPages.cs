using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace WeOps.Designer.Tests;

/// <summary>A page of the designer: its route (<c>{instance}</c>, <c>{task}</c> and <c>{ticket}</c> stand for what
/// <see cref="ShellPages.PrepareAsync"/> made), whether it is seen signed in, and what shows once it has loaded.
/// <see cref="Then"/> opens what the page shows only on demand (a menu, an element's pad), so the checks see it too;
/// <see cref="FirstRun"/> shows the sign-in page as a new installation shows it. <c>NotYetChecked</c> says why the
/// accessibility and language checks leave a page out for now; the checks list it as left out.</summary>
public sealed record ShellPage(string Name, string Route, string Ready, bool SignedIn = true, string? NotYetChecked = null)
{
    public Func<IPage, Task>? Then { get; init; }

    public bool FirstRun { get; init; }
}

/// <summary>What the pages of the walk show: a started instance waiting at its task, and a ticket.</summary>
public sealed record ShellData(string Instance, long Task, string Ticket);

/// <summary>Every page of the designer's routes (src/Designer/src/main.js), in ONE list that the accessibility and
/// language tests walk: a new page is one line here. The pages are seen at 1366x768, the smallest screen the pages
/// are made for.</summary>
public static class ShellPages
{
    public static readonly ShellPage[] All =
    [
        new("signin", "#/signin", "#api-key", SignedIn: false),
        new("first-run", "#/signin", "#first-run", SignedIn: false) { FirstRun = true },
        new("processes", "#/processes", "#processes, main p"),
        new("designer", "#/designer", "#new-process-dialog[open]"),
        new("designer-process", "#/designer/hello-approval", ".djs-palette .ops-palette-group")
        {
            // The context pad and the replace menu of a task, then an executor group's menu of the palette.
            Then = async page =>
            {
                await page.Locator(".djs-element[data-element-id='approve']").First.ClickAsync();
                await page.Locator(".djs-context-pad .entry").First.WaitForAsync();
                await page.Locator(".djs-context-pad .entry[data-action='replace']").ClickAsync();
                await page.Locator(".djs-popup").WaitForAsync();
                await page.Keyboard.PressAsync("Escape");
                await page.Locator(".ops-palette-group").First.ClickAsync();
                await page.Locator(".djs-popup").WaitForAsync();
            },
        },
        new("designer-version", "#/designer/hello-approval/v/1", "#read-only"),
        new("designer-compare", "#/designer/hello-approval/compare/1/1", "#differences > *"),
        new("instances", "#/instances", "#instances"),
        new("instance", "#/instances/{instance}", "#instance-status"),
        new("tasks", "#/tasks", "#task-scope"),
        new("task", "#/tasks/{task}", "#task-facts > *"),
        new("tickets", "#/tickets", "main h1"),
        new("new-ticket", "#/tickets/new", "#ticket-title"),
        new("ticket", "#/tickets/{ticket}", "#ticket-fields"),
        new("alerts", "#/alerts", "#alert-log > *"),
        new("admin-users", "#/admin/users", "#admin-users table, #admin-users p.empty"),
        new("admin-groups", "#/admin/groups", "#admin-groups table, #admin-groups p.empty"),
        new("admin-keys", "#/admin/keys", "#admin-keys table, #admin-keys p.empty"),
        new("admin-credentials", "#/admin/credentials", "#admin-credentials table, #admin-credentials p.empty"),
        new("admin-hosts", "#/admin/hosts", "#admin-hosts table, #admin-hosts p.empty"),
        new("admin-mail", "#/admin/mail", "#admin-mail form"),
        new("admin-audit", "#/admin/audit", "#admin-audit table, #admin-audit p.empty"),
    ];

    /// <summary>The pages the accessibility and language checks walk.</summary>
    public static IEnumerable<ShellPage> Checked => All.Where(p => p.NotYetChecked is null);

    /// <summary>One line per page left out, for the test output.</summary>
    public static IEnumerable<string> LeftOut => All.Where(p => p.NotYetChecked is not null).Select(p => $"{p.Name}: not checked yet: {p.NotYetChecked}");

    public static readonly ViewportSize Screen = new() { Width = 1366, Height = 768 };

    /// <summary>A page at 1366x768 in <paramref name="language"/> (en or zh), signed in with the admin key when
    /// <paramref name="signedIn"/>: the key is put where the sign-in page puts it, before the page's scripts run.</summary>
    public static async Task<IPage> OpenAsync(DesignerFixture designer, string language, bool signedIn)
    {
        var context = await designer.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = designer.Address.ToString(), ViewportSize = Screen });
        context.SetDefaultTimeout(15_000);
        var key = signedIn ? $"sessionStorage.setItem('weops.apiKey', '{DesignerFixture.AdminKey}');" : string.Empty;
        await context.AddInitScriptAsync($"localStorage.setItem('weops.lang', '{language}'); {key}");
        return await context.NewPageAsync();
    }

    /// <summary>Goes to <paramref name="shellPage"/> and waits until it shows its content. The page loads afresh
    /// (a dialog or menu of the page before does not stay), in the same browser page: a walk opens one per language.</summary>
    public static async Task GoToAsync(IPage page, ShellPage shellPage, ShellData? data)
    {
        await page.UnrouteAsync("**/api/setup");
        if (shellPage.FirstRun)
        {
            // The shared server has users; the first-run form is what the sign-in page shows when it has none.
            await page.RouteAsync("**/api/setup", route => route.FulfillAsync(new() { ContentType = "application/json", Body = """{"firstRun":true}""" }));
        }

        var route = shellPage.Route;
        if (data is not null)
        {
            route = route.Replace("{instance}", data.Instance, StringComparison.Ordinal)
                .Replace("{task}", data.Task.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{ticket}", data.Ticket, StringComparison.Ordinal);
        }

        await page.GotoAsync("about:blank");
        await page.GotoAsync("/" + route);
        await page.Locator(shellPage.Ready).First.WaitForAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        if (shellPage.Then is { } then) await then(page);
    }

    /// <summary>An instance of hello-approval waiting at its task, and an incident ticket: what the pages of
    /// <see cref="All"/> that show one need.</summary>
    public static async Task<ShellData> PrepareAsync(DesignerFixture designer)
    {
        var instance = await StartHelloApprovalAsync(designer);
        var tasks = await designer.Api.GetFromJsonAsync<JsonArray>($"/api/tasks?scope=all&instanceId={instance}");
        var task = (long)Assert.Single(tasks!)!["id"]!;
        using var ticket = await designer.Api.PostAsJsonAsync("/api/tickets", new { type = "incident", title = "Core switch drops packets" });
        Assert.True(ticket.IsSuccessStatusCode, await ticket.Content.ReadAsStringAsync());
        var number = (string)JsonNode.Parse(await ticket.Content.ReadAsStringAsync())!["ticket"]!["number"]!;
        return new ShellData(instance, task, number);
    }

    /// <summary>Publishes workflows/examples/hello-approval.bpmn and starts an instance of it, which
    /// waits at its task: the instance page and the task list have something to show.</summary>
    public static async Task<string> StartHelloApprovalAsync(DesignerFixture designer)
    {
        await PublishHelloApprovalAsync(designer);
        using var started = await designer.Api.PostAsJsonAsync("/api/instances",
            new { definitionKey = "hello-approval", variables = new { title = "Restart the web tier", requester = "li.wei" } });
        Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync());
        return (string)JsonNode.Parse(await started.Content.ReadAsStringAsync())!["id"]!;
    }

    /// <summary>Saves and publishes the example process of the README's quickstart, as the first start would.</summary>
    public static async Task PublishHelloApprovalAsync(DesignerFixture designer)
    {
        var xml = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "workflows", "examples", "hello-approval.bpmn"));
        using (var saved = await designer.Api.PostAsync("/api/definitions", new StringContent(xml, Encoding.UTF8, "application/xml")))
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        using (var published = await designer.Api.PostAsJsonAsync("/api/definitions/hello-approval/publish", new { note = "example" }))
            Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());
    }
}
