using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WeOps.Designer.Tests;

/// <summary>An admin sets WeOps up in the browser at 1366x768, without curl: a user, an API key, an SSH key
/// credential and two hosts (one typed, one imported from CSV) on the test sshd; a runbook started from the UI then
/// runs on both hosts.</summary>
[Collection(DesignerCollection.Name)]
public sealed class AdminConsoleTests(DesignerFixture designer)
{
    private static readonly string[] Sections = ["users", "groups", "keys", "credentials", "hosts", "mail", "audit"];

    private static string Require(string variable) => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException($"{variable} is not set: source the test services' environment (it starts the test sshd).");

    private async Task<IPage> AdminPageAsync()
    {
        var context = await designer.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = designer.Address.ToString(),
            ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
            Permissions = ["clipboard-read", "clipboard-write"],
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        // The sign-in page asks the server whether this is a first run; sign in once it has its answer.
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.Locator("#api-key").FillAsync(DesignerFixture.AdminKey);
        await page.Locator("#sign-in").ClickAsync();
        await page.Locator("#me").WaitForAsync();
        return page;
    }

    [Fact]
    public async Task An_admin_sets_up_a_user_a_key_a_credential_and_two_hosts_in_the_browser_and_a_runbook_runs_on_those_hosts()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var tag = $"admin-e2e-{run}";
        var ports = Require("WEOPS_TEST_SSH_PORTS").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var sshUser = Require("WEOPS_TEST_SSH_USER");
        var knownHosts = Require("WEOPS_TEST_SSH_KNOWN_HOSTS");
        var page = await AdminPageAsync();

        await page.Locator("header nav a[href='#/admin']").ClickAsync();
        await Expect(page.Locator("#admin-title")).ToHaveTextAsync("Users");

        // A user with a password and two roles.
        var username = $"dana-{run}";
        await page.Locator("#new-user").ClickAsync();
        await page.Locator("#user-form [name=username]").FillAsync(username);
        await page.Locator("#user-form [name=email]").FillAsync($"{username}@example.com");
        await page.Locator("#user-form [name=groups]").FillAsync("dba");
        await page.Locator("#user-form [name=password]").FillAsync("a password for dana");
        await page.Locator("#role-approver").CheckAsync();
        await page.Locator("#save-user").ClickAsync();
        await Expect(page.Locator($"tr[data-user='{username}']")).ToContainTextAsync("Operator, Approver");
        await Expect(page.Locator($"tr[data-user='{username}']")).ToContainTextAsync("Set");
        using (var signIn = await new HttpClient { BaseAddress = designer.Address }.PostAsJsonAsync("/api/session", new { username, password = "a password for dana" }))
            Assert.True(signIn.IsSuccessStatusCode);

        // An API key, copied with the button.
        await page.Locator("#admin-nav-keys").ClickAsync();
        await page.Locator("#new-key").ClickAsync();
        await page.Locator("#key-form [name=name]").FillAsync($"backup script {run}");
        await page.Locator("#create-key").ClickAsync();
        await Expect(page.Locator("#key-shown")).ToContainTextAsync("you will not see it again");
        await page.Locator("#copy-key").ClickAsync();
        await Expect(page.Locator("#key-copied")).ToHaveTextAsync("Copied.");
        var copied = await page.EvaluateAsync<string>("navigator.clipboard.readText()");
        using (var withKey = new HttpClient { BaseAddress = designer.Address })
        {
            withKey.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", copied);
            Assert.Contains($"backup script {run}", await withKey.GetStringAsync("/api/me"));
        }

        await page.Locator("#key-done").ClickAsync();
        await Expect(page.Locator("#key-list")).ToContainTextAsync($"backup script {run}");
        await Expect(page.Locator("#key-list")).Not.ToContainTextAsync(copied);

        // The SSH key credential; its value never comes back to the page.
        var credential = $"sshd-key-{run}";
        var privateKey = await File.ReadAllTextAsync(Require("WEOPS_TEST_SSH_KEY"));
        await page.Locator("#admin-nav-credentials").ClickAsync();
        await page.Locator("#new-credential").ClickAsync();
        await page.Locator("#credential-form [name=name]").FillAsync(credential);
        await page.Locator("#credential-form [name=username]").FillAsync(sshUser);
        await page.Locator("#credential-form [name=privateKey]").FillAsync(privateKey);
        await page.Locator("#save-credential").ClickAsync();
        await Expect(page.Locator($"tr[data-credential='{credential}']")).ToContainTextAsync("Private key");
        Assert.DoesNotContain(privateKey.Trim().Split('\n')[1], await page.ContentAsync());

