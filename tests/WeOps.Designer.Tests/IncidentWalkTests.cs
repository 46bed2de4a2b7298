using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WeOps.Designer.Tests;

/// <summary>The shipped incident process worked in the browser at 1366x768 by the people of a service desk: an alert
/// (posted as Alertmanager sends it) opens the incident; the agent triages it from the task list; the assignee resolves
/// it; the requester confirms; the ticket's timeline shows every move with who and when. Screenshots of the key
/// screens in English and Chinese go to /tmp/incident-*.png.</summary>
[Collection(DesignerCollection.Name)]
public sealed partial class IncidentWalkTests(DesignerFixture designer)
{
    /// <summary>Opens an incident for a firing alert: the shipped incident process, called with what the alert says.</summary>
    private const string AlertToIncident = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="urn:weops:tests">
          <bpmn:process id="KEY" name="Alert to incident" isExecutable="true">
            <bpmn:startEvent id="alert"><bpmn:extensionElements><ops:alert match="alertname=&quot;ALERTNAME&quot;" /></bpmn:extensionElements></bpmn:startEvent>
            <bpmn:sequenceFlow id="f1" sourceRef="alert" targetRef="incident" />
            <bpmn:callActivity id="incident" name="Incident">
              <bpmn:extensionElements>
                <ops:calledProcess key="incident" version="latest" propagateAllVariables="false" />
                <ops:input name="title" value="${alert.annotations.summary}" />
                <ops:input name="description" value="${alert.annotations.description}" />
                <ops:input name="requester" value="${alert.annotations.owner}" />
                <ops:input name="serviceDesk" value="DESK" />
                <ops:input name="affected" value="${({ hosts: [alert.labels.instance], services: [alert.labels.service] })}" />
              </bpmn:extensionElements>
            </bpmn:callActivity>
            <bpmn:sequenceFlow id="f2" sourceRef="incident" targetRef="end" />
            <bpmn:endEvent id="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    [Fact]
    public async Task An_alert_opens_an_incident_that_is_triaged_resolved_and_confirmed_in_the_browser_and_the_ticket_shows_every_step()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var desk = "desk-" + suffix;
        var (agent, worker, requester) = ("olga-" + suffix, "oscar-" + suffix, "rita-" + suffix);
        await PublishAsync(File.ReadAllText(Path.Combine(Repository.Root, "workflows", "incident.bpmn")), "incident");
        var alertname = "CheckoutErrors" + suffix;
        await PublishAsync(AlertToIncident.Replace("KEY", "alert-incident-" + suffix, StringComparison.Ordinal)
            .Replace("ALERTNAME", alertname, StringComparison.Ordinal).Replace("DESK", desk, StringComparison.Ordinal), "alert-incident-" + suffix);
        var agentKey = await PersonAsync(agent, "Olga " + suffix, desk);
        var workerKey = await PersonAsync(worker, "Oscar " + suffix, desk);
        var requesterKey = await PersonAsync(requester, "Rita " + suffix, null);
        var title = $"Checkout answers 502 ({suffix})";
        await FireAsync(alertname, title, requester);

        // The agent finds the triage task in the groups' queue and opens it.
        var page = await SignInAsync(agentKey);
        await page.GotoAsync("/#/tasks");
        await page.Locator("#task-scope").SelectOptionAsync("groups");
        var row = page.Locator("#tasks tbody tr", new() { HasTextString = title });
        await Expect(row).ToContainTextAsync("Triage and assign", new() { Timeout = 30_000 });
        await Expect(row.Locator("td.ticket a")).ToHaveTextAsync(IncidentNumber());
        var number = (await row.Locator("td.ticket a").TextContentAsync())!;
        await Expect(row.Locator(".fjs-form")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "The task list with its triage form is wider than the 1366 px screen.");
        await ShotAsync(page, "tasks", "#tasks tbody tr");
        await row.Locator("a.task-link").ClickAsync();
        await Expect(page.Locator("#task-title")).ToHaveTextAsync("Triage and assign");
        var form = page.Locator("#task-form");
        await Expect(form.Locator(".fjs-form")).ToBeVisibleAsync();
        await ShotAsync(page, "triage", "#task-form .fjs-form");

