using System.Globalization;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace WeOps.Integration.Tests.Cluster;

/// <summary>A cron start event every second on two nodes sharing one PostgreSQL: each occurrence starts
/// exactly one instance, and no occurrence between the first and the last is left out.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CronAcrossNodesTests(PostgresDatabase database, ITestOutputHelper output) : IClassFixture<PostgresDatabase>
{
    private static readonly TimeSpan Running = TimeSpan.FromSeconds(7);

    [Fact]
    public async Task Each_occurrence_of_a_cron_schedule_starts_one_instance_across_two_nodes()
    {
        using var cluster = new TestCluster(output);
        await cluster.RunAsync(async () =>
        {
            var a = cluster.StartOnPostgres("node-a", database);
            var b = cluster.StartOnPostgres("node-b", database);
            await Task.WhenAll(a.WaitReadyAsync(TestCluster.Startup), b.WaitReadyAsync(TestCluster.Startup));
            cluster.Note("both nodes ready");

            var key = await a.Client.DeployAsync(ClusterApi.Bpmn("cron-every-second-starts-a-report"));
            cluster.Note("schedule published");
            await Task.Delay(Running);
            await b.Client.DeployAsync(ClusterApi.Bpmn("cron-every-second-stopped"));
            cluster.Note("schedule replaced by a version without the timer");
            Assert.Equal(0, await TestCluster.CountAsync(database, "select count(*) from schedules"));
            Assert.Equal(0, await TestCluster.CountAsync(database, "select count(*) from jobs where kind = 'schedule'"));
            var stopped = await TestCluster.CountAsync(database, "select count(*) from instances where definition_key = @key", ("key", key));

            // Nothing more starts once the version without the timer is published.
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.Equal(stopped, await TestCluster.CountAsync(database, "select count(*) from instances where definition_key = @key", ("key", key)));

            var occurrences = (await TestCluster.QueryAsync(database, "select state from instances where definition_key = @key",
                    r => (string)JsonNode.Parse(r.GetString(0))!["scopes"]![0]!["variables"]!["scheduledAt"]!, ("key", key)))
                .Select(s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture)).Order().ToList();
            cluster.Note($"{occurrences.Count} instances, {occurrences.FirstOrDefault():HH:mm:ss} to {occurrences.LastOrDefault():HH:mm:ss}");

            Assert.InRange(occurrences.Count, (int)Running.TotalSeconds - 3, (int)Running.TotalSeconds + 3);
            Assert.Equal(occurrences.Count, occurrences.Distinct().Count());
            for (var i = 1; i < occurrences.Count; i++)
                Assert.Equal(TimeSpan.FromSeconds(1), occurrences[i] - occurrences[i - 1]);
            Assert.Equal(0, await TestCluster.CountAsync(database, "select count(*) from instances where definition_key = @key and status <> 'completed'", ("key", key)));
        });
    }
}
