using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WeOps.Designer.Tests;

/// <summary>The palette on a laptop screen: the BPMN tools and one entry per group of executors, each
/// group a searchable menu; every tool within the window and every entry able to put its element on the
/// canvas; executor names, help and element types in the user's language.</summary>
[Collection(DesignerCollection.Name)]
public sealed class PaletteTests(DesignerFixture designer)
{
    private static readonly Dictionary<string, string> BpmnTools = new()
    {
        ["create.start-event"] = "bpmn:StartEvent",
        ["create.intermediate-event"] = "bpmn:IntermediateThrowEvent",
        ["create.end-event"] = "bpmn:EndEvent",
        ["create.exclusive-gateway"] = "bpmn:ExclusiveGateway",
        ["create.task"] = "bpmn:Task",
        ["create.data-object"] = "bpmn:DataObjectReference",
        ["create.data-store"] = "bpmn:DataStoreReference",
        ["create.subprocess-expanded"] = "bpmn:SubProcess",
        ["create.group"] = "bpmn:Group",
        ["create.participant-expanded"] = "bpmn:Participant",
    };

    [Theory]
    [InlineData(1366, 768)]
    [InlineData(1440, 900)]
    [InlineData(1920, 1080)]
    public async Task Every_palette_entry_and_group_menu_is_within_the_window(int width, int height)
    {
        var page = await Palette.SignedInPageAsync(designer, width, height);
        await Palette.NewProcessAsync(page, $"Window {width}x{height} {Guid.NewGuid():N}"[..24]);

        var entries = page.Locator(".djs-palette .entry");
        var count = await entries.CountAsync();
        Assert.True(count >= 14 + GroupsOf(await ActivitiesAsync()).Count, $"only {count} palette entries");
        for (var i = 0; i < count; i++)
        {
            var entry = entries.Nth(i);
            var box = await entry.BoundingBoxAsync();
            var action = await entry.GetAttributeAsync("data-action");
            Assert.True(box is not null && box.Y >= 0 && box.Y + box.Height <= height && box.X >= 0 && box.X + box.Width <= width,
                $"{action} is at {box?.X},{box?.Y} ({box?.Width}x{box?.Height}), outside {width}x{height}");
            // diagram-js shows an entry's title as its hover tooltip and its aria-label.
            Assert.False(string.IsNullOrWhiteSpace(await entry.GetAttributeAsync("aria-label")), $"{action} has no tooltip");
        }

        foreach (var group in GroupsOf(await ActivitiesAsync()).Keys)
        {
            var menu = await Palette.OpenGroupAsync(page, group);
            var box = await menu.BoundingBoxAsync();
            Assert.True(box is not null && box.Y >= 0 && box.Y + box.Height <= height && box.X + box.Width <= width,
                $"the {group} menu is at {box?.X},{box?.Y} ({box?.Width}x{box?.Height}), outside {width}x{height}");
            // The last entry scrolls into view within the menu.
            var last = menu.Locator(".entry").Last;
            await last.ScrollIntoViewIfNeededAsync();
            await Expect(last).ToBeInViewportAsync();
            await page.Keyboard.PressAsync("Escape");
            await Expect(menu).ToHaveCountAsync(0);
        }

        if (width == 1366) await DesignerFixture.ScreenshotAsync(page, "palette-1366-en");
    }

