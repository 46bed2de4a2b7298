using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WeOps.Server.Auth;

namespace WeOps.Server.Tests;

/// <summary>Every error is application/problem+json and says what was wrong.</summary>
[Collection(ServerCollection.Name)]
public sealed class ProblemDetailsTests(ServerFixture server)
{
    [Theory]
    [InlineData("""{"name": "ci",""", "line 1, byte 14")]
    [InlineData("{\n  \"name\": \"ci\",\n  \"roles\": [\"admin\"\n}", "line 4, byte 1")]
    [InlineData("""{name: "ci"}""", "line 1, byte 2")]
    [InlineData("""{"name": 5, "roles": ["admin"]}""", "path $.name")]
    public async Task Malformed_JSON_is_a_400_that_names_where_it_breaks(string json, string where)
    {
        using var response = await server.Client.PostAsync("/api/keys", Http.Body(json, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = (string?)(await response.JsonAsync())["detail"];
        Assert.StartsWith("The body is not valid JSON", detail);
        Assert.Contains(where, detail);
        Assert.DoesNotContain("WeOps.", detail);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    public async Task An_empty_or_null_JSON_body_is_a_400(string json)
    {
        using var response = await server.Client.PostAsync("/api/keys", Http.Body(json, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("send a JSON object", (string?)(await response.JsonAsync())["detail"]);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task A_JSON_endpoint_refuses_another_content_type_with_415(string mediaType)
    {
        using var response = await server.Client.PostAsync("/api/keys", Http.Body("""{"name":"ci","roles":["admin"]}""", mediaType));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = (string?)(await response.JsonAsync())["detail"];
        Assert.Contains(mediaType, detail);
        Assert.Contains("application/json", detail);
    }

    // Expect: 100-continue lets the server refuse on the Content-Length before the body is sent.
    [Fact]
    public async Task A_JSON_body_over_1_MB_is_a_413_that_names_the_limit()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/keys") { Content = JsonOfSize(2 * 1024 * 1024) };
        request.Headers.ExpectContinue = true;

        using var response = await server.Client.SendAsync(request);

        await AssertJsonTooLargeAsync(response);
    }

    [Fact]
    public async Task A_chunked_JSON_body_over_1_MB_is_a_413_when_the_limit_is_passed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/keys") { Content = JsonOfSize(1024 * 1024 + 16 * 1024) };
        request.Headers.TransferEncodingChunked = true;

        using var response = await server.Client.SendAsync(request);

        await AssertJsonTooLargeAsync(response);
    }

    [Fact]
    public async Task A_JSON_body_just_under_1_MB_is_read()
    {
        using var response = await server.Client.PostAsync("/api/keys", JsonOfSize(1024 * 1024 - 1024));

        // Read and validated: the padding is a 1 MB name.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.JsonAsync())["errors"]!["name"]);
    }

    [Fact]
    public async Task Unknown_routes_and_wrong_methods_are_problems_too()
    {
        using var notFound = await server.Client.GetAsync("/api/no-such-thing");
        using var notAllowed = await server.Client.PutAsync("/api/keys", Http.Body("{}", "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal("application/problem+json", notFound.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, notAllowed.StatusCode);
        Assert.Equal("application/problem+json", notAllowed.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_unhandled_exception_is_a_500_problem_without_the_exception_and_the_stack_is_logged()
    {
        var log = Path.Combine(Path.GetTempPath(), $"weops-test-{Guid.NewGuid():N}.log");
        try
        {
            await using (var broken = await RunningServer.StartAsync(
                [$"--Auth:AdminApiKey={RunningServer.AdminKey}", "--Serilog:WriteTo:0:Name=File", $"--Serilog:WriteTo:0:Args:path={log}"],
                builder => builder.Services.AddSingleton<IApiKeyStore, BrokenKeyStore>()))
            {
                using var response = await broken.NewClient("weops_" + new string('A', 43)).GetAsync("/api/activities");

                Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                var body = await response.Content.ReadAsStringAsync();
                Assert.DoesNotContain(BrokenKeyStore.Message, body);
                Assert.DoesNotContain(nameof(BrokenKeyStore), body);
                Assert.DoesNotContain(" at ", body);
                Assert.Equal(500, (int?)(await response.JsonAsync())["status"]);
            }

            var logged = await File.ReadAllTextAsync(log);
            Assert.Contains(BrokenKeyStore.Message, logged);
            Assert.Contains("at WeOps.Server.Tests.ProblemDetailsTests.BrokenKeyStore.FindAsync", logged);
        }
        finally
        {
            File.Delete(log);
        }
    }

    private static HttpContent JsonOfSize(int size)
    {
        const string start = "{\"roles\":[\"admin\"],\"name\":\"";
        const string end = "\"}";
        return Http.Body(start + new string('n', size - start.Length - end.Length) + end, "application/json");
    }

    private static async Task AssertJsonTooLargeAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("at most 1,048,576 bytes (1 MB)", (string?)(await response.JsonAsync())["detail"]);
    }

    private sealed class BrokenKeyStore : IApiKeyStore
    {
        public const string Message = "connection to the key database lost (secret detail)";

        public Task<ApiKeyPrincipal?> FindAsync(string presentedKey, CancellationToken cancellationToken) => throw new InvalidOperationException(Message);
        public Task AddAsync(ApiKey key, byte[] keyHash, CancellationToken cancellationToken, WeOps.Engine.Persistence.AuditNote? audit = null) => throw new InvalidOperationException(Message);
        public Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken) => throw new InvalidOperationException(Message);
        public Task<ApiKey?> GetAsync(Guid id, CancellationToken cancellationToken) => throw new InvalidOperationException(Message);
        public Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken, WeOps.Engine.Persistence.AuditNote? audit = null) => throw new InvalidOperationException(Message);
        public Task<bool> AnyAsync(CancellationToken cancellationToken) => Task.FromResult(false);
    }
}
