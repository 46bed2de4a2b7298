using System.Globalization;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace WeOps.Designer.Tests;

/// <summary>What a browser with an empty cache downloads for the first page: the scripts, compressed as sent. bpmn-js
/// is loaded only by the pages that draw diagrams (ADR 0028). Reported in
/// artifacts/test-results/designer-first-load.txt.</summary>
[Collection(DesignerCollection.Name)]
public sealed class FirstLoadTests(DesignerFixture designer, ITestOutputHelper output)
{
    private const long MaxCompressedScriptBytes = 600 * 1024;

    [Theory]
    [InlineData("signin", false)]
    [InlineData("processes", true)]
    public async Task The_first_page_loads_little_compressed_script_and_no_bpmn_js(string name, bool signedIn)
    {
        var page = await ShellPages.OpenAsync(designer, "en", signedIn);
        var scripts = new List<IResponse>();
        page.Response += (_, response) =>
        {
            if (response.Request.ResourceType == "script") scripts.Add(response);
        };

        await ShellPages.GoToAsync(page, ShellPages.All.Single(p => p.Name == name), null);
        long sent = 0, decoded = 0;
        foreach (var script in scripts)
        {
            var sizes = await script.Request.SizesAsync();
            sent += sizes.ResponseBodySize;
            decoded += (await script.BodyAsync()).Length;
            Assert.Equal("br", await script.HeaderValueAsync("content-encoding"));
        }

        var report = string.Create(CultureInfo.InvariantCulture,
            $"designer first load ({name}): {scripts.Count} scripts, {sent / 1024.0:F1} KB compressed (br), {decoded / 1024.0:F1} KB decoded; limit {MaxCompressedScriptBytes / 1024} KB");
        output.WriteLine(report);
        Directory.CreateDirectory(Path.Combine(Repository.Root, "artifacts", "test-results"));
        await File.AppendAllTextAsync(Path.Combine(Repository.Root, "artifacts", "test-results", "designer-first-load.txt"), report + "\n");
        await page.Context.CloseAsync();

        Assert.NotEmpty(scripts);
        Assert.True(sent < MaxCompressedScriptBytes, report);
        Assert.DoesNotContain(scripts, s => s.Url.Contains("bpmn", StringComparison.OrdinalIgnoreCase));
        Assert.True(decoded < 100 * 1024, $"bpmn-js is on the first page: {report}");
    }

    [Fact]
    public async Task A_page_whose_file_cannot_be_loaded_says_to_reload()
    {
        var page = await ShellPages.OpenAsync(designer, "en", signedIn: true);
        // A tab opened before an update asks for the old build's page files, which the server no longer has.
        await page.RouteAsync("**/assets/alerts-*.js", route => route.FulfillAsync(new() { Status = 404 }));

        await page.GotoAsync("/#/alerts");

        await Microsoft.Playwright.Assertions.Expect(page.Locator("main .notice.error")).ToContainTextAsync("Reload the browser tab");
        await Microsoft.Playwright.Assertions.Expect(page.Locator("#me")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}
