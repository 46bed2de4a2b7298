using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace WeOps.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class ApiKeysTests(ServerFixture server)
{
    [Fact]
    public async Task A_key_is_shown_once_works_is_listed_without_its_secret_and_stops_working_when_deleted()
    {
        using var created = await server.Client.PostAsJsonAsync("/api/keys", new { name = "alertmanager", roles = new[] { "operator" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.JsonAsync();
        var id = (string)body["id"]!;
        var key = (string)body["key"]!;
        Assert.Matches("^weops_[A-Za-z0-9_-]{43}$", key);
        Assert.Equal("alertmanager", (string?)body["name"]);
        Assert.Equal(["operator"], body["roles"]!.AsArray().Select(r => (string?)r));
        Assert.Equal($"/api/keys/{id}", created.Headers.Location?.OriginalString);

        var machine = server.Server.NewClient(key);
        using (var allowed = await machine.GetAsync("/api/activities"))
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);

        using (var list = await server.Client.GetAsync("/api/keys"))
        {
            var text = await list.Content.ReadAsStringAsync();
            Assert.DoesNotContain(key, text);
            Assert.DoesNotContain(key["weops_".Length..], text);
            var listed = Assert.Single(JsonNode.Parse(text)!.AsArray(), k => (string?)k!["id"] == id)!;
            Assert.Equal("alertmanager", (string?)listed["name"]);
            Assert.Null(listed["key"]);
        }

        using (var one = await server.Client.GetAsync($"/api/keys/{id}"))
        {
            Assert.Equal(HttpStatusCode.OK, one.StatusCode);
            Assert.Null((await one.JsonAsync())["key"]);
        }

        using (var deleted = await server.Client.DeleteAsync($"/api/keys/{id}"))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        using (var refused = await machine.GetAsync("/api/activities"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("Bearer error=\"invalid_token\"", refused.Headers.WwwAuthenticate.ToString());
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        using var again = await server.Client.DeleteAsync($"/api/keys/{id}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Contains(id, (string?)(await again.JsonAsync())["detail"]);
    }

    [Fact]
    public async Task Without_a_key_the_answer_is_401_with_a_bearer_challenge()
    {
        using var response = await server.Anonymous.GetAsync("/api/keys");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        var problem = await response.JsonAsync();
        Assert.Equal(401, (int?)problem["status"]);
        Assert.Contains("Authorization: Bearer", (string?)problem["detail"]);
    }

    [Theory]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer ")]
    [InlineData("Bearer test-admin-key-0123456789abcdeX")]
    [InlineData("Bearer weops_")]
    public async Task A_wrong_authorization_header_is_401(string header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/activities");
        request.Headers.TryAddWithoutValidation("Authorization", header);

        using var response = await server.Anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_key_with_two_roles_has_the_permissions_of_both()
    {
        using var created = await server.Client.PostAsJsonAsync("/api/keys", new { name = "release bot", roles = new[] { "designer", "operator", "designer" } });
        var body = await created.JsonAsync();
        Assert.Equal(["designer", "operator"], body["roles"]!.AsArray().Select(r => (string?)r));

        var bot = server.Server.NewClient((string)body["key"]!);
        using (var keys = await bot.GetAsync("/api/keys"))
            Assert.Equal(HttpStatusCode.Forbidden, keys.StatusCode);
        using (var activities = await bot.GetAsync("/api/activities"))
            Assert.Equal(HttpStatusCode.OK, activities.StatusCode);

        using var deleted = await server.Client.DeleteAsync($"/api/keys/{(string)body["id"]!}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    public static TheoryData<string, string, string> InvalidBodies() => new()
    {
        { """{"name":"","roles":["admin"]}""", "name", "A name is required" },
        { """{"name":"   ","roles":["admin"]}""", "name", "A name is required" },
        { """{"roles":["admin"]}""", "name", "A name is required" },
        { $$"""{"name":"{{new string('n', 101)}}","roles":["admin"]}""", "name", "at most 100 characters" },
        { """{"name":"evil\nINFO forged line","roles":["admin"]}""", "name", "control characters" },
        { """{"name":"ci","roles":["root"]}""", "roles[0]", "'root' is not a role" },
        { """{"name":"ci","roles":["operator","Admin"]}""", "roles[1]", "'Admin' is not a role" },
        { """{"name":"ci","roles":[]}""", "roles", "At least one role is required" },
        { """{"name":"ci"}""", "roles", "At least one role is required" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task An_invalid_key_request_is_a_400_validation_problem_naming_the_field(string json, string field, string message)
    {
        var before = await KeyCountAsync();

        using var response = await server.Client.PostAsync("/api/keys", Http.Body(json, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal(400, (int?)problem["status"]);
        var errors = problem["errors"]!.AsObject();
        Assert.Contains(errors[field]!.AsArray(), m => ((string?)m)!.Contains(message, StringComparison.Ordinal));
        Assert.Equal(before, await KeyCountAsync());
    }

    [Fact]
    public async Task A_name_of_exactly_100_characters_is_accepted()
    {
        using var response = await server.Client.PostAsJsonAsync("/api/keys", new { name = new string('n', 100), roles = new[] { "approver" } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var deleted = await server.Client.DeleteAsync($"/api/keys/{(string)(await response.JsonAsync())["id"]!}");
    }

    private async Task<int> KeyCountAsync()
    {
        using var list = await server.Client.GetAsync("/api/keys");
        return (await list.JsonAsync()).AsArray().Count;
    }
}
