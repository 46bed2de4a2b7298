using System.Net;

namespace WeOps.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class RoutingTests(ServerFixture server)
{
    [Fact]
    public async Task An_unknown_route_is_404()
    {
        using var response = await server.Client.GetAsync("/api/no-such-thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task GET_on_validate_is_405()
    {
        using var response = await server.Client.GetAsync("/api/validate");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
