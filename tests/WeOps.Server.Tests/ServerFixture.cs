using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace WeOps.Server.Tests;

/// <summary>The real server on a free loopback port, started once for the tests of
/// <see cref="ServerCollection"/> (Microsoft.AspNetCore.Mvc.Testing cannot be restored here).</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private WebApplication? app;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // The content root is the test output, where the server's appsettings.json is copied,
        // whatever directory the test runner starts in.
        app = WeOpsServer.Create(["--urls", "http://127.0.0.1:0", "--environment", "Testing", "--contentRoot", AppContext.BaseDirectory]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        Client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (app is null) return;
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server";
}
