using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace WeOps.Server.Tests;

/// <summary>People sign in with a username and password that an admin set, and use the session token as a
/// bearer token; the roles come from the user directory at each request.</summary>
[Collection(ServerCollection.Name)]
public sealed class SessionTests(ServerFixture server) : IDisposable
{
    private const string Password = "correct horse battery staple";

    private async Task<string> UserWithPasswordAsync(params string[] roles)
    {
        var username = "u" + Guid.NewGuid().ToString("N")[..8];
        using (var created = await server.Client.PostAsJsonAsync("/api/users", new { username, email = $"{username}@example.test", roles }))
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using (var set = await server.Client.PutAsJsonAsync($"/api/users/{username}/password", new { password = Password }))
            Assert.Equal(HttpStatusCode.NoContent, set.StatusCode);
        return username;
    }

    // Each test signs in from a loopback address of its own: the failures of one test must not lock out the
    // address of the next (the server counts them per address).
    private readonly HttpClient signIn = LoopbackClients.From(LoopbackClients.NewAddress(), server.Server.Address);

    public void Dispose() => signIn.Dispose();

    private async Task<HttpResponseMessage> SignInAsync(string username, string password) =>
        await signIn.PostAsJsonAsync("/api/session", new { username, password });

    private HttpClient WithToken(string token)
    {
        var client = server.Server.NewClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task A_user_signs_in_and_acts_with_the_roles_of_the_directory()
    {
        var username = await UserWithPasswordAsync("operator");

        using var signedIn = await SignInAsync(username, Password);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        var body = await signedIn.JsonAsync();
        var token = (string)body["token"]!;
        Assert.StartsWith("weops_session_", token);
        Assert.Equal(["operator"], body["roles"]!.AsArray().Select(r => (string?)r));

        var client = WithToken(token);
        var me = await (await client.GetAsync("/api/me")).JsonAsync();
        Assert.Equal(username, (string?)me["name"]);
        using (var allowed = await client.GetAsync("/api/instances"))
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        using (var refused = await client.GetAsync("/api/keys"))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        // Roles change at once; a deleted user's session stops working.
        using (var promoted = await server.Client.PutAsJsonAsync($"/api/users/{username}", new { roles = new[] { "admin" } }))
            Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        using (var now = await client.GetAsync("/api/keys"))
            Assert.Equal(HttpStatusCode.OK, now.StatusCode);
        using (var deleted = await server.Client.DeleteAsync($"/api/users/{username}"))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await client.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, gone.StatusCode);
    }

    [Fact]
    public async Task A_missing_username_or_password_is_a_400_naming_it()
    {
        using var response = await server.Anonymous.PostAsJsonAsync("/api/session", new { username = "alice" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.JsonAsync())["errors"]!["password"]);
    }

    [Theory]
    [InlineData("wrong password")]
    [InlineData("correct horse battery stapl")]
    public async Task A_wrong_password_or_an_unknown_user_gets_the_same_401(string password)
    {
        var username = await UserWithPasswordAsync("operator");

        using var wrong = await SignInAsync(username, password);
        using var unknown = await SignInAsync("nobody-" + Guid.NewGuid().ToString("N")[..6], Password);

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal((string?)(await wrong.JsonAsync())["detail"], (string?)(await unknown.JsonAsync())["detail"]);
    }

    [Fact]
    public async Task A_user_without_a_password_cannot_sign_in()
    {
        var username = "u" + Guid.NewGuid().ToString("N")[..8];
        using (var created = await server.Client.PostAsJsonAsync("/api/users", new { username, roles = new[] { "admin" } }))
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        using var refused = await SignInAsync(username, "any password at all");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Theory]
    [InlineData("weops_session_")]
    [InlineData("weops_session_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_forged_or_altered_token_is_refused(string token)
    {
        using var response = await WithToken(token).GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task An_altered_real_token_is_refused()
    {
        var username = await UserWithPasswordAsync("admin");
        var token = (string)(await (await SignInAsync(username, Password)).JsonAsync())["token"]!;
        var altered = token[..^3] + (token[^3] == 'A' ? "B" : "A") + token[^2..];

        using var response = await WithToken(altered).GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Only_an_admin_sets_passwords_and_short_ones_are_refused()
    {
        var username = await UserWithPasswordAsync("operator");

        using (var shortOne = await server.Client.PutAsJsonAsync($"/api/users/{username}/password", new { password = "short" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, shortOne.StatusCode);
            Assert.NotNull((await shortOne.JsonAsync())["errors"]!["password"]);
        }

        using var byOperator = await server.As("operator").PutAsJsonAsync($"/api/users/{username}/password", new { password = "long enough password" });
        Assert.Equal(HttpStatusCode.Forbidden, byOperator.StatusCode);
    }
}