        // One host typed in, one imported from CSV; the import is previewed first.
        await page.Locator("#admin-nav-hosts").ClickAsync();
        await page.Locator("#new-host").ClickAsync();
        await page.Locator("#host-form [name=name]").FillAsync($"typed-{run}");
        await page.Locator("#host-form [name=address]").FillAsync("127.0.0.1");
        await page.Locator("#host-form [name=port]").FillAsync(ports[0]);
        await page.Locator("#host-form [name=user]").FillAsync(sshUser);
        await page.Locator("#host-form [name=credential]").SelectOptionAsync(credential);
        await page.Locator("#host-form [name=tags]").FillAsync($"{tag} env:test");
        await page.Locator("#host-form [name=knownHosts]").FillAsync(knownHosts);
        await page.Locator("#save-host").ClickAsync();
        await Expect(page.Locator($"tr[data-host='typed-{run}']")).ToContainTextAsync(tag);

        await page.Locator("#import-hosts").ClickAsync();
        await page.Locator("#import-form [name=text]").FillAsync(
            $"name,address,port,user,credential,tags\nimported-{run},127.0.0.1,{ports[1]},{sshUser},{credential},{tag}\nbroken-{run},127.0.0.1,http,{sshUser},no-such-key,{tag}\n");
        await page.Locator("#preview-import").ClickAsync();
        await Expect(page.Locator("#import-preview tr.valid")).ToHaveCountAsync(1);
        await Expect(page.Locator("#import-preview tr.invalid[data-line='3']")).ToContainTextAsync("'http' is not a port number");
        await Expect(page.Locator("#import-preview tr.invalid[data-line='3']")).ToContainTextAsync("no-such-key");
        await DesignerFixture.ScreenshotAsync(page, "admin-import-preview");
        await page.ScreenshotAsync(new() { Path = "/tmp/admin-import-preview-en.png" });
        await page.Locator("#import-valid").ClickAsync();
        await Expect(page.Locator("#admin-notice")).ToContainTextAsync("1 new");
        await Expect(page.Locator($"tr[data-host='broken-{run}']")).ToHaveCountAsync(0);

        // The CSV has no column for host keys: the admin adds them to the imported host.
        await page.Locator($"tr[data-host='imported-{run}'] button", new() { HasTextString = "Edit" }).ClickAsync();
        await page.Locator("#host-form [name=knownHosts]").FillAsync(knownHosts);
        await page.Locator("#save-host").ClickAsync();
        await Expect(page.Locator("#admin-notice")).ToContainTextAsync($"imported-{run} saved");

