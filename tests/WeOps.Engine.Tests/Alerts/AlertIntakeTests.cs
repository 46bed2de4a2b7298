using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WeOps.Engine.Alerts;
using WeOps.Engine.Persistence;
using WeOps.Engine.Tests.Persistence;

namespace WeOps.Engine.Tests.Alerts;

/// <summary>Alert intake on SQLite: starts, deduplication, resolved delivery and storm control.</summary>
public sealed class AlertIntakeTests : IAsyncLifetime
{
    private readonly SqliteEngine sqlite = new();
    private DurableEngine Engine => sqlite.Engine;

    public Task InitializeAsync() => sqlite.InitializeAsync();

    public Task DisposeAsync() => sqlite.DisposeAsync();

    private Task<string> PublishFixtureAsync(string name) =>
        sqlite.PublishAsync(File.ReadAllText(Path.Combine("Fixtures", "alerts", name)));

    internal static Alert DiskFull(string host, AlertStatus status = AlertStatus.Firing, string severity = "critical")
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["alertname"] = "DiskFull", ["instance"] = host, ["severity"] = severity };
        return new Alert
        {
            Source = "generic",
            Fingerprint = Alert.FingerprintOf(labels),
            Status = status,
            Labels = labels,
            StartsAt = new DateTimeOffset(2026, 5, 1, 7, 0, 0, TimeSpan.Zero),
        };
    }

    private Task<IntakeResult> ReceiveAsync(params Alert[] alerts) => Engine.Alerts.ReceiveAsync(alerts, CancellationToken.None);

    private async Task<List<AlertLogRow>> LogAsync()
    {
        await using var db = Engine.Instances.OpenDb();
        return await db.AlertLog.OrderBy(l => l.Id).ToListAsync();
    }

    [Fact]
    public async Task A_firing_alert_starts_one_instance_with_the_alert_and_repeats_are_counted_on_its_log_row()
    {
        await PublishFixtureAsync("disk-full-remediation-waits-for-resolved.bpmn");

        var first = await ReceiveAsync(DiskFull("web-1"), DiskFull("web-1"));
        var again = await ReceiveAsync(DiskFull("web-1"));

        var id = Assert.Single(first.Started);
        Assert.Equal((2, 1, 0), (first.Accepted, first.Deduplicated, first.Suppressed));
        Assert.Equal((0, 1), (again.Started.Count, again.Deduplicated));
        var detail = (await Engine.Queries.GetAsync(id, CancellationToken.None))!;
        Assert.Equal("web-1", detail.State.Variables["alert"]!["labels"]!["instance"]!.GetValue<string>());
        Assert.Equal(DiskFull("web-1").Fingerprint, detail.State.Variables["alert"]!["fingerprint"]!.GetValue<string>());
        var log = Assert.Single(await LogAsync());
        Assert.Equal((AlertOutcomes.Started, 3, id, "disk-full"), (log.Outcome, log.Count, log.InstanceId, log.ProcessKey));
    }

    [Fact]
    public async Task An_alert_no_rule_matches_is_logged_as_unmatched()
    {
        await PublishFixtureAsync("disk-full-remediation-waits-for-resolved.bpmn");

        var result = await ReceiveAsync(DiskFull("web-1", severity: "info"));

        Assert.Empty(result.Started);
        var log = Assert.Single(await LogAsync());
        Assert.Equal((AlertOutcomes.Unmatched, null), (log.Outcome, log.ProcessKey));
    }

    [Fact]
    public async Task A_resolved_alert_reaches_the_waiting_instance_which_ends_and_frees_the_fingerprint_after_the_cooldown()
    {
        await PublishFixtureAsync("disk-full-remediation-waits-for-resolved.bpmn");
        var id = Assert.Single((await ReceiveAsync(DiskFull("web-1"))).Started);
        await Engine.Worker.DrainAsync(CancellationToken.None);
        Assert.Equal("waiting", (await Engine.Queries.GetAsync(id, CancellationToken.None))!.Summary.Status);

        await ReceiveAsync(DiskFull("web-1", AlertStatus.Resolved));
        await Engine.Worker.DrainAsync(CancellationToken.None);

        var detail = (await Engine.Queries.GetAsync(id, CancellationToken.None))!;
        Assert.Equal("completed", detail.Summary.Status);
        Assert.Contains(detail.History, h => h.Kind == "Completed" && h.ElementId == "recovered");
        Assert.Equal("resolved", detail.State.Variables["alert"]!["status"]!.GetValue<string>());
        Assert.Equal(AlertOutcomes.Resolved, (await LogAsync())[^1].Outcome);

        var during = await ReceiveAsync(DiskFull("web-1"));
        Assert.Equal(1, during.Suppressed);
        Assert.Contains("cooldown", (await LogAsync())[^1].Reason, StringComparison.Ordinal);

        sqlite.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Single((await ReceiveAsync(DiskFull("web-1"))).Started);
    }

    [Fact]
    public async Task A_resolved_alert_without_an_active_instance_changes_nothing_but_the_log()
    {
        await PublishFixtureAsync("disk-full-remediation-waits-for-resolved.bpmn");

        var result = await ReceiveAsync(DiskFull("web-9", AlertStatus.Resolved));

        Assert.Empty(result.Started);
        Assert.Equal(AlertOutcomes.Unmatched, Assert.Single(await LogAsync()).Outcome);
        await using var db = Engine.Instances.OpenDb();
        Assert.Empty(await db.Jobs.ToListAsync());
    }

    [Fact]
    public async Task Max_concurrent_suppresses_starts_beyond_the_limit()
    {
        var xml = File.ReadAllText(Path.Combine("Fixtures", "alerts", "disk-full-remediation-waits-for-resolved.bpmn")).Replace("maxConcurrent=\"1000\"", "maxConcurrent=\"2\"", StringComparison.Ordinal);
        await sqlite.PublishAsync(xml);

        var result = await ReceiveAsync(DiskFull("a"), DiskFull("b"), DiskFull("c"));

        Assert.Equal((2, 1), (result.Started.Count, result.Suppressed));
        Assert.Contains("maxConcurrent", (await LogAsync()).Single(l => l.Outcome == AlertOutcomes.Suppressed).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failed_instances_open_the_breaker_once_which_suppresses_starts_until_an_operator_resets_it()
    {
        await PublishFixtureAsync("failing-remediation-opens-breaker.bpmn");
        static Alert Down(string host) => DiskFull(host) with
        {
            Labels = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["alertname"] = "ServiceDown", ["instance"] = host },
            Fingerprint = "down-" + host,
        };

        Assert.Equal(3, (await ReceiveAsync(Down("a"), Down("b"), Down("c"))).Started.Count);
        await Engine.Worker.DrainAsync(CancellationToken.None);

        var breaker = Assert.Single(await Engine.AlertBreakers.ListAsync(CancellationToken.None));
        Assert.Equal(("restart-service", "open", 3), (breaker.ProcessKey, breaker.State, breaker.Failures));
        Assert.Equal(3, breaker.Active); // faulted instances keep their fingerprints until they end
        var suppressed = await ReceiveAsync(Down("d"));
        Assert.Equal((0, 1), (suppressed.Started.Count, suppressed.Suppressed));
        Assert.Contains("circuit breaker is open", (await LogAsync())[^1].Reason, StringComparison.Ordinal);

        Assert.True(await Engine.AlertBreakers.ResetAsync("restart-service", "operator", CancellationToken.None));
        Assert.Single((await ReceiveAsync(Down("d"))).Started);
        breaker = Assert.Single(await Engine.AlertBreakers.ListAsync(CancellationToken.None));
        Assert.Equal(("closed", "operator"), (breaker.State, breaker.ResetBy));
    }

    [Fact]
    public async Task A_storm_of_5000_alerts_over_200_fingerprints_starts_200_instances()
    {
        await PublishFixtureAsync("disk-full-remediation-waits-for-resolved.bpmn");
        var alerts = Enumerable.Range(0, 5000).Select(i => DiskFull($"host-{i % 200}")).ToList();

        var started = new List<Guid>();
        var deduplicated = 0;
        foreach (var chunk in alerts.Chunk(25))
        {
            var result = await ReceiveAsync(chunk);
            started.AddRange(result.Started);
            deduplicated += result.Deduplicated;
        }

        Assert.Equal(200, started.Distinct().Count());
        Assert.Equal(4800, deduplicated);
        await using var db = Engine.Instances.OpenDb();
        Assert.Equal(200, await db.Instances.CountAsync());
        Assert.Equal(5000, await db.AlertLog.SumAsync(l => l.Count));
        Assert.Equal(200, await db.AlertFingerprints.CountAsync(f => f.Active));
    }
}