    [Fact]
    public async Task Every_BPMN_tool_is_dragged_and_every_executor_of_every_group_put_onto_the_canvas()
    {
        var page = await Palette.SignedInPageAsync(designer);
        await Palette.NewProcessAsync(page, $"Palette {Guid.NewGuid():N}"[..20]);

        var groups = GroupsOf(await ActivitiesAsync());
        Assert.Contains("directory", groups.Keys);
        foreach (var (group, types) in groups)
        {
            var menu = await Palette.OpenGroupAsync(page, group);
            var listed = await menu.Locator(".entry").EvaluateAllAsync<string[]>("entries => entries.map(e => e.dataset.id)");
            Assert.Equal(types.Select(t => t == "approval" ? "ops.approval" : "ops." + t).Order(), listed.Order());
            await page.Keyboard.PressAsync("Escape");

            foreach (var type in types)
            {
                await Palette.CreateAsync(page, group, type == "approval" ? "ops.approval" : "ops." + type, 420, 260);
                if (type == "approval")
                {
                    var task = await Canvas.SingleIdAsync(page, "bpmn:UserTask");
                    Assert.True(await page.EvaluateAsync<bool>(
                        "id => window.weopsDesigner.modeler.get('elementRegistry').get(id).businessObject.extensionElements.values.some(v => v.$type === 'ops:Approval')", task));
                }
                else
                {
                    var made = await Canvas.IdsAsync(page, "bpmn:ServiceTask");
                    if (made.Count != 1) await page.ScreenshotAsync(new() { Path = "/tmp/palette/fail.png" });
                    Assert.True(made.Count == 1, $"{group}: {type} made {made.Count} service tasks");
                    var task = made[0];
                    Assert.Equal(type, await Palette.TaskTypeAsync(page, task));
                }

                await UndoAllAsync(page);
            }
        }

        // Last: a pool turns the process into a collaboration.
        foreach (var (action, type) in BpmnTools)
        {
            await Canvas.DragAsync(page, action, 420, 260);
            Assert.True((await Canvas.IdsAsync(page, type)).Count == 1, $"{action} made no {type}");
            await UndoAllAsync(page);
        }
    }

