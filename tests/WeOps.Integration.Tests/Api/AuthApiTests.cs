using System.Net;
using System.Net.Http.Json;
using WeOps.Server.Auth;
using static WeOps.Integration.Tests.Api.WeOpsApi;

namespace WeOps.Integration.Tests.Api;

/// <summary>API keys kept in PostgreSQL: a caller without a key, or with a key whose roles do not allow
/// the call, is refused and changes nothing.</summary>
public sealed class AuthApiTests(ServerOnPostgres server) : IClassFixture<ServerOnPostgres>
{
    private const string Key = "auth-guarded";

    [Fact]
    public async Task Starting_an_instance_without_a_key_is_a_401_and_starts_nothing()
    {
        await server.Admin.DeployAsync(Bpmn("noop-check-then-approval", Key));

        using var response = await server.Anonymous.PostAsJsonAsync("/api/instances", new { definitionKey = Key });

        await response.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Empty(await server.Admin.InstancesAsync($"definitionKey={Key}"));
    }

    [Fact]
    public async Task Starting_an_instance_with_an_approver_key_is_a_403_naming_the_permission_and_starts_nothing()
    {
        await server.Admin.DeployAsync(Bpmn("noop-check-then-approval", Key));
        var approver = await server.ClientWithRoleAsync(Roles.Approver);

        using var response = await approver.PostAsJsonAsync("/api/instances", new { definitionKey = Key });

        var problem = await response.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains(Permissions.InstancesOperate, (string?)problem["detail"]);
        Assert.Empty(await server.Admin.InstancesAsync($"definitionKey={Key}"));
        // The same key may read what it may not change.
        using var read = await approver.GetAsync($"/api/instances?definitionKey={Key}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }
}
