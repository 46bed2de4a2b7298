using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace WeOps.Server.Tests;

/// <summary>The real server on a free loopback port, built the way the command line builds it
/// (Microsoft.AspNetCore.Mvc.Testing cannot be restored here).</summary>
public sealed class RunningServer : IAsyncDisposable
{
    /// <summary>The admin key the shared test server is configured with.</summary>
    public const string AdminKey = "test-admin-key-0123456789abcdef";

    private readonly WebApplication app;
    private readonly List<HttpClient> clients = [];

    private RunningServer(WebApplication app, Uri address)
    {
        this.app = app;
        Address = address;
    }

    public Uri Address { get; }

    public IServiceProvider Services => app.Services;

    /// <summary>The arguments every test server starts with; the content root is the test output, where the
    /// server's appsettings.json is copied, whatever directory the test runner starts in. Each server gets
    /// its own SQLite file, as SQLite serves one node.</summary>
    public static string[] Arguments(params string[] extra) =>
        ["--urls", "http://127.0.0.1:0", "--environment", "Testing", "--contentRoot", AppContext.BaseDirectory,
         $"--ConnectionStrings:WeOps=Data Source={Path.Combine(Path.GetTempPath(), "weops-tests", Guid.NewGuid().ToString("N"), "weops.db")}",
         "--Workflows:Path=" + Path.Combine(AppContext.BaseDirectory, "no-workflows"), .. extra];

    public static async Task<RunningServer> StartAsync(string[] extraArguments, Action<WebApplicationBuilder>? configure = null)
    {
        var app = WeOpsServer.Create(Arguments(extraArguments), configure);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new RunningServer(app, new Uri(address));
    }

    /// <summary>A client that sends <paramref name="key"/> as its bearer key, or no key when null.</summary>
    public HttpClient NewClient(string? key = null)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        clients.Add(client);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        clients.ForEach(c => c.Dispose());
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