        // The filter selects like the SSH step will.
        await page.Locator("form.filter [name=tags]").FillAsync($"{tag} !env:test");
        await page.Locator("#filter-hosts").ClickAsync();
        await Expect(page.Locator("#host-list tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator($"tr[data-host='imported-{run}']")).ToBeVisibleAsync();

        // A runbook on those hosts, published through the API, started from the page.
        var key = $"admin-runbook-{run}";
        var runbook = """
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
              <bpmn:process id="RUNBOOK" name="Admin console runbook" isExecutable="true">
                <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="run" />
                <bpmn:serviceTask id="run" name="Run on the tagged hosts">
                  <bpmn:extensionElements>
                    <ops:task type="ssh.exec" retries="0" />
                    <ops:input name="hosts" value="tags: TAG" />
                    <ops:input name="command" value="echo admin-console-ran" />
                    <ops:output name="ran" value="${hosts}" />
                    <ops:output name="succeeded" value="${succeeded}" />
                  </bpmn:extensionElements>
                </bpmn:serviceTask>
                <bpmn:sequenceFlow id="f2" sourceRef="run" targetRef="end" /><bpmn:endEvent id="end" />
              </bpmn:process>
            </bpmn:definitions>
            """.Replace("RUNBOOK", key, StringComparison.Ordinal).Replace("TAG", tag, StringComparison.Ordinal);
        using (var saved = await designer.Api.PostAsync("/api/definitions", new StringContent(runbook, System.Text.Encoding.UTF8, "application/xml")))
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        using (var published = await designer.Api.PostAsJsonAsync($"/api/definitions/{key}/publish", new { note = "admin console test" }))
            Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());

        await page.GotoAsync($"/#/designer/{key}");
        await page.Locator("#start").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#/instances/[0-9a-f-]{36}$"), new() { Timeout = 60_000 });
        await Expect(page.Locator("#instance-status")).ToHaveTextAsync("completed", new() { Timeout = 90_000 });
        var variables = await page.Locator("#variables").TextContentAsync() ?? "";
        Assert.Contains($"typed-{run}", variables);
        Assert.Contains($"imported-{run}", variables);
        Assert.Contains("admin-console-ran", variables);
        Assert.Contains("\"succeeded\": 2", variables);

        // Each change is in the audit log.
        await page.GotoAsync("/#/admin/audit");
        await page.Locator("#admin-audit select[name=action]").SelectOptionAsync("credential.");
        await page.Locator("#audit-filter").ClickAsync();
        await Expect(page.Locator("#audit-list")).ToContainTextAsync($"credential {credential} (ssh)");
        await page.Locator("#admin-audit select[name=action]").SelectOptionAsync("");
        await page.Locator("#audit-filter").ClickAsync();
        foreach (var text in new[] { $"user {username}", $"backup script {run}", $"host typed-{run}", $"1 host(s) from csv: imported-{run}", $"process {key} version 1" })
            await Expect(page.Locator("#audit-list")).ToContainTextAsync(text);

        await ScreenshotsAsync(page);
    }

    /// <summary>Every section in English and in Chinese, for a person to look at.</summary>
    private static async Task ScreenshotsAsync(IPage page)
    {
        foreach (var language in new[] { "en", "zh" })
        {
            await page.GotoAsync("/#/admin/users");
            await page.Locator("#language").SelectOptionAsync(language);
            foreach (var section in Sections)
            {
                await page.GotoAsync($"/#/admin/{section}");
                await page.Locator($"#admin-{section} table, #admin-{section} form, #admin-{section} p.empty").First.WaitForAsync();
                await page.WaitForTimeoutAsync(300);
                await page.ScreenshotAsync(new() { Path = $"/tmp/admin-{section}-{language}.png" });
            }
        }

        await page.Locator("#language").SelectOptionAsync("en");
    }

    [Fact]
    public async Task On_a_new_installation_the_sign_in_page_offers_to_create_the_first_admin_who_then_lands_in_the_admin_console()
    {
        var fresh = new DesignerFixture();
        await fresh.InitializeAsync();
        try
        {
            var context = await fresh.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fresh.Address.ToString(), ViewportSize = new ViewportSize { Width = 1366, Height = 768 } });
            var page = await context.NewPageAsync();
            await page.GotoAsync("/");
            await Expect(page.Locator("#first-run")).ToContainTextAsync("Auth:AdminApiKey");
            await page.ScreenshotAsync(new() { Path = "/tmp/admin-first-run-en.png" });
            await page.Locator("#first-username").FillAsync("root");
            await page.Locator("#first-password").FillAsync("short");
            await page.Locator("#first-password-again").FillAsync("short");
            await page.Locator("#create-first-admin").ClickAsync();
            await Expect(page.Locator("#first-run")).ToContainTextAsync("12");
            await page.Locator("#first-password").FillAsync("the first admin password");
            await page.Locator("#first-password-again").FillAsync("the first admin password");
            await page.Locator("#create-first-admin").ClickAsync();
            await Expect(page.Locator("#admin-title")).ToHaveTextAsync("Users");
            await Expect(page.Locator("tr[data-user='root']")).ToBeVisibleAsync();

            await page.Locator("#sign-out").ClickAsync();
            await page.Locator("#language").SelectOptionAsync("zh");
            await Expect(page.Locator("#first-run")).ToHaveCountAsync(0);
        }
        finally
        {
            await fresh.DisposeAsync();
        }
    }
}
