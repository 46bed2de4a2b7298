using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WeOps.Activities.Tests.Email;
using WeOps.Engine.Time;

namespace WeOps.Server.Tests.Approvals;

/// <summary>A server that mails approvals through the test SMTP server (scripts/services/smtp.sh), on a clock the
/// tests move, with the users alice, bob, carol (group cab: carl, cora) and a key for each.</summary>
public partial class ApprovalServer : IAsyncLifetime
{
    public static readonly string[] People = ["alice", "bob", "carol", "carl", "cora", "rita"];
    private readonly Dictionary<string, HttpClient> asUser = [];
    private RunningServer? server;

    public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

    public RunningServer Server => server!;

    public HttpClient Admin { get; private set; } = null!;

    /// <summary>A client without a key: what an approver's browser is.</summary>
    public HttpClient Browser { get; private set; } = null!;

    public HttpClient As(string username) => asUser[username];

    /// <summary>More server arguments, for a fixture that needs more configuration.</summary>
    protected virtual string[] ExtraArguments => [];

    public virtual async Task InitializeAsync()
    {
        server = await RunningServer.StartAsync(
        [
            .. ExtraArguments,
            $"--Auth:AdminApiKey={RunningServer.AdminKey}",
            "--Smtp:Host=127.0.0.1",
            $"--Smtp:Port={TestSmtpServer.Port}",
            "--Smtp:From=WeOps <weops@example.com>",
            // The test SMTP server listens on loopback, which the outbound policy refuses unless allowed.
            "--Outbound:Allow=127.0.0.0/8,::1",
        ], builder => builder.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
        Admin = server.NewClient(RunningServer.AdminKey);
        Browser = server.NewClient();
        foreach (var name in People)
        {
            var groups = name is "carl" or "cora" ? new[] { "cab" } : [];
            (await Admin.PostAsJsonAsync("/api/users", new { username = name, displayName = Capitalized(name), email = $"{name}@example.com", groups, roles = new[] { "approver" } }))
                .EnsureSuccessStatusCode();
            using var key = await Admin.PostAsJsonAsync("/api/keys", new { name = $"{name}'s key", roles = new[] { "approver", "operator" }, user = name });
            key.EnsureSuccessStatusCode();
            asUser[name] = server.NewClient((string)(await key.JsonAsync())["key"]!);
        }
    }

    public virtual async Task DisposeAsync()
    {
        if (server is not null) await server.DisposeAsync();
    }

    /// <summary>Publishes a change process whose approval task has <paramref name="approval"/>; returns its key.</summary>
    public async Task<string> PublishAsync(string approval, string extra = "")
    {
        var key = "change-" + Guid.NewGuid().ToString("N")[..8];
        var xml = Fixture(key, approval, extra);
        using (var saved = await Admin.PostAsync("/api/definitions", Http.Body(xml)))
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        using var published = await Admin.PostAsJsonAsync($"/api/definitions/{key}/publish", new { });
        Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());
        return key;
    }

    /// <summary>Starts the change as <paramref name="requester"/>; the title carries a marker that finds its mails.</summary>
    public async Task<(Guid Id, string Marker)> StartAsync(string key, string requester = "rita")
    {
        var marker = "CHG-" + Guid.NewGuid().ToString("N")[..10];
        using var started = await As(requester).PostAsJsonAsync("/api/instances", new
        {
            definitionKey = key,
            variables = new { ticket = marker, risk = "low <script>alert(1)</script>", requester = new { username = requester, manager = "bob" } },
        });
        Assert.True(started.StatusCode == HttpStatusCode.Created, await started.Content.ReadAsStringAsync());
        return (Guid.Parse((string)(await started.JsonAsync())["id"]!), marker);
    }

    /// <summary>The approve or reject link in the mail to <paramref name="username"/> about <paramref name="marker"/>.</summary>
    public static async Task<Uri> LinkAsync(string username, string marker, string decision = "approve", string subjectStart = "Approval needed")
    {
        var mail = await MailAsync(username, marker, subjectStart);
        var text = mail.AllParts().First(p => p.ContentType == "text/plain").Body;
        var match = LinkPattern().Matches(text).First(m => m.Groups["decision"].Value == decision);
        return new Uri(match.Value);
    }

