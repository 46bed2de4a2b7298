using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WeOps.Designer.Tests;

/// <summary>A normal change (workflows/change-normal.bpmn) walked through the browser at 1366x768 by the people
/// who run it: the requester raises it from the processes page's start form, a change manager assesses it, two CAB
/// members approve it (one in the task list, one through the link in the approval mail, with the conditions on the
/// link's page), the runbook runs over SSH on the test sshd, the change manager reviews it, and the ticket ends
/// closed with every step on its timeline. Only the setup (people, the host, the process) goes through the API.</summary>
[Collection(DesignerCollection.Name)]
public sealed class ChangeWalkTests(DesignerFixture designer)
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(45);
    private const float SlowMs = 45_000;

    [Fact]
    public async Task A_normal_change_is_raised_assessed_approved_by_task_list_and_mail_link_implemented_reviewed_and_closed()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var (requester, manager, carl, cora) = ("rita-" + suffix, "max-" + suffix, "carl-" + suffix, "cora-" + suffix);
        var host = "chg-web-" + suffix;
        var title = "Raise the nginx worker limit " + suffix;
        await TestServices.RegisterSshHostAsync(designer.Api, host);
        await PublishShippedAsync("change-normal");
        await UserAsync(requester, "Rita Requester", [], "operator");
        await UserAsync(manager, "Max Manager", ["change-managers"], "operator");
        await UserAsync(carl, "Carl CAB", ["cab"], "approver");
        await UserAsync(cora, "Cora CAB", ["cab"], "approver");

        // The requester raises the change from the processes page; the empty form says what it needs.
        var rita = await SignedInAsync(requester, "operator", "en");
        await rita.GotoAsync("/#/processes");
        await rita.Locator("#processes tr[data-key=change-normal] button.start").ClickAsync();
        var dialog = rita.Locator("#start-dialog");
        await Expect(dialog.Locator("h2")).ToHaveTextAsync("Start Normal change");
        await dialog.Locator("#start-confirm").ClickAsync();
        await Expect(dialog.Locator(".fjs-form-field-error").First).ToContainTextAsync("Field is required.");
        await ShotAsync(rita, "start-required-en");
        await dialog.Locator("#start-cancel").ClickAsync();

        await rita.Locator("#language").SelectOptionAsync("zh");
        await rita.Locator("#processes tr[data-key=change-normal] button.start").ClickAsync();
        await Expect(dialog.Locator("h2")).ToHaveTextAsync("启动 Normal change");
        await dialog.GetByLabel("标题").FillAsync(title);
        await dialog.GetByLabel("描述").FillAsync("Checkout times out under the sale's load: 1024 workers are not enough.");
        await dialog.GetByLabel(host).CheckAsync();
        await dialog.GetByLabel("操作手册").FillAsync($"echo worker_connections 4096 # {suffix}");
        await dialog.GetByLabel("回退方案").FillAsync($"echo worker_connections 1024 # {suffix}");
        await ShotAsync(rita, "start-zh");
        await dialog.Locator("#start-confirm").ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(rita.Locator("#started")).ToContainTextAsync("已启动 Normal change。");
        var ticketLink = rita.Locator("#started-ticket");
        await Expect(ticketLink).ToHaveTextAsync(new Regex("^打开工单 CHG-[0-9]{6}$"), new() { Timeout = SlowMs });
        await ShotAsync(rita, "started-zh");
        await rita.Locator("#started-ticket").ClickAsync();
        await Expect(rita).ToHaveURLAsync(new Regex("#/tickets/CHG-[0-9]{6}$"));
        var number = rita.Url.Split("#/tickets/")[1];
        await rita.Locator("#language").SelectOptionAsync("en");
        await TicketStateAsync(rita, "assess");
        await Expect(rita.Locator("#ticket-fields")).ToContainTextAsync(host);

        // The change manager assesses it in the task list: high risk, the backout plan as the requester gave it, and
        // a window that is already open.
        var max = await SignedInAsync(manager, "operator", "en");
        await max.GotoAsync("/#/tasks");
        await max.Locator("#task-scope").SelectOptionAsync("groups");
        var assess = TaskRow(max, "Assess risk", number);
        await Expect(assess.Locator(".task-form textarea")).ToHaveValueAsync($"echo worker_connections 1024 # {suffix}");
        await assess.GetByLabel("High: the whole CAB approves").CheckAsync();
        var window = DateTime.UtcNow.AddDays(-1);
        // form-js shows a date-time field's label only as its date input's label (dateLabel); the page gives it one.
        await assess.GetByLabel("Change window starts").FillAsync(window.ToString("MM/dd/yyyy", CultureInfo.InvariantCulture));
        await assess.GetByLabel("Change window starts").PressAsync("Enter");
        await assess.GetByLabel("Time", new() { Exact = true }).FillAsync("22:00");
        await assess.GetByLabel("Time", new() { Exact = true }).PressAsync("Enter");
        await ShotAsync(max, "assess-en");
        await assess.Locator("button.complete").ClickAsync();
        await Expect(assess).ToHaveCountAsync(0);

        // One CAB member approves in the task list, in Chinese.
        var carlPage = await SignedInAsync(carl, "approver", "zh");
        await carlPage.GotoAsync("/#/tasks");
        var cab = TaskRow(carlPage, "CAB approval", number);
        await cab.GetByLabel("审批条件").FillAsync("Only after tonight's backup has finished.");
        await ShotAsync(carlPage, "cab-task-zh");
        await cab.Locator("button.approve").ClickAsync();
        await Expect(cab).ToHaveCountAsync(0);

        // The other through the link in the approval mail, giving the conditions on the link's page.
        var link = await TestServices.ApproveLinkAsync(title, $"{cora}@example.com", Slow);
        var coraPage = await designer.NewPageAsync();
        await coraPage.SetViewportSizeAsync(1366, 768);
        await coraPage.GotoAsync(link);
        await Expect(coraPage.Locator("h1")).ToContainTextAsync(number);
        await coraPage.GetByLabel("Conditions of approval").FillAsync("Keep the on-call engineer informed during the window.");
        await ShotAsync(coraPage, "mail-link-en");
        await coraPage.Locator("#approve").ClickAsync();
        await Expect(coraPage.Locator("#result")).ToHaveTextAsync("You approved the request");

        // The runbook runs over SSH; the change manager reviews the change, which closes it.
        var review = TaskRow(max, "Post-implementation review", number);
        try
        {
            await Expect(review).ToBeVisibleAsync(new() { Timeout = SlowMs });
        }
        catch (PlaywrightException e)
        {
            // Where the change stopped instead, for whoever reads the failure.
            var ticket = await designer.Api.GetStringAsync($"/api/tickets/{number}");
            var instances = await designer.Api.GetStringAsync("/api/instances?definitionKey=change-normal");
            throw new TimeoutException($"No review task for {number}: ticket {ticket}; instances {instances}", e);
        }
        await review.GetByLabel("Review notes").FillAsync("Checkout held the evening peak without timeouts.");
        await review.Locator("button.complete").ClickAsync();
        await Expect(review).ToHaveCountAsync(0);

        await TicketStateAsync(rita, "closed");
        var timeline = rita.Locator("#timeline");
        foreach (var (from, to) in new[] { ("new", "assess"), ("assess", "authorize"), ("authorize", "scheduled"), ("scheduled", "implement"), ("implement", "review"), ("review", "closed") })
            await Expect(timeline.Locator("tr[data-kind=transition]", new() { HasTextString = $"{from} → {to}" })).ToHaveCountAsync(1);
        await Expect(timeline).ToContainTextAsync($"Approved by {carl}, {cora}");
        await Expect(timeline.Locator("tr[data-kind=created]")).ToHaveCountAsync(1);
        await ShotAsync(rita, "ticket-closed-en");
        await rita.Locator("#language").SelectOptionAsync("zh");
        await Expect(rita.Locator("#ticket-state")).ToHaveTextAsync("已关闭");
        await ShotAsync(rita, "ticket-closed-zh");
        await rita.Locator("#language").SelectOptionAsync("en");
    }

    /// <summary>A workflows/ file saved and published as the first start of a server does.</summary>
    private async Task PublishShippedAsync(string key)
    {
        var xml = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "workflows", key + ".bpmn"));
        using (var saved = await designer.Api.PostAsync("/api/definitions", new StringContent(xml, Encoding.UTF8, "application/xml")))
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        using var published = await designer.Api.PostAsJsonAsync($"/api/definitions/{key}/publish", new { note = "shipped" });
        Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());
    }

    private async Task UserAsync(string username, string displayName, string[] groups, string role)
    {
        using var created = await designer.Api.PostAsJsonAsync("/api/users", new { username, displayName, email = $"{username}@example.com", groups, roles = new[] { role } });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
    }

    /// <summary>A 1366x768 page in <paramref name="language"/>, signed in with a key of the user's.</summary>
    private async Task<IPage> SignedInAsync(string username, string role, string language)
    {
        using var created = await designer.Api.PostAsJsonAsync("/api/keys", new { name = $"{username}'s key", roles = new[] { role }, user = username });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var key = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["key"]!;
        var page = await designer.NewPageAsync();
        await page.SetViewportSizeAsync(1366, 768);
        await page.GotoAsync("/");
        await page.EvaluateAsync($"localStorage.setItem('weops.lang', '{language}')");
        await page.ReloadAsync();
        await page.Locator("#api-key").FillAsync(key);
        await page.Locator("#sign-in").ClickAsync();
        await page.Locator("#me").WaitForAsync();
        return page;
    }

    /// <summary>The task list's row of <paramref name="task"/> on the change's ticket (the list asks the server again
    /// every 4 s, so a task that opens later arrives on its own).</summary>
    private static ILocator TaskRow(IPage page, string task, string ticket) =>
        page.Locator("#tasks tbody tr", new() { HasTextString = ticket }).Filter(new() { Has = page.Locator("a.task-link", new() { HasTextString = task }) });

    /// <summary>Waits for the ticket page to show <paramref name="state"/>, asking the server again with its Refresh
    /// button (the page does not poll).</summary>
    private static async Task TicketStateAsync(IPage page, string state)
    {
        var deadline = DateTime.UtcNow + Slow;
        while (true)
        {
            try
            {
                await Expect(page.Locator("#ticket-state")).ToHaveTextAsync(state, new() { Timeout = 1_000 });
                return;
            }
            catch (PlaywrightException) when (DateTime.UtcNow < deadline)
            {
                await page.Locator("#refresh").ClickAsync();
            }
        }
    }

    private static async Task ShotAsync(IPage page, string name)
    {
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = $"/tmp/change-{name}.png", FullPage = true });
        await DesignerFixture.ScreenshotAsync(page, "change-" + name);
    }
}
