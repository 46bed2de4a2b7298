using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace WeOps.Designer.Tests;

/// <summary>axe-core on every page reachable from the navigation, at 1366x768 in both languages: no serious or
/// critical violation (labels on inputs, contrast, names of buttons and links, landmarks, the page's language).</summary>
[Collection(DesignerCollection.Name)]
public sealed class AccessibilityTests(DesignerFixture designer, ITestOutputHelper output)
{
    public static TheoryData<string> Languages => new() { "en", "zh" };

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task Every_page_has_no_serious_or_critical_axe_violation(string language)
    {
        var data = await ShellPages.PrepareAsync(designer);
        var found = new List<string>();
        // One browser page signed in and one not, each going from route to route.
        var pages = new Dictionary<bool, IPage>();
        foreach (var shellPage in ShellPages.Checked)
        {
            if (!pages.TryGetValue(shellPage.SignedIn, out var page))
                pages[shellPage.SignedIn] = page = await ShellPages.OpenAsync(designer, language, shellPage.SignedIn);
            await ShellPages.GoToAsync(page, shellPage, data);
            var result = await page.RunAxe();
            foreach (var violation in result.Violations.Where(v => v.Impact is "serious" or "critical"))
            {
                var where = string.Join("; ", violation.Nodes.Take(5).Select(n => n.Target.ToString()));
                found.Add($"{shellPage.Name} ({language}): {violation.Impact} {violation.Id}: {violation.Help} at {where}");
            }

            output.WriteLine($"{shellPage.Name} ({language}): {result.Violations.Length} violations, {result.Passes.Length} rules passed");
        }

        foreach (var page in pages.Values) await page.Context.CloseAsync();
        foreach (var line in ShellPages.LeftOut) output.WriteLine(line);
        Assert.True(found.Count == 0, string.Join("\n", found));
    }
}
