using System.Text.Json;
using Microsoft.Playwright;

namespace WeOps.Designer.Tests;

/// <summary>What a person does with the mouse on the bpmn-js canvas: take a tool from the palette and
/// put it down, connect two shapes through the context pad.</summary>
public static class Canvas
{
    /// <summary>Clicks a palette entry and clicks again at (x, y) on the canvas, where the shape lands.</summary>
    public static async Task DropAsync(IPage page, string action, float x, float y)
    {
        var box = await CanvasBoxAsync(page);
        await page.Locator($".djs-palette [data-action=\"{action}\"]").ClickAsync();
        await page.Mouse.MoveAsync(box.X + x - 20, box.Y + y - 20);
        await page.Mouse.MoveAsync(box.X + x, box.Y + y, new MouseMoveOptions { Steps = 5 });
        await page.Mouse.ClickAsync(box.X + x, box.Y + y);
        await AfterDragAsync(page);
    }

    /// <summary>Drags a palette entry onto the canvas and lets go at (x, y), where the shape lands.</summary>
    public static Task DragAsync(IPage page, string action, float x, float y) =>
        DragOntoAsync(page, page.Locator($".djs-palette [data-action=\"{action}\"]"), x, y);

    /// <summary>Presses the mouse on <paramref name="entry"/>, moves it onto the canvas and lets go at (x, y).</summary>
    public static async Task DragOntoAsync(IPage page, ILocator entry, float x, float y)
    {
        var box = await CanvasBoxAsync(page);
        var from = await entry.BoundingBoxAsync() ?? throw new InvalidOperationException("the entry is not shown");
        await page.Mouse.MoveAsync(from.X + from.Width / 2, from.Y + from.Height / 2);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(from.X + from.Width / 2 + 30, from.Y + from.Height / 2 + 10, new MouseMoveOptions { Steps = 3 });
        await page.Mouse.MoveAsync(box.X + x, box.Y + y, new MouseMoveOptions { Steps = 10 });
        await page.Mouse.UpAsync();
        await AfterDragAsync(page);
    }

    /// <summary>Connects two shapes with the context pad's connect tool.</summary>
    public static async Task ConnectAsync(IPage page, string fromId, string toId)
    {
        await ClickElementAsync(page, fromId);
        await page.Locator(".djs-context-pad.open [data-action=\"connect\"]").ClickAsync();
        var target = await ElementBoxAsync(page, toId);
        var (x, y) = (target.X + target.Width / 2, target.Y + target.Height / 2);
        await page.Mouse.MoveAsync(x - 10, y - 10);
        await page.Mouse.MoveAsync(x, y, new MouseMoveOptions { Steps = 5 });
        await page.Mouse.ClickAsync(x, y);
        await AfterDragAsync(page);
    }

    // diagram-js swallows the first click within 400 ms of a drag's end (so that dropping does not also
    // select what is under the mouse): a person never clicks that fast, a test must wait too.
    private static Task AfterDragAsync(IPage page) => page.WaitForTimeoutAsync(450);

    /// <summary>Clicks a shape and waits until it is the one selected.</summary>
    public static async Task ClickElementAsync(IPage page, string id)
    {
        await page.Locator($".djs-element.djs-shape[data-element-id=\"{id}\"] .djs-hit").First.ClickAsync(new() { Timeout = 5000, Position = new() { X = 10, Y = 10 } });
        await page.Locator($".djs-element.selected[data-element-id=\"{id}\"]").WaitForAsync(new() { Timeout = 5000 });
    }

    /// <summary>Ids of the diagram's elements of a BPMN type ("bpmn:ServiceTask"), read from the modeler.</summary>
    public static async Task<IReadOnlyList<string>> IdsAsync(IPage page, string type) =>
        await page.EvaluateAsync<string[]>(
            "type => window.weopsDesigner.modeler.get('elementRegistry').filter(e => e.type === type && !e.labelTarget).map(e => e.id)", type);

    public static async Task<string> SingleIdAsync(IPage page, string type)
    {
        var ids = await IdsAsync(page, type);
        Assert.True(ids.Count == 1, $"expected one {type}, found {JsonSerializer.Serialize(ids)}");
        return ids[0];
    }

    private static async Task<LocatorBoundingBoxResult> ElementBoxAsync(IPage page, string id) =>
        await page.Locator($".djs-element.djs-shape[data-element-id=\"{id}\"] .djs-hit").First.BoundingBoxAsync()
            ?? throw new InvalidOperationException($"{id} is not on the canvas");

    private static async Task<LocatorBoundingBoxResult> CanvasBoxAsync(IPage page) =>
        await page.Locator("#canvas").BoundingBoxAsync() ?? throw new InvalidOperationException("no canvas");
}