    public static async Task<StoredMail> MailAsync(string username, string marker, string subjectStart = "Approval needed")
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            foreach (var file in Directory.Exists(Path.Combine(TestSmtpServer.Maildir, "new")) ? Directory.GetFiles(Path.Combine(TestSmtpServer.Maildir, "new")) : [])
            {
                var mail = StoredMail.Parse(await File.ReadAllBytesAsync(file));
                if (mail.Subject.Contains(marker, StringComparison.Ordinal) && mail.Subject.StartsWith(subjectStart, StringComparison.Ordinal)
                    && mail.AddressesIn("to").Contains($"{username}@example.com"))
                    return mail;
            }

            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No '{subjectStart}' mail about {marker} reached {username}.");
            await Task.Delay(100);
        }
    }

    /// <summary>GET the link's page, then POST its form with the page's anti-forgery token, as a browser does.</summary>
    public async Task<(HttpStatusCode Status, string Html)> DecideAsync(Uri link, string decision, string? comment = null)
    {
        using var page = await Browser.GetAsync(link);
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, html);
        return await PostAsync(link, FormToken(html), decision, comment);
    }

    public async Task<(HttpStatusCode Status, string Html)> PostAsync(Uri link, string? formToken, string decision, string? comment = null)
    {
        var fields = new Dictionary<string, string> { ["decision"] = decision };
        if (formToken is not null) fields["form"] = formToken;
        if (comment is not null) fields["comment"] = comment;
        using var response = await Browser.PostAsync(link.GetLeftPart(UriPartial.Path), new FormUrlEncodedContent(fields));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static string FormToken(string html) => WebUtility.HtmlDecode(FormTokenPattern().Match(html).Groups["token"].Value);

    public async Task<JsonNode> InstanceAsync(Guid id) => await (await Admin.GetAsync($"/api/instances/{id}")).JsonAsync();

    /// <summary>Waits until the instance has a user task open at <paramref name="elementId"/>.</summary>
    public async Task<JsonNode> WaitForTaskAsync(Guid id, string elementId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var tasks = (await (await Admin.GetAsync($"/api/tasks?instanceId={id}")).JsonAsync()).AsArray();
            if (tasks.FirstOrDefault(t => (string?)t!["elementId"] == elementId) is { } task) return task!;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Instance {id} has no open task at {elementId}: {await InstanceAsync(id)}");
            await Task.Delay(100);
        }
    }

    public static string Fixture(string key, string approval, string extra = "") => $"""
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
          <bpmn:process id="{key}" isExecutable="true">
            <bpmn:startEvent id="start" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="approve" />
            <bpmn:userTask id="approve" name="Approve the change">
              <bpmn:extensionElements>{approval}</bpmn:extensionElements>
            </bpmn:userTask>
            <bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="decided" />
            <bpmn:exclusiveGateway id="decided" default="no" />
            <bpmn:sequenceFlow id="yes" sourceRef="decided" targetRef="deploy"><bpmn:conditionExpression>{"${approval.outcome == 'approved'}"}</bpmn:conditionExpression></bpmn:sequenceFlow>
            <bpmn:sequenceFlow id="no" sourceRef="decided" targetRef="refuse" />
            <bpmn:userTask id="deploy" name="Deploy" />
            <bpmn:sequenceFlow id="f3" sourceRef="deploy" targetRef="deployed" />
            <bpmn:endEvent id="deployed" />
            <bpmn:userTask id="refuse" name="Tell the requester" />
            <bpmn:sequenceFlow id="f4" sourceRef="refuse" targetRef="refused" />
            <bpmn:endEvent id="refused" />
            {extra}
          </bpmn:process>
        </bpmn:definitions>
        """;

    public const string Titled = """title="Change ${ticket}" show="ticket, risk" """;

    private static string Capitalized(string name) => char.ToUpper(name[0], CultureInfo.InvariantCulture) + name[1..];

    [GeneratedRegex(@"http://[^\s""<>]+/approve/[A-Za-z0-9_-]{43}\?decision=(?<decision>approve|reject)")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"name=""form"" value=""(?<token>[^""]+)""")]
    private static partial Regex FormTokenPattern();
}

[CollectionDefinition(Name)]
public sealed class ApprovalCollection : ICollectionFixture<ApprovalServer>
{
    public const string Name = "approvals";
}
