using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;

namespace WeOps.Integration.Tests.Cluster;

/// <summary>SQLite serves one node: a second server on the same file stops at startup and says why,
/// and the first goes on serving; a server restarted after the first was killed starts at once.</summary>
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

    [Fact]
    public async Task A_node_restarted_one_second_after_kill_9_starts_and_its_timer_and_user_task_go_on_once()
    {
        using var cluster = new TestCluster(output);
        await cluster.RunAsync(async () =>
        {
            // The default node lifetime (30 s): the restart must not wait it out.
            string[] sqlite = ["Database:Provider=Sqlite", $"ConnectionStrings:WeOps=Data Source={Path.Combine(cluster.LogDirectory, "weops.db")}"];
            var first = cluster.Start("node-1", sqlite);
            await first.WaitReadyAsync(TestCluster.Startup);
            var approvalKey = await first.Client.DeployAsync(ClusterApi.Bpmn("job-then-a-timer-then-approval"));
            var timerKey = await first.Client.DeployAsync(ClusterApi.Bpmn("a-timer-then-a-job"));
            var approvalId = (await first.Client.StartManyAsync(approvalKey, 1))[0];
            var task = await cluster.EventuallyAsync("the user task open", TimeSpan.FromSeconds(30),
                async () => await first.Client.OpenTasksAsync(approvalId), tasks => tasks.Count == 1);
            var timerId = (await first.Client.StartManyAsync(timerKey, 1))[0];
            Assert.DoesNotContain((await first.Client.InstanceAsync(timerId)).Steps("wait"), s => (string?)s["outcome"] == "completed");

            await first.KillAsync();
            await Task.Delay(TimeSpan.FromSeconds(1));
            var second = cluster.Start("node-2", sqlite);
            var restart = Stopwatch.StartNew();
            await second.WaitReadyAsync(TestCluster.Startup);
            cluster.Note($"node-2 ready {restart.Elapsed.TotalSeconds:0.0} s after it was started");
            Assert.Contains($"process {first.ProcessId} on this host) no longer runs", second.Output(), StringComparison.Ordinal);

            await cluster.EventuallyAsync("the timer instance completed", TimeSpan.FromSeconds(60),
                async () => (string?)(await second.Client.InstanceAsync(timerId))["status"], status => status == "completed");
            var timed = await second.Client.InstanceAsync(timerId);
            var fired = Assert.Single(timed.Steps("wait"));
            Assert.Equal("completed", (string?)fired["outcome"]);
            Assert.Contains($":{second.ProcessId}:", (string?)fired["actor"], StringComparison.Ordinal);
            Assert.Single(timed.Steps("after"));

            await second.Client.CompleteTaskAsync((long)task[0]!["id"]!);
            await cluster.EventuallyAsync("the approval instance completed", TimeSpan.FromSeconds(30),
                async () => (string?)(await second.Client.InstanceAsync(approvalId))["status"], status => status == "completed");
            var approved = await second.Client.InstanceAsync(approvalId);
            foreach (var step in new[] { "check", "settle", "approve", "end" })
                Assert.True(approved.Steps(step).Count == 1, $"{step} was visited {approved.Steps(step).Count} times");
        });
    }
}
