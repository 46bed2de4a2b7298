using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WeOps.Designer.Tests;

/// <summary>Problems in the reader's language at 1366x768: a name the server does not know (an approver) is a
/// warning on its element, said in English and, from its code, in Simplified Chinese; a list cut at the display cap
/// says how many problems it shows, in both languages.</summary>
[Collection(DesignerCollection.Name)]
public sealed class ProblemLanguageTests(DesignerFixture designer)
{
    private const string ApprovalByAStranger = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="urn:weops:tests">
          <bpmn:process id="KEY" name="Approve a change" isExecutable="true">
            <bpmn:startEvent id="start" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="approve" />
            <bpmn:userTask id="approve" name="Approve change"><bpmn:extensionElements><ops:approval approvers="ghost-admin" /></bpmn:extensionElements></bpmn:userTask>
            <bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="end" />
            <bpmn:endEvent id="end" />
          </bpmn:process>
          <bpmndi:BPMNDiagram id="dia"><bpmndi:BPMNPlane id="plane" bpmnElement="KEY">
            <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="100" y="100" width="36" height="36" /></bpmndi:BPMNShape>
            <bpmndi:BPMNShape id="approve_di" bpmnElement="approve"><dc:Bounds x="200" y="78" width="100" height="80" /></bpmndi:BPMNShape>
            <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="360" y="100" width="36" height="36" /></bpmndi:BPMNShape>
            <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="136" y="118" /><di:waypoint x="200" y="118" /></bpmndi:BPMNEdge>
            <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="300" y="118" /><di:waypoint x="360" y="118" /></bpmndi:BPMNEdge>
          </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
        </bpmn:definitions>
        """;

    private async Task<IPage> DesignerAtLaptopSizeAsync(string key)
    {
        var page = await designer.SignedInPageAsync();
        await page.SetViewportSizeAsync(1366, 768);
        await page.GotoAsync($"/#/designer/{key}");
        return page;
    }

    private async Task SaveAsync(string xml)
    {
        using var saved = await designer.Api.PostAsync("/api/definitions", new StringContent(xml, Encoding.UTF8, "application/xml"));
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unknown_approver_is_a_warning_on_its_element_in_English_and_in_Chinese()
    {
        var key = "approve-" + Guid.NewGuid().ToString("N")[..8];
        await SaveAsync(ApprovalByAStranger.Replace("KEY", key, StringComparison.Ordinal));
        var page = await DesignerAtLaptopSizeAsync(key);

        var item = page.Locator("#problems li.problem.warning[data-element-id='approve']");
        await Expect(item).ToContainTextAsync("Approve change: 'ghost-admin' is not a user in the user directory");
        await Expect(page.Locator(".djs-element.ops-problem-warning[data-element-id='approve']")).ToHaveCountAsync(1);
        var badge = page.Locator(".ops-problem-badge.warning");
        await Expect(badge).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("'ghost-admin' is not a user"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = "/tmp/checks-unknown-approver-en.png" });
        await DesignerFixture.ScreenshotAsync(page, "15-designer-unknown-approver");

        await page.Locator("#language").SelectOptionAsync("zh");
        try
        {
            item = page.Locator("#problems li.problem.warning[data-element-id='approve']");
            await Expect(item).ToContainTextAsync("Approve change：'ghost-admin' 不是用户目录中的用户");
            await Expect(item.Locator(".severity")).ToHaveTextAsync("警告");
            await Expect(page.Locator(".ops-problem-badge.warning")).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("不是用户目录中的用户"));
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = "/tmp/checks-unknown-approver-zh.png" });
            await DesignerFixture.ScreenshotAsync(page, "16-designer-unknown-approver-chinese");
        }
        finally
        {
            await page.Locator("#language").SelectOptionAsync("en");
        }
    }

    [Fact]
    public async Task A_list_cut_at_the_display_cap_says_how_many_problems_it_shows_in_English_and_in_Chinese()
    {
        // 340 service tasks without a type, connected to nothing: each is an error and two warnings; with the start
        // event's warning, 1,021 problems, of which the server lists 1,000.
        var key = "many-" + Guid.NewGuid().ToString("N")[..8];
        var tasks = new StringBuilder();
        var shapes = new StringBuilder();
        for (var i = 0; i < 340; i++)
        {
            tasks.Append(CultureInvariant($"""<bpmn:serviceTask id="t{i}" name="Step {i}" />"""));
            shapes.Append(CultureInvariant($"""<bpmndi:BPMNShape id="t{i}_di" bpmnElement="t{i}"><dc:Bounds x="{200 + i % 20 * 120}" y="{100 + i / 20 * 100}" width="100" height="80" /></bpmndi:BPMNShape>"""));
        }

        await SaveAsync($"""
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" id="d" targetNamespace="urn:weops:tests">
              <bpmn:process id="{key}" name="Many steps" isExecutable="true"><bpmn:startEvent id="start" />{tasks}</bpmn:process>
              <bpmndi:BPMNDiagram id="dia"><bpmndi:BPMNPlane id="plane" bpmnElement="{key}">
                <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="100" y="100" width="36" height="36" /></bpmndi:BPMNShape>{shapes}
              </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
            </bpmn:definitions>
            """);
        var page = await DesignerAtLaptopSizeAsync(key);

        var cut = page.Locator("#problems li.none");
        await Expect(cut).ToHaveTextAsync("1000 of 1021 problems shown.", new() { Timeout = 30_000 });
        await Expect(page.Locator("#problems li.problem")).ToHaveCountAsync(1000);
        await cut.ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = "/tmp/checks-cap-en.png" });

        await page.Locator("#language").SelectOptionAsync("zh");
        try
        {
            cut = page.Locator("#problems li.none");
            await Expect(cut).ToHaveTextAsync("显示 1000 / 1021 个问题。", new() { Timeout = 30_000 });
            await cut.ScrollIntoViewIfNeededAsync();
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = "/tmp/checks-cap-zh.png" });
        }
        finally
        {
            await page.Locator("#language").SelectOptionAsync("en");
        }
    }

    [Fact]
    public async Task An_import_that_is_not_well_formed_names_its_line_and_column_in_English_and_in_Chinese()
    {
        var page = await designer.SignedInPageAsync();
        await page.SetViewportSizeAsync(1366, 768);
        await Palette.NewProcessAsync(page, "Broken " + Guid.NewGuid().ToString("N")[..8]);
        var broken = new FilePayload
        {
            Name = "broken.bpmn",
            MimeType = "application/xml",
            Buffer = Encoding.UTF8.GetBytes("<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\">\n  <bpmn:process id=\"p\">\n</bpmn:definitions>"),
        };

        await Expect(page.Locator("#problems li.problem.error")).ToContainTextAsync("no start event");
        await page.Locator("#import-file").SetInputFilesAsync(broken);
        var item = page.Locator("#problems li.problem.error");
        await Expect(item).ToContainTextAsync("The file is not well-formed XML, so it was not read: line 3, column 3:");
        await Expect(page.Locator("#status .notice.error")).ToContainTextAsync("line 3, column 3");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = "/tmp/polish-import-not-well-formed-en.png" });

        await page.Locator("#language").SelectOptionAsync("zh");
        try
        {
            // The redrawn page checks its empty drawing first; the import comes after, as a person's would.
            await Expect(page.Locator("#problems li.problem.error .severity")).ToHaveTextAsync("错误");
            await page.Locator("#import-file").SetInputFilesAsync(broken);
            await Expect(page.Locator("#problems li.problem.error")).ToContainTextAsync("文件不是格式正确的 XML，未读取：第 3 行第 3 列");
            await Expect(page.Locator("#problems li.problem.error .severity")).ToHaveTextAsync("错误");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = "/tmp/polish-import-not-well-formed-zh.png" });
        }
        finally
        {
            await page.Locator("#language").SelectOptionAsync("en");
        }
    }

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);
}
