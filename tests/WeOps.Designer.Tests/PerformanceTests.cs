using System.Diagnostics;
using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace WeOps.Designer.Tests;

/// <summary>How long a large process takes to open: a 300-node process (and its 299 flows) from the file
/// picker until a click on a task shows that task in the properties panel. The target is 2 s; the test
/// fails only far beyond it, since a shared test machine is not a benchmark.</summary>
[Collection(DesignerCollection.Name)]
public sealed class PerformanceTests(DesignerFixture designer, ITestOutputHelper output)
{
    private const int Nodes = 300;

    [Fact]
    public async Task A_300_element_process_opens_and_answers_a_click_quickly()
    {
        var file = Path.Combine(Path.GetTempPath(), $"weops-designer-{Guid.NewGuid():N}.bpmn");
        await File.WriteAllTextAsync(file, LargeProcess(Nodes));
        var page = await designer.SignedInPageAsync();
        await Palette.NewProcessAsync(page, "Large process " + Guid.NewGuid().ToString("N")[..8]);
        var middle = $"task-{Nodes / 2}";

        var clock = Stopwatch.StartNew();
        await page.Locator("#import-file").SetInputFilesAsync(file);
        await page.WaitForFunctionAsync(
            "n => window.weopsDesigner && window.weopsDesigner.modeler.get('elementRegistry').filter(e => !e.waypoints && !e.labelTarget && e.parent).length >= n",
            Nodes, new() { PollingInterval = 20 });
        var opened = clock.Elapsed;
        await Canvas.ClickElementAsync(page, middle);
        await page.Locator(".bio-properties-panel-header-label", new() { HasTextString = $"Step {Nodes / 2}" }).WaitForAsync();
        var interactive = clock.Elapsed;

        var report = string.Create(CultureInfo.InvariantCulture,
            $"designer: {Nodes} nodes + {Nodes - 1} flows opened in {opened.TotalMilliseconds:F0} ms, interactive (click shows properties) in {interactive.TotalMilliseconds:F0} ms (target < 2000 ms)");
        output.WriteLine(report);
        Directory.CreateDirectory(Path.Combine(Repository.Root, "artifacts", "test-results"));
        await File.WriteAllTextAsync(Path.Combine(Repository.Root, "artifacts", "test-results", "designer-performance.txt"), report + "\n");
        await DesignerFixture.ScreenshotAsync(page, "07-designer-300-elements");
        File.Delete(file);

        Assert.True(interactive < TimeSpan.FromSeconds(10), report);
    }

    /// <summary>Start, tasks in rows of 20 (snaking), end; every task a noop with an input and an output.</summary>
    private static string LargeProcess(int nodes)
    {
        var process = new StringBuilder();
        var shapes = new StringBuilder();
        string Id(int i) => i == 0 ? "start" : i == nodes - 1 ? "end" : $"task-{i}";
        (int X, int Y) At(int i) => (100 + i % 20 * 150, 100 + i / 20 * 140);
        for (var i = 0; i < nodes; i++)
        {
            var (x, y) = At(i);
            if (i == 0)
                process.Append(CultureInfo.InvariantCulture, $"<bpmn:startEvent id=\"start\" name=\"Start\" />\n");
            else if (i == nodes - 1)
                process.Append(CultureInfo.InvariantCulture, $"<bpmn:endEvent id=\"end\" name=\"End\" />\n");
            else
                process.Append(CultureInfo.InvariantCulture, $"<bpmn:serviceTask id=\"task-{i}\" name=\"Step {i}\"><bpmn:extensionElements><ops:task type=\"noop\" /><ops:input name=\"result\" value=\"${{step}}-{i}\" /><ops:output name=\"r{i}\" value=\"${{output}}\" /></bpmn:extensionElements></bpmn:serviceTask>\n");
            var (width, height) = i == 0 || i == nodes - 1 ? (36, 36) : (100, 80);
            shapes.Append(CultureInfo.InvariantCulture, $"<bpmndi:BPMNShape id=\"{Id(i)}_di\" bpmnElement=\"{Id(i)}\"><dc:Bounds x=\"{x}\" y=\"{y}\" width=\"{width}\" height=\"{height}\" /></bpmndi:BPMNShape>\n");
            if (i == 0) continue;
            process.Append(CultureInfo.InvariantCulture, $"<bpmn:sequenceFlow id=\"flow-{i}\" sourceRef=\"{Id(i - 1)}\" targetRef=\"{Id(i)}\" />\n");
            var (fromX, fromY) = At(i - 1);
            shapes.Append(CultureInfo.InvariantCulture, $"<bpmndi:BPMNEdge id=\"flow-{i}_di\" bpmnElement=\"flow-{i}\"><di:waypoint x=\"{fromX + 50}\" y=\"{fromY + 40}\" /><di:waypoint x=\"{x + 50}\" y=\"{y + 40}\" /></bpmndi:BPMNEdge>\n");
        }

        return $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:ops="urn:weops:bpmn:1.0" id="defs" targetNamespace="urn:weops:tests">
            <bpmn:process id="large-{nodes}" name="Large process" isExecutable="true">
            {process}</bpmn:process>
            <bpmndi:BPMNDiagram id="diagram"><bpmndi:BPMNPlane id="plane" bpmnElement="large-{nodes}">
            {shapes}</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
            </bpmn:definitions>
            """;
    }
}
