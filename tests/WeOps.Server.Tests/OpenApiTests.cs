using System.Net;

namespace WeOps.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class OpenApiTests(ServerFixture server)
{
    [Fact]
    public async Task The_OpenAPI_document_lists_the_routes_with_the_bearer_scheme_and_their_permission()
    {
        using var response = await server.Anonymous.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.JsonAsync();
        var paths = document["paths"]!.AsObject();
        Assert.True(paths.ContainsKey("/api/keys"));
        Assert.True(paths.ContainsKey("/api/validate"));
        Assert.True(paths.ContainsKey("/health/ready"));
        Assert.Equal("bearer", (string?)document["components"]!["securitySchemes"]!["Bearer"]!["scheme"]);

        var createKey = paths["/api/keys"]!["post"]!;
        Assert.NotNull(createKey["security"]![0]!["Bearer"]);
        Assert.Contains("'admin'", (string?)createKey["description"]);
        Assert.NotNull(createKey["responses"]!["400"]);
        Assert.Contains("'definitions:read'", (string?)paths["/api/validate"]!["post"]!["description"]);
        Assert.Null(paths["/health/live"]!["get"]!["security"]);
    }
}
