using System.Diagnostics;
using System.Net.Http.Json;
using Xunit.Abstractions;

namespace WeOps.Integration.Tests.Cluster;

/// <summary>SIGTERM stops a server within its shutdown timeout whatever it is evaluating: a script that would run for
/// minutes holds no lock the shutdown needs, and is abandoned with the process.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ShutdownTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Sigterm_stops_a_server_evaluating_a_script_that_runs_for_minutes_within_its_shutdown_timeout()
    {
        using var cluster = new TestCluster(output);
        await cluster.RunAsync(async () =>
        {
            var node = cluster.Start("node-1", "Database:Provider=Sqlite", $"ConnectionStrings:WeOps=Data Source={Path.Combine(cluster.LogDirectory, "weops.db")}",
                $"shutdownTimeoutSeconds={ShutdownTimeout.TotalSeconds:0}", "Expressions:Timeout=00:05:00", "Expressions:MaxStatements=174762");
            await node.WaitReadyAsync(TestCluster.Startup);
            var key = await node.Client.DeployAsync(ClusterApi.Bpmn("script-runs-past-the-shutdown-timeout"));

            // The start evaluates the script before it answers: the request stays open while the script runs.
            using var client = new HttpClient { BaseAddress = node.Address, Timeout = Timeout.InfiniteTimeSpan };
            client.DefaultRequestHeaders.Authorization = node.Client.DefaultRequestHeaders.Authorization;
            var start = client.PostAsJsonAsync("/api/instances", new { definitionKey = key });
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.False(start.IsCompleted, "the start answered within 3 s: the script does not run long enough to show anything");

            var watch = Stopwatch.StartNew();
            node.Terminate();
            var exited = await node.WaitForExitAsync(ShutdownTimeout + TimeSpan.FromSeconds(5));
            cluster.Note($"node-1 {(exited ? $"exited with {node.ExitCode}" : "was still running")} {watch.Elapsed.TotalSeconds:N1} s after SIGTERM");
            Assert.True(exited, $"the server was still running {watch.Elapsed.TotalSeconds:N0} s after SIGTERM, with a shutdown timeout of {ShutdownTimeout.TotalSeconds:N0} s");
            try
            {
                (await start).Dispose();
            }
            catch (HttpRequestException)
            {
                // The server went away before it answered, as it should.
            }
        });
    }
}
