using System.Net;
using WeOps.Server.Auth;

namespace WeOps.Server.Tests;

/// <summary>The designer's files at / (anonymous, with a content security policy) and /api/me, which tells
/// the page who signed in.</summary>
[Collection(ServerCollection.Name)]
public sealed class DesignerFilesTests(ServerFixture server)
{
    [Theory]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.Designer)]
    [InlineData(Roles.Operator)]
    [InlineData(Roles.Approver)]
    public async Task Me_names_the_caller_its_roles_and_what_they_allow(string role)
    {
        using var response = await server.As(role).GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await response.JsonAsync();
        Assert.Equal($"test {role}", (string?)me["name"]);
        Assert.Equal([role], me["roles"]!.AsArray().Select(r => (string?)r));
        Assert.Equal(Permissions.ByRole[role].Order(), me["permissions"]!.AsArray().Select(p => (string)p!).Order());
    }

    [Fact]
    public async Task Me_without_a_key_is_401()
    {
        using var response = await server.Anonymous.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Without_a_build_the_root_says_how_to_build_the_designer()
    {
        // The shared test server's content root has no wwwroot.
        using var response = await server.Anonymous.GetAsync("/");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("npm ci && npm run build", (string?)(await response.JsonAsync())["detail"]);
    }

    [Fact]
    public async Task A_build_is_served_anonymously_with_a_content_security_policy_and_the_API_still_needs_a_key()
    {
        var build = Path.Combine(Path.GetTempPath(), "weops-designer-build-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(build, "assets"));
        await File.WriteAllTextAsync(Path.Combine(build, "index.html"), "<!doctype html><title>WeOps</title>");
        await File.WriteAllTextAsync(Path.Combine(build, "assets", "index-abc123.js"), "console.log('designer');");
        await using var running = await RunningServer.StartAsync([$"--Designer:Path={build}"]);
        var anonymous = running.NewClient();

        using var page = await anonymous.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<title>WeOps</title>", await page.Content.ReadAsStringAsync());
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("no-cache", page.Headers.CacheControl?.ToString());

        using var asset = await anonymous.GetAsync("/assets/index-abc123.js");
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Contains("immutable", asset.Headers.CacheControl?.ToString());

        using var api = await anonymous.GetAsync("/api/definitions");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        using var missing = await anonymous.GetAsync("/no-such-file.js");
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Directory.Delete(build, recursive: true);
    }
}
