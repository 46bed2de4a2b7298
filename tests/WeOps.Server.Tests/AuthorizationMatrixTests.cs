using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WeOps.Server.Auth;

namespace WeOps.Server.Tests;

/// <summary>Every route the server registers, called by every role, without a key and with a bad key.
/// A new route shows up here by itself; one that names no permission fails.</summary>
[Collection(ServerCollection.Name)]
public sealed partial class AuthorizationMatrixTests(ServerFixture server)
{
    private const string Anonymous = "anonymous";
    private const string BadKey = "bad-key";

    // Routes any valid key may call, whatever its roles: they tell the caller only about itself.
    private static readonly HashSet<string> AuthenticatedOnly = ["/api/me"];

    // API routes with no key at all: signing in, which is how a person gets a token, and the first run, which
    // creates the first admin only while nobody exists.
    private static readonly HashSet<string> AnonymousApi = ["/api/session", "/api/setup", "/api/setup/first-admin"];

    // The matrix of ADR 0005, written out again so that a change to Permissions.ByRole is a deliberate one.
    private static readonly Dictionary<string, string[]> Granted = new()
    {
        [Roles.Admin] = ["definitions:read", "definitions:write", "instances:read", "instances:operate", "tasks:work", "activities:read", "credentials:read", "inventory:read", "hooks:call", "alerts:ingest", "admin", "tickets:read", "tickets:write"],
        [Roles.Designer] = ["definitions:read", "definitions:write", "instances:read", "tasks:work", "activities:read", "credentials:read", "inventory:read", "tickets:read"],
        [Roles.Operator] = ["definitions:read", "instances:read", "instances:operate", "tasks:work", "activities:read", "credentials:read", "inventory:read", "hooks:call", "alerts:ingest", "tickets:read", "tickets:write"],
        [Roles.Approver] = ["definitions:read", "instances:read", "tasks:work", "activities:read", "tickets:read"],
        [Roles.AlertSource] = ["alerts:ingest"],
    };

    public static TheoryData<string, string, string> Calls()
    {
        var calls = new TheoryData<string, string, string>();
        foreach (var (method, pattern) in Routes.Value)
            foreach (var caller in Roles.All.Append(Anonymous).Append(BadKey))
                calls.Add(method, pattern, caller);
        return calls;
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Each_route_answers_each_caller_as_its_permission_says(string method, string pattern, string caller)
    {
        var endpoint = Endpoints(server.Services).Single(e => e.Pattern == pattern && e.Methods.Contains(method));
        var client = caller switch
        {
            Anonymous => server.Anonymous,
            BadKey => server.Server.NewClient("weops_" + new string('A', 43)),
            _ => server.As(caller),
        };

        using var request = new HttpRequestMessage(new HttpMethod(method), Fill(pattern));
        // A body of a type the route accepts, so routing does not answer 415 before authorization runs;
        // "{}" or nothing, which no route takes as a change.
        if (method is "POST" or "PUT" or "PATCH")
        {
            var mediaType = endpoint.Endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes.FirstOrDefault() ?? "application/json";
            request.Content = Http.Body(mediaType.Contains("json", StringComparison.Ordinal) ? "{}" : "", mediaType);
        }
        using var response = await client.SendAsync(request);
        var status = response.StatusCode;

        if (AuthenticatedOnly.Contains(pattern))
        {
            if (caller is Anonymous or BadKey)
                Assert.Equal(HttpStatusCode.Unauthorized, status);
            else
                Assert.Equal(HttpStatusCode.OK, status);
        }
        else if (endpoint.Permission is null)
        {
            Assert.True(status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{method} {pattern} is anonymous but gave {status}");
        }
        else if (caller is Anonymous or BadKey)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());
        }
        else if (Granted[caller].Contains(endpoint.Permission))
        {
            Assert.True(status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && (int)status < 500,
                $"{caller} has '{endpoint.Permission}' but {method} {pattern} gave {(int)status}: {await response.Content.ReadAsStringAsync()}");
        }
        else
        {
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.JsonAsync();
            Assert.Contains($"'{endpoint.Permission}'", (string?)problem["detail"]);
            Assert.Equal([endpoint.Permission], problem["missingPermissions"]!.AsArray().Select(p => (string?)p));
        }
    }