        await PickAsync(form, "Impact", "High");
        await PickAsync(form, "Urgency", "Medium");
        await PickAsync(form, "Assignee", $"Oscar {suffix} ({worker})");
        await form.Locator("button.complete").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/tasks$"));
        await Expect(page.Locator(".notice.ok").First).ToContainTextAsync("Triage and assign");

        // The ticket now says P2 and who works on it.
        await page.GotoAsync($"/#/tickets/{number}");
        await RefreshUntilAsync(page, "inProgress");
        await Expect(page.Locator("#ticket-priority")).ToHaveTextAsync("P2");
        await Expect(page.Locator("#ticket-fields")).ToContainTextAsync(worker);
        await page.Context.CloseAsync();

        // The assignee finds it among their own tasks and resolves it with notes.
        page = await SignInAsync(workerKey);
        await page.GotoAsync("/#/tasks");
        row = page.Locator("#tasks tbody tr", new() { HasTextString = title });
        await Expect(row).ToContainTextAsync("Work on the incident", new() { Timeout = 30_000 });
        await row.Locator("a.task-link").ClickAsync();
        await Expect(page.Locator("#task-title")).ToHaveTextAsync("Work on the incident");
        form = page.Locator("#task-form");
        await Expect(form.Locator("#task-ticket-link, .fjs-form").First).ToBeVisibleAsync();
        await Expect(page.Locator("#task-ticket")).ToContainTextAsync("P2");
        await ShotAsync(page, "work", "#task-form .fjs-form");
        await form.GetByLabel("Resolved", new() { Exact = true }).CheckAsync();
        await form.GetByLabel("Resolution notes").FillAsync("Restarted the upstream pool; 502s stopped at once");
        await Expect(form.GetByLabel("Hold reason (waiting for whom or what)")).ToHaveCountAsync(0);
        await Expect(form.GetByLabel("Escalate to group")).ToHaveCountAsync(0);
        await form.Locator("button.complete").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/tasks$"));
        await page.Context.CloseAsync();

        // The requester confirms the fix.
        page = await SignInAsync(requesterKey);
        await page.GotoAsync("/#/tasks");
        row = page.Locator("#tasks tbody tr", new() { HasTextString = title });
        await Expect(row).ToContainTextAsync("Confirm the resolution", new() { Timeout = 30_000 });
        await row.Locator("a.task-link").ClickAsync();
        form = page.Locator("#task-form");
        await Expect(form.Locator(".fjs-form")).ToBeVisibleAsync();
        await ShotAsync(page, "confirm", "#task-form .fjs-form");
        await form.GetByLabel("Yes, close it").CheckAsync();
        await form.Locator("button.complete").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/tasks$"));

        // The ticket is closed and its timeline has every move, oldest last, each with who and when.
        await page.GotoAsync($"/#/tickets/{number}");
        await RefreshUntilAsync(page, "closed");
        var moves = page.Locator("#timeline tbody tr[data-kind=transition]");
        await Expect(moves).ToHaveCountAsync(4);
        string[] expected = [$"resolved → closed — Resolution confirmed by {requester}.", "inProgress → resolved — Restarted the upstream pool; 502s stopped at once",
            "assigned → inProgress", $"new → assigned — Triaged as P2 by {agent}; assigned to {worker}."];
        for (var i = 0; i < expected.Length; i++)
        {
            var move = moves.Nth(i);
            await Expect(move.Locator("td").Nth(3)).ToContainTextAsync(expected[i]);
            await Expect(move.Locator("td").Nth(0)).ToHaveTextAsync(new Regex(@"\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}"));
            await Expect(move.Locator("td").Nth(1)).ToContainTextAsync("Process step: ");
        }

