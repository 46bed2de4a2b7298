using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WeOps.Server;

namespace WeOps.Designer.Tests;

/// <summary>The real server, in this process on a free loopback port, serving the designer's build; and
/// Debian's Chromium driven by Playwright (never a downloaded browser).</summary>
public sealed class DesignerFixture : IAsyncLifetime
{
    public const string AdminKey = "designer-tests-admin-key-0123456789";

    private WebApplication? app;
    private IPlaywright? playwright;

    public Uri Address { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Sends the admin key.</summary>
    public HttpClient Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Path.Combine(Repository.DesignerBuild, "index.html")))
        {
            throw new InvalidOperationException(
                $"The designer is not built ({Repository.DesignerBuild} has no index.html): run 'npm ci && npm run build' in src/Designer (./test.sh does).");
        }

        var data = Path.Combine(Path.GetTempPath(), "weops-designer-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        app = WeOpsServer.Create(
        [
            "--urls", "http://127.0.0.1:0", "--environment", "Testing", "--contentRoot", AppContext.BaseDirectory,
            $"--ConnectionStrings:WeOps=Data Source={Path.Combine(data, "weops.db")}",
            "--Workflows:Path=" + Path.Combine(data, "no-workflows"),
            "--Designer:Path=" + Repository.DesignerBuild,
            "--Credentials:MasterKeyFile=" + Path.Combine(data, "master.key"),
            "--Auth:AdminApiKey=" + AdminKey,
            // The test sshd listens on loopback, which the outbound policy refuses unless allowed.
            "--Outbound:Allow=127.0.0.0/8,::1",
            .. MailArguments(),
        ]);
        await app.StartAsync();
        Address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        Api = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);

        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("WEOPS_TEST_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>Approval mail goes to the test SMTP server (scripts/services/smtp.sh) when it runs; its maildir is
    /// <c>WEOPS_TEST_SMTP_MAILDIR</c>.</summary>
    private static string[] MailArguments() =>
        Environment.GetEnvironmentVariable("WEOPS_TEST_SMTP_PORT") is { Length: > 0 } port
            ? ["--Smtp:Host=127.0.0.1", $"--Smtp:Port={port}", "--Smtp:From=WeOps <weops@example.com>"]
            : [];

    /// <summary>A fresh browser context (its own sessionStorage and localStorage) with a page on the server.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Address.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>A new page, signed in with <paramref name="key"/> (the admin key by default).</summary>
    public async Task<IPage> SignedInPageAsync(string? key = null)
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/");
        await page.Locator("#api-key").FillAsync(key ?? AdminKey);
        await page.Locator("#sign-in").ClickAsync();
        await page.Locator("#me").WaitForAsync();
        return page;
    }

    /// <summary>A key with one role, made through the API.</summary>
    public async Task<string> KeyAsync(string role)
    {
        using var response = await Api.PostAsJsonAsync("/api/keys", new { name = $"designer test {role} {Guid.NewGuid():N}", roles = new[] { role } });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<Dictionary<string, object>>();
        return body!["key"].ToString()!;
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Repository.Screenshots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.Screenshots, name + ".png"), FullPage = true });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        playwright?.Dispose();
        Api?.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DesignerCollection : ICollectionFixture<DesignerFixture>
{
    public const string Name = "designer";
}
