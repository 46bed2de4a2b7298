using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using WeOps.Engine.Alerts;
using WeOps.Engine.Executors;
using WeOps.Engine.Persistence;

namespace WeOps.Integration.Tests.Alerts;

/// <summary>An Alertmanager HA pair sends each alert to two nodes at once: on PostgreSQL, the two intakes
/// race, and exactly one instance per fingerprint may start.</summary>
public sealed class AlertHaPairTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private const string Rule = """
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
          <bpmn:process id="ha-runbook" isExecutable="true">
            <bpmn:startEvent id="alert"><bpmn:extensionElements><ops:alert match='alertname="NodeDown"' /></bpmn:extensionElements></bpmn:startEvent>
            <bpmn:sequenceFlow id="f1" sourceRef="alert" targetRef="wait" />
            <bpmn:userTask id="wait" />
            <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end" />
            <bpmn:endEvent id="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    private DurableEngine Node() => new(new DatabaseOptions(DatabaseProvider.Postgres, database.ConnectionString),
        new ExecutorCatalog([new NoopExecutor()]), NullLoggerFactory.Instance);

    private static Alert NodeDown(int host) => new()
    {
        Source = "alertmanager",
        Fingerprint = $"node-down-{host}",
        Labels = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["alertname"] = "NodeDown", ["instance"] = $"host-{host}" },
        StartsAt = DateTimeOffset.UtcNow,
    };

    [Fact]
    public async Task Two_nodes_receiving_the_same_alerts_at_once_start_one_instance_per_fingerprint()
    {
        var a = Node();
        var b = Node();
        await a.Database.MigrateAsync();
        var saved = await a.Definitions.SaveDraftAsync(Rule, "test", CancellationToken.None);
        Assert.Equal("ha-runbook", saved.Key);
        await a.Definitions.PublishAsync("ha-runbook", null, "test", CancellationToken.None);

        var results = new List<IntakeResult>();
        for (var round = 0; round < 40; round++)
        {
            // The same group, in the same order, to both nodes at the same moment; plus a second group
            // in reverse order, so the two nodes also take the fingerprints in opposite orders.
            var group = Enumerable.Range(round * 3, 3).Select(NodeDown).ToList();
            using var start = new Barrier(4);
            var sends = new[]
            {
                Task.Run(() => { start.SignalAndWait(); return a.Alerts.ReceiveAsync(group, CancellationToken.None); }),
                Task.Run(() => { start.SignalAndWait(); return b.Alerts.ReceiveAsync(group, CancellationToken.None); }),
                Task.Run(() => { start.SignalAndWait(); return a.Alerts.ReceiveAsync(group.AsEnumerable().Reverse().ToList(), CancellationToken.None); }),
                Task.Run(() => { start.SignalAndWait(); return b.Alerts.ReceiveAsync(group.AsEnumerable().Reverse().ToList(), CancellationToken.None); }),
            };
            results.AddRange(await Task.WhenAll(sends));
        }

        Assert.Equal(120, results.Sum(r => r.Started.Count));
        Assert.Equal(360, results.Sum(r => r.Deduplicated));
        await using var db = a.Instances.OpenDb();
        Assert.Equal(120, await db.Instances.CountAsync());
        Assert.Equal(120, await db.AlertFingerprints.CountAsync(f => f.Active));
        Assert.Equal(480, await db.AlertLog.SumAsync(l => l.Count));
    }
}
