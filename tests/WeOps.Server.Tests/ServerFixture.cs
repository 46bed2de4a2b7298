using System.Net;
using System.Net.Http.Json;
using WeOps.Server.Auth;

namespace WeOps.Server.Tests;

/// <summary>One server for the tests of <see cref="ServerCollection"/>, configured with
/// <see cref="RunningServer.AdminKey"/>, and a client per role with a key made through <c>/api/keys</c>.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private readonly Dictionary<string, HttpClient> byRole = [];
    private RunningServer? server;

    public RunningServer Server => server ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>Sends the configured admin key.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>Sends no key at all.</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    public IServiceProvider Services => Server.Services;

    /// <summary>Sends a stored key that holds only <paramref name="role"/>.</summary>
    public HttpClient As(string role) => byRole[role];

    public async Task InitializeAsync()
    {
        // Steps of these tests call the server itself and receivers on loopback, which the outbound policy refuses by default.
        server = await RunningServer.StartAsync([$"--Auth:AdminApiKey={RunningServer.AdminKey}", "--Outbound:Allow=127.0.0.0/8,::1"]);
        Client = server.NewClient(RunningServer.AdminKey);
        Anonymous = server.NewClient();
        foreach (var role in Roles.All)
        {
            using var response = await Client.PostAsJsonAsync("/api/keys", new { name = $"test {role}", roles = new[] { role } });
            if (response.StatusCode != HttpStatusCode.Created)
                throw new InvalidOperationException($"Creating the {role} key: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            byRole[role] = server.NewClient((string)(await response.JsonAsync())["key"]!);
        }
    }

    public async Task DisposeAsync()
    {
        if (server is not null) await server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server";
}
