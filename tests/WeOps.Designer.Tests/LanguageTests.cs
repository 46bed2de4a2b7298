using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace WeOps.Designer.Tests;

/// <summary>Every page reachable from the navigation, at 1366x768 in each language, in one walk per language: in Simplified
/// Chinese no page shows English (every visible text, placeholder and accessible label, apart from product names, ids
/// and the user's own data: names and keys of processes, tasks, instances, users), in English none shows Chinese, and in
/// both axe-core finds no serious or critical violation (labels on inputs, contrast, names of buttons and links,
/// landmarks, the page's language).</summary>
[Collection(DesignerCollection.Name)]
public sealed partial class LanguageTests(DesignerFixture designer, ITestOutputHelper output)
{
    /// <summary>Names that stay as they are in a Chinese page.</summary>
    private static readonly string[] ProductNames = ["WeOps", "English", "bpmn.io", "BPMN", "API", "JSON", "XML", "SVG", "SLA", "ID", "SSH", "URL", "HTTP", "SMTP", "STARTTLS", "TLS", "Ctrl"];

    /// <summary>Where the page shows data or code as it is: ids, variables, the diagram's own labels, the user's name,
    /// and the bpmn.io watermarks of the diagrams and the forms, which their licence asks to keep as they are.</summary>
    private const string DataElements = "code, pre, .djs-container, #me strong, .bjs-powered-by, .fjs-powered-by";

    // Values of these fields are words of the product (statuses, types), which the page must translate.
    private static readonly HashSet<string> WordFields = ["status", "outcome", "state", "elementType", "kind", "type", "roles", "permissions", "priority"];

