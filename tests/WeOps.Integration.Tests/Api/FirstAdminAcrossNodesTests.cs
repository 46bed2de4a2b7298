using System.Net;
using System.Net.Http.Json;

namespace WeOps.Integration.Tests.Api;

/// <summary>The first run on two nodes of one PostgreSQL database: requests that race to create the first admin,
/// on either node, make exactly one admin; every other one is told WeOps is already set up.</summary>
public sealed class FirstAdminAcrossNodesTests(TwoNodesOnPostgres nodes) : IClassFixture<TwoNodesOnPostgres>
{
    [Fact]
    public async Task Concurrent_first_admin_requests_on_two_nodes_create_exactly_one_admin()
    {
        using var a = new HttpClient { BaseAddress = nodes.A, Timeout = TimeSpan.FromSeconds(60) };
        using var b = new HttpClient { BaseAddress = nodes.B, Timeout = TimeSpan.FromSeconds(60) };
        using var start = new ManualResetEventSlim();
        var requests = Enumerable.Range(0, 12).Select(i => Task.Run(async () =>
        {
            start.Wait();
            using var response = await (i % 2 == 0 ? a : b).PostAsJsonAsync("/api/setup/first-admin",
                new { username = $"admin{i}", password = "the first admin's password" });
            return response.StatusCode;
        })).ToList();
        start.Set();
        var answers = await Task.WhenAll(requests);

        Assert.Equal(1, answers.Count(s => s == HttpStatusCode.Created));
        Assert.All(answers.Where(s => s != HttpStatusCode.Created), s => Assert.Equal(HttpStatusCode.Conflict, s));
        using var admin = new HttpClient { BaseAddress = nodes.B };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TwoNodesOnPostgres.AdminKey);
        var users = await admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>("/api/users");
        Assert.Single(users!);
    }
}
