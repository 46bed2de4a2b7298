using Microsoft.Playwright;

namespace WeOps.Server.Tests.Approvals;

/// <summary>A real browser (Debian's Chromium, headless, through Playwright) follows the mailed link, sees the
/// confirmation page, clicks Approve and sees the result. Screenshots of both pages are kept as test artifacts.</summary>
[Collection(ApprovalCollection.Name)]
public sealed class ApprovalBrowserTests(ApprovalServer approvals)
{
    private static string Chromium =>
        Environment.GetEnvironmentVariable("WEOPS_TEST_CHROMIUM") is { Length: > 0 } path && File.Exists(path)
            ? path
            : throw new InvalidOperationException(
                "WEOPS_TEST_CHROMIUM is not set: the browser tests need Chromium. Run them through ./test.sh (scripts/services/chromium.sh installs " +
                "Debian's chromium), or: bash -c 'source scripts/test-services.sh; test_services_start; dotnet test tests/WeOps.Server.Tests --filter FullyQualifiedName~Browser'");

    [Fact]
    public async Task Chromium_opens_the_link_confirms_and_sees_the_result()
    {
        var executable = Chromium;
        var key = await approvals.PublishAsync($"""<ops:approval approvers="alice" {ApprovalServer.Titled}/>""");
        var (id, marker) = await approvals.StartAsync(key);
        var link = await ApprovalServer.LinkAsync("alice", marker);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync();

        var opened = await page.GotoAsync(link.ToString());
        Assert.Equal(200, opened!.Status);
        Assert.Contains($"Change {marker}", await page.TextContentAsync("h1"), StringComparison.Ordinal);
        Assert.Contains("Deciding as alice", await page.TextContentAsync(".who"), StringComparison.Ordinal);
        await page.FillAsync("#comment", "Approved from the browser");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("approval-confirmation.png"), FullPage = true });

        await page.ClickAsync("#approve");
        await page.WaitForSelectorAsync("#result");
        Assert.Equal("You approved the request", await page.TextContentAsync("#result"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("approval-result.png"), FullPage = true });

        await approvals.WaitForTaskAsync(id, "deploy");
        var decision = (await approvals.InstanceAsync(id))["variables"]!["approval"]!["decisions"]![0]!;
        Assert.Equal("Approved from the browser", (string?)decision["comment"]);
    }

    /// <summary>artifacts/test-results/approvals/ of the checkout (where ./test.sh keeps results), else the test output.</summary>
    private static string Artifact(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "WeOps.sln"))) dir = dir.Parent;
        var folder = Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "artifacts", "test-results", "approvals");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }
}
