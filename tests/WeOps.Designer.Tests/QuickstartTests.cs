using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WeOps.Designer.Tests;

/// <summary>The README's quickstart, in the browser: sign in with the admin key, open the example process
/// workflows/examples/hello-approval.bpmn, start it with a title, approve its task from the task list, and see the
/// instance completed through "Record approval"; in English and in Simplified Chinese.</summary>
[Collection(DesignerCollection.Name)]
public sealed class QuickstartTests(DesignerFixture designer)
{
    [Theory]
    [InlineData("en", "Start instance", "All open tasks", "completed")]
    [InlineData("zh", "启动实例", "全部待办任务", "已完成")]
    public async Task The_first_process_is_started_and_its_task_finished_in_the_browser(string language, string start, string allTasks, string completed)
    {
        await ShellPages.PublishHelloApprovalAsync(designer);
        var title = $"Quickstart {language} {Guid.NewGuid():N}"[..24];
        var page = await ShellPages.OpenAsync(designer, language, signedIn: false);

        await page.GotoAsync("/");
        await page.Locator("#api-key").FillAsync(DesignerFixture.AdminKey);
        await page.Locator("#sign-in").ClickAsync();
        await page.Locator("#processes tr[data-key=\"hello-approval\"] a.button").ClickAsync();
        await page.Locator(".djs-palette").WaitForAsync();
        await DesignerFixture.ScreenshotAsync(page, $"quickstart-{language}-1-process");
        await page.Locator("#start-variables").FillAsync($$"""{"title": "{{title}}", "requester": "li.wei"}""");
        await page.GetByRole(AriaRole.Button, new() { Name = start }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/instances/[0-9a-f-]+$"));
        var instance = page.Url[(page.Url.LastIndexOf('/') + 1)..];

        // The task is offered to the directory group "operator", which the admin is not in: it is among all open tasks.
        await page.GotoAsync("/#/tasks");
        await page.Locator("main #tasks, main p").First.WaitForAsync(); // my tasks, loaded before the choice of all
        await page.Locator("#task-scope").SelectOptionAsync(new SelectOptionValue { Label = allTasks });
        var tasks = await designer.Api.GetFromJsonAsync<JsonArray>($"/api/tasks?scope=all&instanceId={instance}");
        var row = page.Locator($"#tasks tr[data-task-id=\"{(long)Assert.Single(tasks!)!["id"]!}\"]");
        await Expect(row).ToBeVisibleAsync();
        await DesignerFixture.ScreenshotAsync(page, $"quickstart-{language}-2-task");
        // The task's form: the decision (Approve first) and a comment.
        await row.Locator("input[type=radio]").First.CheckAsync();
        await row.Locator("textarea").FillAsync("ok");
        await row.Locator("button.complete").ClickAsync();
        await Expect(row).ToHaveCountAsync(0);

        await page.GotoAsync($"/#/instances/{instance}");
        await Expect(page.Locator("#instance-status")).ToHaveTextAsync(completed);
        await Expect(page.Locator("#history")).ToContainTextAsync("Record approval");
        await DesignerFixture.ScreenshotAsync(page, $"quickstart-{language}-3-completed");
        var variables = await designer.Api.GetFromJsonAsync<JsonObject>($"/api/instances/{instance}");
        Assert.Equal($"approved: {title} (requested by li.wei)", (string?)variables!["variables"]!["record"]);
        await page.Context.CloseAsync();
    }
}
