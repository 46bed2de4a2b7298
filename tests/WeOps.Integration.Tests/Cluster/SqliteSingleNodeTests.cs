using System.Net;
using Xunit.Abstractions;

namespace WeOps.Integration.Tests.Cluster;

/// <summary>SQLite serves one node: a second server on the same file stops at startup and says why,
/// and the first goes on serving.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SqliteSingleNodeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_second_node_on_the_same_sqlite_file_exits_and_says_sqlite_serves_one_node()
    {
        using var cluster = new TestCluster(output);
        await cluster.RunAsync(async () =>
        {
            string[] sqlite = ["Database:Provider=Sqlite", $"ConnectionStrings:WeOps=Data Source={Path.Combine(cluster.LogDirectory, "weops.db")}"];
            var first = cluster.Start("node-1", sqlite);
            await first.WaitReadyAsync(TestCluster.Startup);
            // A first start on an empty file logs no error: the schema exists before anything reads it
            // (the credential key ring, the API key check).
            Assert.DoesNotContain("ERR]", first.Output(), StringComparison.Ordinal);

            var second = cluster.Start("node-2", sqlite);

            Assert.True(await second.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the second node was still running after 30 s");
            cluster.Note($"node-2 exited with {second.ExitCode}");
            Assert.NotEqual(0, second.ExitCode);
            Assert.Contains("SQLite serves one node", second.Output(), StringComparison.Ordinal);
            using var ready = await first.Client.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        });
    }
}