    [Fact]
    public async Task A_group_menu_finds_an_executor_by_what_it_is_called()
    {
        var page = await Palette.SignedInPageAsync(designer);
        await Palette.NewProcessAsync(page, $"Search {Guid.NewGuid():N}"[..20]);

        var menu = await Palette.OpenGroupAsync(page, "cloud");
        await menu.Locator(".djs-popup-search input").PressSequentiallyAsync("ECS");
        await Expect(menu.Locator(".entry[data-id=\"ops.cloud.aliyun.rebootInstances\"]")).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("Alibaba Cloud ECS"));
        await Expect(menu.Locator(".entry[data-id=\"ops.cloud.aws.stopInstances\"]")).ToHaveCountAsync(0);
        await Expect(menu.Locator(".entry[data-id=\"ops.cloud.tencent\"]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Every_group_menu_however_short_opens_in_its_search_box()
    {
        var page = await Palette.SignedInPageAsync(designer);
        await Palette.NewProcessAsync(page, $"Keys {Guid.NewGuid():N}"[..20]);

        foreach (var group in GroupsOf(await ActivitiesAsync()).Keys)
        {
            var menu = await Palette.OpenGroupAsync(page, group);
            await Expect(menu.Locator(".djs-popup-search input")).ToBeFocusedAsync();
            await page.Keyboard.PressAsync("Escape");
        }

        // The approvals group holds one entry, and typing into its menu filters it as in the longer ones.
        var approvals = await Palette.OpenGroupAsync(page, "approvals");
        await page.Keyboard.TypeAsync("nothing like it");
        await Expect(approvals.Locator(".entry")).ToHaveCountAsync(0);
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("approv");
        await Expect(approvals.Locator(".entry[data-id='ops.approval']")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_replace_menu_of_a_task_offers_the_executors()
    {
        var page = await Palette.SignedInPageAsync(designer);
        await Palette.NewProcessAsync(page, $"Replace {Guid.NewGuid():N}"[..20]);
        await Canvas.DropAsync(page, "create.task", 420, 260);
        var task = await Canvas.SingleIdAsync(page, "bpmn:Task");
        await LeaveLabelEditingAsync(page);

        await Canvas.ClickElementAsync(page, task);
        await page.Locator(".djs-context-pad.open [data-action=\"replace\"]").ClickAsync();
        await page.Locator(".djs-popup [data-id=\"replace-with-ops.http.request\"]").ClickAsync();

        var serviceTask = await Canvas.SingleIdAsync(page, "bpmn:ServiceTask");
        Assert.Equal("http.request", await Palette.TaskTypeAsync(page, serviceTask));
        Assert.Empty(await Canvas.IdsAsync(page, "bpmn:Task"));
    }

    [Fact]
    public async Task In_Chinese_the_executors_their_help_and_the_element_types_are_Chinese()
    {
        var page = await Palette.SignedInPageAsync(designer, language: "zh");
        await Palette.NewProcessAsync(page, $"中文 {Guid.NewGuid():N}"[..12]);

        await Expect(page.Locator(".djs-palette [data-action=\"ops-group.ops\"]")).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("^运维: .*通过 SSH 执行"));
        var menu = await Palette.OpenGroupAsync(page, "ops");
        await Expect(menu.Locator(".djs-popup-title")).ToContainTextAsync("运维");
        await Expect(menu.Locator(".entry[data-id=\"ops.ssh.exec\"] .djs-popup-label")).ToHaveTextAsync("通过 SSH 执行");
        await Expect(menu.Locator(".entry[data-id=\"ops.ssh.exec\"] .djs-popup-entry-description")).ToHaveTextAsync("通过 SSH 在一台或多台主机上执行命令或脚本。");
        await Expect(menu.Locator(".entry[data-id=\"ops.email.send\"] .djs-popup-label")).ToHaveTextAsync("发送邮件");
        await DesignerFixture.ScreenshotAsync(page, "palette-1366-zh-menu");
        await page.Keyboard.PressAsync("Escape");

        await Palette.CreateAsync(page, "ops", "ops.ssh.exec", 420, 260);
        var task = await Canvas.SingleIdAsync(page, "bpmn:ServiceTask");
        await LeaveLabelEditingAsync(page);
        await Canvas.ClickElementAsync(page, task);
        await Expect(page.Locator(".bio-properties-panel-header-type")).ToHaveTextAsync("服务任务");
        await Expect(page.Locator("[data-group-id=\"group-general\"] .bio-properties-panel-group-header-title")).ToHaveTextAsync("常规");
        await Expect(page.Locator("[data-group-id=\"group-ops-executor\"] .bio-properties-panel-group-header-title")).ToHaveTextAsync("执行器: 通过 SSH 执行");
        var inputs = page.Locator("[data-group-id=\"group-ops-inputs\"] .bio-properties-panel-group-header");
        await inputs.ClickAsync();
        await Expect(page.Locator("[data-entry-id=\"ops-input-parallelism\"] .bio-properties-panel-description")).ToContainTextAsync("同时执行的主机数");
        await Expect(page.Locator("#bio-properties-panel-ops-input-failWhen option[value=\"anyHost\"]")).ToHaveTextAsync("任一主机失败");
        await DesignerFixture.ScreenshotAsync(page, "palette-1366-zh-properties");
    }

    /// <summary>Each group's entries: the executor types of its categories, and "approval" for the approvals.</summary>
    private static Dictionary<string, List<string>> GroupsOf(IReadOnlyList<JsonNode> activities)
    {
        var groups = new Dictionary<string, List<string>> { ["ops"] = [], ["approvals"] = ["approval"] };
        foreach (var activity in activities)
        {
            var group = (string)activity["category"]! switch
            {
                "Remote" or "Integration" or "Notify" or "Utility" or "General" => "ops",
                var category => category.ToLowerInvariant(),
            };
            if (!groups.TryGetValue(group, out var types)) groups[group] = types = [];
            types.Add((string)activity["type"]!);
        }

        return groups;
    }

    private async Task<IReadOnlyList<JsonNode>> ActivitiesAsync() =>
        (await designer.Api.GetFromJsonAsync<JsonArray>("/api/activities"))!.Select(a => a!).ToList();

    /// <summary>A new task opens its label for typing; a click on the empty canvas closes it.</summary>
    private static Task LeaveLabelEditingAsync(IPage page) =>
        page.Locator("#canvas").ClickAsync(new() { Position = new() { X = 700, Y = 60 } });

    private static Task UndoAllAsync(IPage page) =>
        page.EvaluateAsync("() => { const m = window.weopsDesigner.modeler; m.get('directEditing').complete(); const stack = m.get('commandStack'); while (stack.canUndo()) stack.undo(); }");
}