    [Fact]
    public async Task In_Simplified_Chinese_no_page_shows_English_nor_has_a_serious_axe_violation()
    {
        var data = await ShellPages.PrepareAsync(designer);
        var userData = await UserDataAsync(data);
        var found = new List<string>();
        var violations = new List<string>();
        var pages = new Dictionary<bool, IPage>();
        foreach (var shellPage in ShellPages.Checked)
        {
            if (!pages.TryGetValue(shellPage.SignedIn, out var page))
                pages[shellPage.SignedIn] = page = await ShellPages.OpenAsync(designer, "zh", shellPage.SignedIn);
            await ShellPages.GoToAsync(page, shellPage, data);
            Assert.Equal("zh-CN", await page.EvaluateAsync<string>("document.documentElement.lang"));
            await DesignerFixture.ScreenshotAsync(page, $"shell-zh-{shellPage.Name}");
            foreach (var text in await VisibleTextsAsync(page))
            {
                var left = Strip(text, userData);
                if (EnglishWord().IsMatch(left)) found.Add($"{shellPage.Name}: \"{text}\"");
            }

            violations.AddRange(await AxeAsync(page, shellPage, "zh"));
        }

        foreach (var page in pages.Values) await page.Context.CloseAsync();
        foreach (var line in ShellPages.LeftOut) output.WriteLine(line);
        Assert.True(found.Count == 0, "English left in the Chinese pages:\n" + string.Join("\n", found.Distinct()));
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public async Task In_English_no_page_shows_Chinese_nor_has_a_serious_axe_violation()
    {
        var data = await ShellPages.PrepareAsync(designer);
        var violations = new List<string>();
        var pages = new Dictionary<bool, IPage>();
        foreach (var shellPage in ShellPages.All)
        {
            if (!pages.TryGetValue(shellPage.SignedIn, out var page))
                pages[shellPage.SignedIn] = page = await ShellPages.OpenAsync(designer, "en", shellPage.SignedIn);
            await ShellPages.GoToAsync(page, shellPage, data);
            Assert.Equal("en", await page.EvaluateAsync<string>("document.documentElement.lang"));
            Assert.DoesNotMatch(Han(), await page.Locator("main").InnerTextAsync());
            await DesignerFixture.ScreenshotAsync(page, $"shell-en-{shellPage.Name}");
            if (shellPage.NotYetChecked is null) violations.AddRange(await AxeAsync(page, shellPage, "en"));
        }

        foreach (var page in pages.Values) await page.Context.CloseAsync();
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    /// <summary>The serious and critical axe-core violations of the page as it is shown.</summary>
    private async Task<IEnumerable<string>> AxeAsync(IPage page, ShellPage shellPage, string language)
    {
        var result = await page.RunAxe();
        output.WriteLine($"{shellPage.Name} ({language}): {result.Violations.Length} axe violations, {result.Passes.Length} rules passed");
        return result.Violations.Where(v => v.Impact is "serious" or "critical").Select(violation =>
            $"{shellPage.Name} ({language}): {violation.Impact} {violation.Id}: {violation.Help} at {string.Join("; ", violation.Nodes.Take(5).Select(n => n.Target.ToString()))}");
    }

    private static async Task<IReadOnlyList<string>> VisibleTextsAsync(IPage page) =>
        await page.EvaluateAsync<string[]>("""
            (dataElements) => {
              const texts = [];
              const shown = (el) => {
                if (el.tagName === 'OPTION') el = el.closest('select') || el;
                const style = getComputedStyle(el);
                return style.visibility !== 'hidden' && el.getClientRects().length > 0;
              };
              const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
              while (walker.nextNode()) {
                const el = walker.currentNode.parentElement;
                const text = walker.currentNode.textContent.trim();
                if (!text || !el || el.closest('script, style') || el.closest(dataElements) || !shown(el)) continue;
                texts.push(text);
              }
              for (const el of document.querySelectorAll('[placeholder], [aria-label], [title], input[type=button], input[type=submit]')) {
                if (el.closest(dataElements) || !shown(el)) continue;
                for (const name of ['placeholder', 'aria-label', 'title', 'value']) {
                  if (name === 'value' && el.tagName !== 'INPUT') continue;
                  const value = (el.getAttribute(name) || '').trim();
                  if (value) texts.push(value);
                }
              }
              return texts;
            }
            """, DataElements);

    /// <summary>The text without the user's data and the product names.</summary>
    private static string Strip(string text, IReadOnlyList<string> userData)
    {
        text = MailAddress().Replace(text, " ");
        foreach (var value in userData) text = text.Replace(value, " ", StringComparison.Ordinal);
        foreach (var name in ProductNames) text = text.Replace(name, " ", StringComparison.Ordinal);
        return text;
    }

    /// <summary>Every string the API holds as data (names, keys, titles, users, variables), longest first, so that a
    /// name containing another is removed whole.</summary>
    private async Task<IReadOnlyList<string>> UserDataAsync(ShellData data)
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in new[]
        {
            "/api/definitions", "/api/instances?limit=1000", "/api/tasks?state=open", $"/api/instances/{data.Instance}", "/api/me", "/api/tickets",
            $"/api/tasks/{data.Task}", $"/api/tickets/{data.Ticket}", "/api/users", "/api/groups", "/api/keys", "/api/credentials", "/api/hosts",
            "/api/audit", "/api/settings/mail", "/api/definitions/hello-approval/versions",
        })
        {
            using var response = await designer.Api.GetAsync(path);
            if (!response.IsSuccessStatusCode) continue;
            Collect(await response.Content.ReadFromJsonAsync<JsonNode>(), null, values);
        }

        return [.. values.Where(v => v.Length > 1).OrderByDescending(v => v.Length)];
    }

    private static void Collect(JsonNode? node, string? field, HashSet<string> values)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, child) in o) Collect(child, name, values);
                break;
            case JsonArray a:
                foreach (var child in a) Collect(child, field, values);
                break;
            case JsonValue v when v.TryGetValue<string>(out var text) && (field is null || !WordFields.Contains(field)):
                values.Add(text);
                break;
        }
    }

    /// <summary>A mail address (a person's, or the example one of a field), which is an address, not words.</summary>
    [GeneratedRegex(@"[\w.+-]+@[\w-]+(\.[\w-]+)+")]
    private static partial Regex MailAddress();

    [GeneratedRegex("[A-Za-z]{2,}")]
    private static partial Regex EnglishWord();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Han();
}