        await Expect(page.Locator("#timeline tbody tr[data-kind=created]")).ToContainTextAsync("Opened in new");
        await Expect(page.Locator("#timeline tbody tr[data-kind=updated]").First).ToContainTextAsync("→ P2");
        await ShotAsync(page, "ticket-closed", "#timeline tbody tr");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_field_the_browser_lets_through_but_the_server_refuses_shows_the_servers_error_in_place_and_the_task_stays_open()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var desk = "desk-" + suffix;
        await PublishAsync(File.ReadAllText(Path.Combine(Repository.Root, "workflows", "incident.bpmn")), "incident");
        var workerKey = await PersonAsync("oscar-" + suffix, "Oscar " + suffix, desk);
        await PersonAsync("nina-" + suffix, "Nina " + suffix, "network-" + suffix);
        var title = $"Core switch drops packets ({suffix})";
        using (var started = await designer.Api.PostAsJsonAsync("/api/instances", new
        {
            definitionKey = "incident",
            variables = new { title, serviceDesk = desk, impact = "medium", urgency = "medium" },
        }))
            Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync());
        var page = await SignInAsync(workerKey);
        await page.GotoAsync("/#/tasks");
        await page.Locator("#task-scope").SelectOptionAsync("groups");
        var row = page.Locator("#tasks tbody tr", new() { HasTextString = title });
        await row.Locator("a.task-link").ClickAsync(new() { Timeout = 30_000 });
        var form = page.Locator("#task-form");
        await PickAsync(form, "Assignee", $"Oscar {suffix} (oscar-{suffix})");
        await form.Locator("button.complete").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/tasks$"));

        await page.Locator("#task-scope").SelectOptionAsync("mine");
        row = page.Locator("#tasks tbody tr", new() { HasTextString = title });
        await Expect(row).ToContainTextAsync("Work on the incident", new() { Timeout = 30_000 });
        await row.Locator("a.task-link").ClickAsync();
        await Expect(page.Locator("#task-title")).ToHaveTextAsync("Work on the incident");
        var url = page.Url;
        form = page.Locator("#task-form");
        await form.GetByLabel("Escalate to another group").CheckAsync();
        await form.GetByLabel("Why escalate", new() { Exact = true }).FillAsync("Loss on uplink 3");
        await form.Locator("button.complete").ClickAsync();
        var error = form.Locator(".fjs-form-field-select .fjs-form-field-error");
        await Expect(error).ToHaveTextAsync("Escalate to group is required to escalate.");
        await page.ScreenshotAsync(new() { Path = "/tmp/incident-escalate-refused-en.png", FullPage = true });
        Assert.Equal(url, page.Url);
        await Expect(form.Locator("button.complete")).ToBeEnabledAsync();
        var id = long.Parse(url.Split("#/tasks/")[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("open", (string?)(await designer.Api.GetFromJsonAsync<JsonObject>($"/api/tasks/{id}"))!["state"]);

        // The same in Chinese, then escalated with a group: the task goes to that group's queue.
        await page.Locator("#language").SelectOptionAsync("zh");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        form = page.Locator("#task-form");
        await form.GetByLabel("升级到其他组").CheckAsync();
        await form.GetByLabel("升级原因", new() { Exact = true }).FillAsync("Loss on uplink 3");
        await form.Locator("button.complete").ClickAsync();
        await Expect(form.Locator(".fjs-form-field-select .fjs-form-field-error")).ToHaveTextAsync("升级时必须填写升级到的组。");
        await page.ScreenshotAsync(new() { Path = "/tmp/incident-escalate-refused-zh.png", FullPage = true });
        await PickAsync(form, "升级到的组", "network-" + suffix);
        await form.Locator("button.complete").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/tasks$"));
        await page.Locator("#language").SelectOptionAsync("en");
        await page.Context.CloseAsync();
    }

    /// <summary>The ticket page shows what it loaded; the agent presses Refresh until the process has moved the ticket on.</summary>
    private static async Task RefreshUntilAsync(IPage page, string state)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await page.Locator("#ticket-state").TextContentAsync() != state && DateTime.UtcNow < deadline)
        {
            await page.RunAndWaitForResponseAsync(() => page.Locator("#refresh").ClickAsync(),
                r => r.Url.Contains("/api/tickets/", StringComparison.Ordinal) && r.Request.Method == "GET");
        }

        await Expect(page.Locator("#ticket-state")).ToHaveTextAsync(state);
    }

    [GeneratedRegex("^INC-[0-9]{6}$")]
    private static partial Regex IncidentNumber();

    private async Task PublishAsync(string xml, string key)
    {
        using (var saved = await designer.Api.PostAsync("/api/definitions", new StringContent(xml, Encoding.UTF8, "application/xml")))
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        using var published = await designer.Api.PostAsJsonAsync($"/api/definitions/{key}/publish", new { note = "test" });
        Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());
    }

    /// <summary>A person of the desk (or a requester, without a group) who works tasks, and their key.</summary>
    private async Task<string> PersonAsync(string username, string displayName, string? group)
    {
        using (var user = await designer.Api.PostAsJsonAsync("/api/users", new { username, displayName, groups = group is null ? Array.Empty<string>() : [group], roles = new[] { "approver" } }))
            Assert.True(user.IsSuccessStatusCode, await user.Content.ReadAsStringAsync());
        using var created = await designer.Api.PostAsJsonAsync("/api/keys", new { name = $"{username}'s key", roles = new[] { "approver" }, user = username });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        return (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["key"]!;
    }

    /// <summary>Posts a firing alert to the intake as Alertmanager does (webhook v4), with an alert source's key.</summary>
    private async Task FireAsync(string alertname, string summary, string owner)
    {
        using var source = new HttpClient { BaseAddress = designer.Address };
        source.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await designer.KeyAsync("alert-source"));
        var labels = new Dictionary<string, string> { ["alertname"] = alertname, ["severity"] = "critical", ["instance"] = "web-1", ["service"] = "checkout" };
        using var response = await source.PostAsJsonAsync("/api/alerts/alertmanager", new
        {
            version = "4",
            groupKey = $"{{}}:{{alertname=\"{alertname}\"}}",
            status = "firing",
            receiver = "weops",
            groupLabels = new Dictionary<string, string> { ["alertname"] = alertname },
            commonLabels = labels,
            commonAnnotations = new Dictionary<string, string>(),
            externalURL = "http://alertmanager.example.com:9093",
            alerts = new[]
            {
                new
                {
                    status = "firing",
                    labels,
                    annotations = new Dictionary<string, string> { ["summary"] = summary, ["description"] = "5xx ratio above 20% for 5 minutes", ["owner"] = owner },
                    startsAt = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O"),
                    endsAt = "0001-01-01T00:00:00Z",
                    generatorURL = "http://prometheus.example.com:9090/graph",
                    fingerprint = "f" + alertname.ToLowerInvariant(),
                },
            },
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<IPage> SignInAsync(string key)
    {
        var page = await designer.NewPageAsync();
        await page.SetViewportSizeAsync(ShellPages.Screen.Width, ShellPages.Screen.Height);
        await page.GotoAsync("/");
        await page.Locator("#api-key").FillAsync(key);
        await page.Locator("#sign-in").ClickAsync();
        await page.Locator("#me").WaitForAsync();
        return page;
    }

    /// <summary>Picks <paramref name="option"/> in the form-js select labelled <paramref name="label"/>.</summary>
    private static async Task PickAsync(ILocator form, string label, string option)
    {
        var field = form.Locator(".fjs-form-field-select").Filter(new() { Has = form.Page.Locator("label", new() { HasTextRegex = new Regex($"^{Regex.Escape(label)}\\s*\\*?$") }) });
        await field.Locator(".fjs-input-group").ClickAsync();
        await field.Locator(".fjs-dropdownlist-item").GetByText(option, new() { Exact = true }).ClickAsync();
        await Expect(field.Locator(".fjs-select-display")).ToHaveTextAsync(option);
    }

    /// <summary>The page in English and in Chinese, to /tmp/incident-NAME-en.png and -zh.png, each once
    /// <paramref name="ready"/> shows again; back in English after.</summary>
    private static async Task ShotAsync(IPage page, string name, string ready)
    {
        await page.ScreenshotAsync(new() { Path = $"/tmp/incident-{name}-en.png", FullPage = true });
        foreach (var (language, tag) in new[] { ("zh", "zh-CN"), ("en", "en") })
        {
            await page.Locator("#language").SelectOptionAsync(language);
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", tag);
            await page.Locator(ready).First.WaitForAsync();
            if (language == "zh") await page.ScreenshotAsync(new() { Path = $"/tmp/incident-{name}-zh.png", FullPage = true });
        }
    }
}
