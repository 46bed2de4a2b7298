using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using WeOps.Server;

namespace WeOps.Integration.Tests.Api;

/// <summary>The real server on a free loopback port, started in this process the way the command line
/// starts it (<see cref="WeOpsServer.Create"/>), on a PostgreSQL database of its own: use it as a class
/// fixture, so each test class has a server and a database, dropped when the class is done.</summary>
public sealed class ServerOnPostgres : IAsyncLifetime
{
    /// <summary>The admin key the server is configured with (Auth:AdminApiKey needs 24 characters or more).</summary>
    public const string AdminKey = "integration-admin-key-0123456789abcdef";

    private readonly PostgresDatabase database = new();
    private readonly string folder = Path.Combine(Path.GetTempPath(), "weops-tests", Guid.NewGuid().ToString("N"));
    private readonly List<HttpClient> clients = [];
    private WebApplication? app;
    private Uri? address;

    /// <summary>Sends the configured admin key.</summary>
    public HttpClient Admin { get; private set; } = null!;

    /// <summary>Sends no key at all.</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await database.InitializeAsync();
        // An empty workflows folder: the server publishes nothing at first start, so each class starts
        // with no definitions and no instances.
        var workflows = Directory.CreateDirectory(Path.Combine(folder, "workflows")).FullName;
        app = WeOpsServer.Create(
        [
            "--urls", "http://127.0.0.1:0",
            "--environment", "Testing",
            "--contentRoot", AppContext.BaseDirectory,
            "--Database:Provider=Postgres",
            $"--ConnectionStrings:WeOps={database.ConnectionString}",
            $"--Credentials:MasterKey={WeOps.Integration.Tests.Cluster.TestCluster.MasterKey}",
            $"--Auth:AdminApiKey={AdminKey}",
            $"--Workflows:Path={workflows}",
            // The peers the executors of these tests call (sshd, SMTP, hook receivers) listen on loopback,
            // which the outbound policy refuses unless allowed.
            "--Outbound:Allow=127.0.0.0/8,::1",
            // Request lines stay out of the test output; warnings and errors (a 500's stack trace) do not.
            "--Serilog:MinimumLevel:Default=Warning",
        ]);
        await app.StartAsync();
        address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        Admin = NewClient(AdminKey);
        Anonymous = NewClient(null);
    }

    /// <summary>A client that sends <paramref name="key"/> as its bearer key, or no key when null.</summary>
    public HttpClient NewClient(string? key)
    {
        var client = new HttpClient { BaseAddress = address ?? throw new InvalidOperationException("The server has not started."), Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        clients.Add(client);
        return client;
    }

    /// <summary>A client with a new stored key that holds only <paramref name="role"/>, made through <c>POST /api/keys</c>.</summary>
    public async Task<HttpClient> ClientWithRoleAsync(string role)
    {
        using var response = await Admin.PostAsJsonAsync("/api/keys", new { name = $"integration {role}", roles = new[] { role } });
        var created = await response.JsonAsync(HttpStatusCode.Created);
        return NewClient((string)created["key"]!);
    }

    public async Task DisposeAsync()
    {
        clients.ForEach(c => c.Dispose());
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        await database.DisposeAsync();
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }
}
