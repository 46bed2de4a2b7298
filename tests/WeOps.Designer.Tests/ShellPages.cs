using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace WeOps.Designer.Tests;

/// <summary>A page of the designer: its route (<c>{instance}</c> stands for a started instance's id), whether it is
/// seen signed in, and what shows once it has loaded. <c>NotYetChecked</c> says why the accessibility and
/// language checks leave a page out for now; the checks list it as left out.</summary>
public sealed record ShellPage(string Name, string Route, string Ready, bool SignedIn = true, string? NotYetChecked = null);

/// <summary>Every page reachable from the navigation, in ONE list that the accessibility and language tests walk:
/// a new page is one line here. The pages are seen at 1366x768, the smallest screen the pages are made for.</summary>
public static class ShellPages
{
    public static readonly ShellPage[] All =
    [
        new("signin", "#/signin", "#api-key", SignedIn: false),
        new("processes", "#/processes", "#processes, main p"),
        new("designer", "#/designer", ".djs-palette",
            NotYetChecked: "its palette tiles show a short label that their accessible name lacks (axe label-content-name-mismatch), and its properties panel and validation messages are partly English"),
        new("instances", "#/instances", "#instances"),
        new("instance", "#/instances/{instance}", "#instance-status"),
        new("tasks", "#/tasks", "#task-scope"),
        new("tickets", "#/tickets", "main h1"),
        new("alerts", "#/alerts", "#alert-log > *"),
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

    /// <summary>Goes to <paramref name="shellPage"/> and waits until it shows its content.</summary>
    public static async Task GoToAsync(IPage page, ShellPage shellPage, string instanceId)
    {
        await page.GotoAsync("/" + shellPage.Route.Replace("{instance}", instanceId, StringComparison.Ordinal));
        await page.Locator(shellPage.Ready).First.WaitForAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
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
