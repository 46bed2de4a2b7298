using System.Diagnostics;
using Xunit.Abstractions;

namespace WeOps.Integration.Tests.Cluster;

/// <summary>A node killed with SIGKILL in the middle of its work: a node started on the same database
/// finishes every instance, without running a completed job or a fired timer a second time, and without
/// waiting out the locks the dead node held.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CrashRecoveryTests(PostgresDatabase database, ITestOutputHelper output) : IClassFixture<PostgresDatabase>
{
    private const int Instances = 200;
    private static readonly string[] Steps = ["drain", "patch", "reboot", "settle", "undrain"];

    /// <summary>Short, so the restarted node need not wait long for the killed one to count as gone.</summary>
    private const string NodeLifetime = "Cluster:NodeLifetime=00:00:03";

    [Fact]
    public async Task A_node_killed_mid_run_loses_nothing_and_repeats_nothing_once_another_node_takes_over()
    {
        using var cluster = new TestCluster(output);
        await cluster.RunAsync(async () =>
        {
            var first = cluster.StartOnPostgres("node-1", database, NodeLifetime);
            await first.WaitReadyAsync(TestCluster.Startup);
            var firstId = await TestCluster.NodeIdAsync(database, first);
            var key = await first.Client.DeployAsync(ClusterApi.Bpmn("three-jobs-then-a-timer-then-a-job"));
            var ids = await first.Client.StartManyAsync(key, Instances);
            cluster.Note($"{Instances} instances started through node-1");

            var held = await KillWhileHoldingJobsAsync(first, firstId);
            var completedBeforeKill = await CompletedCountAsync();
            cluster.Note($"node-1 killed with {completedBeforeKill} instances completed, holding {held.Count} claimed jobs: {string.Join(", ", held.Select(h => h.ElementId))}");
            Assert.InRange(completedBeforeKill, 1, Instances - 1);
            Assert.NotEmpty(held);

            var second = cluster.StartOnPostgres("node-2", database, NodeLifetime);
            var restarted = Stopwatch.StartNew();
            await second.WaitReadyAsync(TestCluster.Startup);
            var secondId = await TestCluster.NodeIdAsync(database, second);
            await cluster.EventuallyAsync("every instance completed", TimeSpan.FromSeconds(60),
                async () => (await second.Client.InstancesAsync(key, "completed")).Count, count => count == Instances);
            cluster.Note($"node-2 finished the rest {restarted.Elapsed.TotalSeconds:0.0} s after it was started");

            Assert.Equal(0, await TestCluster.CountAsync(database, "select count(*) from jobs"));
            var instances = new Dictionary<string, System.Text.Json.Nodes.JsonObject>();
            await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (id, _) =>
            {
                var instance = await second.Client.InstanceAsync(id);
                lock (instances) instances[id] = instance;
            });
            foreach (var (id, instance) in instances)
            {
                Assert.True((string?)instance["status"] == "completed", $"instance {id} is {instance["status"]}");
                foreach (var step in Steps)
                {
                    var visits = instance.Steps(step);
                    Assert.True(visits.Count == 1 && (string?)visits[0]["outcome"] == "completed",
                        $"instance {id} has {visits.Count} visits of {step}: {string.Join("; ", visits.Select(v => v.ToJsonString()))}");
                    Assert.True((string?)visits[0]["actor"] is { } actor && (actor == firstId || actor == secondId), $"{step} of {id} was done by {visits[0]["actor"]}");
                }
            }

            // What the killed node held is exactly what the new node did.
            foreach (var job in held)
                Assert.Equal(secondId, (string?)instances[job.InstanceId].Steps(job.ElementId).Single()["actor"]);
        });
    }

    /// <summary>Once some instances have completed, freezes the node (SIGSTOP), lets the statements it had
    /// already sent finish, and looks at the jobs it has claimed but not finished; with some, kills it
    /// (SIGKILL) and returns them, else lets it go on and looks again. So what the test saw is what the
    /// node held when it died.</summary>
    private async Task<List<(string InstanceId, string ElementId)>> KillWhileHoldingJobsAsync(ServerNode node, string nodeId)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (await CompletedCountAsync() >= 20)
            {
                node.Freeze();
                await StatementsSettledAsync();
                var held = await HeldByAsync(nodeId);
                if (held.Count > 0 && await CompletedCountAsync() < Instances)
                {
                    await node.KillAsync();
                    // A commit the frozen node had already handed to the kernel may still land; once its
                    // connections are gone, the claims left are what it really held when it died.
                    await ConnectionsClosedAsync();
                    return await HeldByAsync(nodeId);
                }

                node.Resume();
            }

            if (watch.Elapsed > TimeSpan.FromSeconds(45) || await CompletedCountAsync() == Instances)
                throw new InvalidOperationException($"Never caught node-1 holding a job between the 20th and the last completed instance ({watch.Elapsed.TotalSeconds:0} s).");
            await Task.Delay(20);
        }
    }

    /// <summary>Waits until no other client of the test database is running a statement: a frozen node may
    /// have sent one (a step's commit, say) just before it stopped. One waiting for a lock stays blocked.</summary>
    private async Task StatementsSettledAsync()
    {
        const string running = """
            select count(*) from pg_stat_activity
            where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'
              and state = 'active' and wait_event_type is distinct from 'Lock'
            """;
        var watch = Stopwatch.StartNew();
        while (await TestCluster.CountAsync(database, running) > 0)
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(10))
                throw new TimeoutException("The frozen node's statements were still running after 10 s.");
            await Task.Delay(10);
        }
    }

    /// <summary>Waits until no other client of the test database is in a statement or a transaction: after
    /// a SIGKILL, PostgreSQL finishes or rolls back what the dead node's connections had started.</summary>
    private async Task ConnectionsClosedAsync()
    {
        const string busy = """
            select count(*) from pg_stat_activity
            where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'
              and state in ('active', 'idle in transaction', 'idle in transaction (aborted)')
            """;
        var watch = Stopwatch.StartNew();
        while (await TestCluster.CountAsync(database, busy) > 0)
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(10))
                throw new TimeoutException("The killed node's connections were still busy after 10 s.");
            await Task.Delay(10);
        }
    }

    private Task<List<(string InstanceId, string ElementId)>> HeldByAsync(string nodeId) =>
        TestCluster.QueryAsync(database, "select instance_id, element_id from jobs where lock_owner = @node",
            r => (r.GetGuid(0).ToString(), r.GetString(1)), ("node", nodeId));

    private Task<long> CompletedCountAsync() => TestCluster.CountAsync(database, "select count(*) from instances where status = 'completed'");
}
