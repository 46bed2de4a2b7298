using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace WeOps.Server.Tests;

/// <summary>Credentials go in through the API and never come out of it.</summary>
[Collection(ServerCollection.Name)]
public sealed class CredentialsTests(ServerFixture server)
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY";

    [Fact]
    public async Task A_credential_is_created_listed_by_name_and_fields_and_deleted_and_its_values_never_come_back()
    {
        var name = "aws-" + Guid.NewGuid().ToString("N")[..8];
        using var created = await server.Client.PutAsJsonAsync($"/api/credentials/{name}",
            new { kind = "aws", description = "production account", values = new { accessKeyId = "AKIDEXAMPLE", secretAccessKey = Secret } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadAsStringAsync();
        Assert.DoesNotContain(Secret, body);
        Assert.DoesNotContain("AKIDEXAMPLE", body);
        Assert.Equal(["accessKeyId", "secretAccessKey"], JsonNode.Parse(body)!["fields"]!.AsArray().Select(f => (string?)f));

        foreach (var path in new[] { "/api/credentials", $"/api/credentials/{name}" })
        {
            using var read = await server.As("designer").GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            var text = await read.Content.ReadAsStringAsync();
            Assert.Contains(name, text);
            Assert.Contains("\"kind\":\"aws\"", text);
            Assert.DoesNotContain(Secret, text);
        }

        using (var replaced = await server.Client.PutAsJsonAsync($"/api/credentials/{name}",
            new { kind = "aws", values = new { accessKeyId = "AKIDEXAMPLE", secretAccessKey = "rotated" } }))
            Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        using (var deleted = await server.Client.DeleteAsync($"/api/credentials/{name}"))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await server.Client.GetAsync($"/api/credentials/{name}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    public static TheoryData<string, string, string> BadCredentials() => new()
    {
        { "ok-name", """{"kind":"password-manager","values":{"a":"b"}}""", "kind" },
        { "ok-name", """{"kind":"aws","values":{"accessKeyId":"a"}}""", "values.secretAccessKey" },
        { "ok-name", """{"kind":"aws"}""", "values" },
        { "ok-name", """{"kind":"ssh","values":{"privateKey":{"nested":true}}}""", "values.privateKey" },
        { "ok-name", """{"kind":"ssh","values":{"privateKey":"k","shell":"/bin/sh"}}""", "values.shell" },
        { "-bad", """{"kind":"ssh","values":{"password":"p"}}""", "name" },
    };

    [Theory]
    [MemberData(nameof(BadCredentials))]
    public async Task A_bad_credential_is_a_400_naming_the_field(string name, string json, string field)
    {
        using var response = await server.Client.PutAsync($"/api/credentials/{name}", Http.Body(json, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.NotNull(problem["errors"]![field]);
        using var missing = await server.Client.GetAsync($"/api/credentials/{name}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Only_an_admin_changes_credentials()
    {
        using var response = await server.As("designer").PutAsJsonAsync("/api/credentials/x", new { kind = "webhook", values = new { secret = "s" } });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_host_naming_a_credential_that_does_not_exist_is_refused()
    {
        using var response = await server.Client.PutAsJsonAsync("/api/hosts/web-9", new { address = "10.0.0.9", credential = "no-such-credential" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("no-such-credential", (await response.JsonAsync())["errors"]!["credential"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task A_host_is_saved_with_its_tags_and_an_address_that_looks_like_an_ssh_option_is_refused()
    {
        var name = "web-" + Guid.NewGuid().ToString("N")[..8];
        using (var bad = await server.Client.PutAsJsonAsync($"/api/hosts/{name}", new { address = "-oProxyCommand=touch /tmp/pwned", port = 70000 }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            var errors = (await bad.JsonAsync())["errors"]!;
            Assert.NotNull(errors["address"]);
            Assert.NotNull(errors["port"]);
        }

        using (var created = await server.Client.PutAsJsonAsync($"/api/hosts/{name}", new { address = "10.1.2.3", user = "deploy", tags = new[] { "web", "env:prod" } }))
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var read = await server.As("operator").GetAsync($"/api/hosts/{name}");
        var host = await read.JsonAsync();
        Assert.Equal(("10.1.2.3", 22), ((string?)host["address"], (int)host["port"]!));
        Assert.Equal(["web", "env:prod"], host["tags"]!.AsArray().Select(t => (string?)t));
        using var deleted = await server.Client.DeleteAsync($"/api/hosts/{name}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    [Fact]
    public async Task An_unknown_stored_output_is_a_404()
    {
        using var response = await server.Client.GetAsync($"/api/instances/{Guid.NewGuid()}/outputs/out_0123");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
