using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace WeOps.Server.Tests;

/// <summary>A server of their own whose first lockout is 2 s (the default 30 s would make the tests wait that
/// long); everything else as configured by default: five failures in a row.</summary>
public sealed class SignInLimitServer : IAsyncLifetime
{
    public static readonly TimeSpan Lockout = TimeSpan.FromSeconds(2);

    public RunningServer Server { get; private set; } = null!;
    public HttpClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await RunningServer.StartAsync([$"--Auth:AdminApiKey={RunningServer.AdminKey}", $"--SignIn:Lockout={Lockout:c}"]);
        Admin = Server.NewClient(RunningServer.AdminKey);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>Wrong passwords in a row, per user and per client address, make the next sign-ins wait (429 with
/// Retry-After, the right password included); the wait doubles; a success resets; the audit log has each event.
/// Each test signs in from a loopback address of its own.</summary>
public sealed class SignInLimitTests(SignInLimitServer fixture) : IClassFixture<SignInLimitServer>, IDisposable
{
    private const string Password = "correct horse battery staple";
    private readonly List<HttpClient> clients = [];

    public void Dispose() => clients.ForEach(c => c.Dispose());

    private HttpClient NewAddress()
    {
        var client = LoopbackClients.From(LoopbackClients.NewAddress(), fixture.Server.Address);
        clients.Add(client);
        return client;
    }

    private async Task<string> UserAsync()
    {
        var username = "u" + Guid.NewGuid().ToString("N")[..8];
        using (var created = await fixture.Admin.PostAsJsonAsync("/api/users", new { username, roles = new[] { "operator" } }))
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using (var set = await fixture.Admin.PutAsJsonAsync($"/api/users/{username}/password", new { password = Password }))
            Assert.Equal(HttpStatusCode.NoContent, set.StatusCode);
        return username;
    }

    private static async Task<HttpStatusCode> SignInAsync(HttpClient from, string username, string password)
    {
        using var response = await from.PostAsJsonAsync("/api/session", new { username, password });
        return response.StatusCode;
    }

    private static async Task FailAsync(HttpClient from, string username, int times)
    {
        for (var i = 0; i < times; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(from, username, "wrong password " + i));
    }

    /// <summary>Signs in with the right password expecting 429; the Retry-After in seconds.</summary>
    private static async Task<int> RefusedAsync(HttpClient from, string username)
    {
        using var response = await from.PostAsJsonAsync("/api/session", new { username, password = Password });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.TooManyRequests, $"expected 429, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Retry-After", (string?)JsonNode.Parse(text)!["detail"], StringComparison.Ordinal);
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
        return (int)response.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
    }

    [Fact]
    public async Task Five_wrong_passwords_then_the_right_one_is_429_with_Retry_After()
    {
        var username = await UserAsync();
        var from = NewAddress();

        await FailAsync(from, username, 5);

        Assert.InRange(await RefusedAsync(from, username), 1, (int)SignInLimitServer.Lockout.TotalSeconds);
        // The user is locked out wherever the attempt comes from.
        Assert.InRange(await RefusedAsync(NewAddress(), username), 1, (int)SignInLimitServer.Lockout.TotalSeconds);
    }

    [Fact]
    public async Task After_the_wait_the_right_password_signs_in_and_the_count_starts_again()
    {
        var username = await UserAsync();
        var from = NewAddress();
        await FailAsync(from, username, 5);
        var wait = await RefusedAsync(from, username);

        await Task.Delay(TimeSpan.FromSeconds(wait) + TimeSpan.FromMilliseconds(200));

        Assert.Equal(HttpStatusCode.OK, await SignInAsync(from, username, Password));
        // Reset: four more failures are not enough for a lockout.
        await FailAsync(from, username, 4);
        Assert.Equal(HttpStatusCode.OK, await SignInAsync(from, username, Password));
    }

    [Fact]
    public async Task Each_further_failure_after_a_wait_doubles_the_next_wait()
    {
        var username = await UserAsync();
        var from = NewAddress();
        await FailAsync(from, username, 5);
        var first = await RefusedAsync(from, username);
        await Task.Delay(TimeSpan.FromSeconds(first) + TimeSpan.FromMilliseconds(200));

        await FailAsync(from, username, 1);

        var second = await RefusedAsync(from, username);
        Assert.InRange(second, (int)SignInLimitServer.Lockout.TotalSeconds + 1, 2 * (int)SignInLimitServer.Lockout.TotalSeconds);
    }

    [Fact]
    public async Task Failures_from_one_address_count_across_usernames()
    {
        var from = NewAddress();
        var victim = await UserAsync();
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(from, "nobody-" + Guid.NewGuid().ToString("N")[..6], "guess"));

        // That address waits, even with a user's right password; the user signs in from elsewhere.
        Assert.InRange(await RefusedAsync(from, victim), 1, (int)SignInLimitServer.Lockout.TotalSeconds);
        Assert.Equal(HttpStatusCode.OK, await SignInAsync(NewAddress(), victim, Password));
    }

    [Fact]
    public async Task Each_failure_lockout_refusal_and_sign_in_is_in_the_audit_log_which_admins_read_page_by_page()
    {
        var username = await UserAsync();
        var from = NewAddress();
        await FailAsync(from, username, 5);
        await RefusedAsync(from, username);

        using var page = await fixture.Admin.GetAsync($"/api/audit?actor={username}&limit=100");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var items = (await page.JsonAsync())["items"]!.AsArray();
        var actions = items.Select(i => (string)i!["action"]!).ToList();
        Assert.Equal(5, actions.Count(a => a == "sign-in.failed"));
        Assert.Equal(2, actions.Count(a => a == "sign-in.locked")); // the user and the address
        Assert.Equal("sign-in.throttled", actions[0]); // newest first
        Assert.All(items, i => Assert.StartsWith("127.", (string?)i!["address"]));
        Assert.All(items, i => Assert.Equal(username, (string?)i!["actor"]));

        // Pages of two, newest first, cover the same entries.
        var paged = new List<long>();
        string? before = null;
        do
        {
            using var next = await fixture.Admin.GetAsync($"/api/audit?actor={username}&limit=2" + (before is null ? "" : $"&before={before}"));
            var json = await next.JsonAsync();
            paged.AddRange(json["items"]!.AsArray().Select(i => (long)i!["id"]!));
            before = json["nextBefore"]?.ToString();
        }
        while (before is not null);
        Assert.Equal(items.Select(i => (long)i!["id"]!), paged);

        using var byAction = await fixture.Admin.GetAsync($"/api/audit?action=sign-in.locked&actor={username}");
        Assert.Equal(2, (await byAction.JsonAsync())["items"]!.AsArray().Count);
        using var badLimit = await fixture.Admin.GetAsync("/api/audit?limit=0");
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
    }

    [Fact]
    public async Task Only_admins_read_the_audit_log()
    {
        var username = await UserAsync();
        using var signedIn = await NewAddress().PostAsJsonAsync("/api/session", new { username, password = Password });
        var token = (string)(await signedIn.JsonAsync())["token"]!;

        using var operatorCall = await fixture.Server.NewClient(token).GetAsync("/api/audit");
        using var anonymous = await fixture.Server.NewClient().GetAsync("/api/audit");

        Assert.Equal(HttpStatusCode.Forbidden, operatorCall.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var own = await fixture.Admin.GetAsync($"/api/audit?actor={username}&action=sign-in.succeeded");
        Assert.Single((await own.JsonAsync())["items"]!.AsArray());
    }
}
