using Xunit.Abstractions;

namespace WeOps.Integration.Tests.Cluster;

/// <summary>Two nodes on one PostgreSQL database share the work, each job and timer runs once, and
/// either node answers for instances the other started.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TwoNodeTests(PostgresDatabase database, ITestOutputHelper output) : IClassFixture<PostgresDatabase>
{
    private const int Instances = 100;

    [Fact]
    public async Task Two_nodes_share_the_jobs_run_each_once_and_answer_for_each_others_instances()
    {
        using var cluster = new TestCluster(output);
        await cluster.RunAsync(async () =>
        {
            // Started together on an empty database: both create the schema at once.
            var a = cluster.StartOnPostgres("node-a", database);
            var b = cluster.StartOnPostgres("node-b", database);
            await Task.WhenAll(a.WaitReadyAsync(TestCluster.Startup), b.WaitReadyAsync(TestCluster.Startup));
            var (aId, bId) = (await TestCluster.NodeIdAsync(database, a), await TestCluster.NodeIdAsync(database, b));
            cluster.Note("both nodes ready");

            var key = await a.Client.DeployAsync(ClusterApi.Bpmn("job-then-a-timer-then-approval"));
            var ids = await a.Client.StartManyAsync(key, Instances);
            cluster.Note($"{Instances} instances started through node-a");
            await cluster.EventuallyAsync($"{Instances} open approval tasks", TimeSpan.FromSeconds(30),
                async () => (await b.Client.OpenTasksAsync()).Count, count => count == Instances);
            Assert.Equal(0, await TestCluster.CountAsync(database, "select count(*) from jobs"));

            var actors = new List<string?>();
            foreach (var id in ids)
            {
                var instance = await b.Client.InstanceAsync(id);
                Assert.Equal("waiting", (string?)instance["status"]);
                foreach (var element in new[] { "check", "settle" })
                {
                    var visits = instance.Steps(element);
                    Assert.True(visits.Count == 1 && (string?)visits[0]["outcome"] == "completed",
                        $"instance {id} has {visits.Count} visits of {element}: {string.Join("; ", visits.Select(v => v.ToJsonString()))}");
                    actors.Add((string?)visits[0]["actor"]);
                }

                Assert.Equal("active", (string?)instance.Steps("approve").Single()["outcome"]);
            }

            var byNode = actors.GroupBy(actor => actor == aId ? "node-a" : actor == bId ? "node-b" : $"unknown ({actor})").ToDictionary(g => g.Key, g => g.Count());
            cluster.Note("jobs and timers run by " + string.Join(", ", byNode.Select(n => $"{n.Key}: {n.Value}")));
            Assert.Equal(["node-a", "node-b"], byNode.Keys.Order());

            // Any node answers any request: started through A, seen and completed through B, read back from A.
            var first = ids[0];
            Assert.Equal("waiting", (string?)(await b.Client.InstanceAsync(first))["status"]);
            var task = (await b.Client.OpenTasksAsync(first)).Single()!;
            await b.Client.CompleteTaskAsync((long)task["id"]!);
            var done = await a.Client.InstanceAsync(first);
            Assert.Equal("completed", (string?)done["status"]);
            Assert.Equal("admin", (string?)done.Steps("approve").Single()["actor"]);
        });
    }
}