    [Fact]
    public void Every_API_route_names_a_permission()
    {
        var endpoints = Endpoints(server.Services);

        Assert.Contains(endpoints, e => e.Pattern == "/api/keys");
        Assert.All(endpoints, e =>
        {
            if (e.Permission is not null)
            {
                Assert.Contains(e.Permission, Permissions.All);
                // The metadata the tests read must be backed by the policy the server enforces.
                Assert.Contains(e.Endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>(), a => a.Policy == e.Permission);
            }
            else if (AuthenticatedOnly.Contains(e.Pattern))
            {
                Assert.NotEmpty(e.Endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>());
                Assert.Null(e.Endpoint.Metadata.GetMetadata<IAllowAnonymous>());
            }
            else
            {
                Assert.False(e.Pattern.StartsWith("/api", StringComparison.Ordinal) && !AnonymousApi.Contains(e.Pattern), $"{e.Pattern} names no permission: add .RequirePermission(...)");
                Assert.NotNull(e.Endpoint.Metadata.GetMetadata<IAllowAnonymous>());
            }
        });
    }

    [Fact]
    public void The_role_matrix_is_the_one_the_ADR_describes()
    {
        Assert.Equal(Granted.Keys.Order(), Permissions.ByRole.Keys.Order());
        foreach (var (role, permissions) in Granted)
            Assert.Equal(permissions.Order(), Permissions.ByRole[role].Order());
    }

    [Fact]
    public void The_matrix_test_covers_the_routes_of_the_running_server()
    {
        var running = Endpoints(server.Services).SelectMany(e => e.Methods.Select(m => (m, e.Pattern))).Order().ToList();

        Assert.Equal(running, Routes.Value.Order().ToList());
    }

    private sealed record RouteInfo(string Pattern, IReadOnlyList<string> Methods, string? Permission, RouteEndpoint Endpoint);

    private static List<RouteInfo> Endpoints(IServiceProvider services) => Endpoints(services.GetRequiredService<EndpointDataSource>());

    private static List<RouteInfo> Endpoints(EndpointDataSource source) =>
        source.Endpoints.OfType<RouteEndpoint>()
            .Select(e => new RouteInfo(
                "/" + e.RoutePattern.RawText!.Trim('/'),
                e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.ToList() ?? ["GET"],
                e.Metadata.GetOrderedMetadata<RequiredPermission>().LastOrDefault()?.Permission,
                e))
            .ToList();

    // The theory's rows come from a server that is built but not started (test discovery runs before any
    // fixture); until it starts, its routes are in the app's own data sources, not yet in its services.
    private static readonly Lazy<List<(string Method, string Pattern)>> Routes = new(() =>
    {
        var app = WeOpsServer.Create(RunningServer.Arguments());
        try
        {
            return Endpoints(new CompositeEndpointDataSource(((IEndpointRouteBuilder)app).DataSources)).SelectMany(e => e.Methods.Select(m => (m, e.Pattern))).ToList();
        }
        finally
        {
            ((IAsyncDisposable)app).DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    });

    /// <summary>A path for a route pattern: a fresh id where a guid goes, so nothing existing is touched.</summary>
    private static string Fill(string pattern) => Parameter().Replace(pattern, m => m.Groups["constraint"].Value switch
    {
        var c when c.Contains("guid", StringComparison.Ordinal) => Guid.NewGuid().ToString(),
        var c when c.Contains("int", StringComparison.Ordinal) || c.Contains("long", StringComparison.Ordinal) => "987654321",
        _ when m.Groups["name"].Value == "documentName" => "v1",
        _ => "no-such-thing",
    });

    [GeneratedRegex(@"\{\*{0,2}(?<name>[^}:?=]+)(?<constraint>[^}]*)\}")]
    private static partial Regex Parameter();
}
