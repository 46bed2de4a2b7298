using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WeOps.Engine.Persistence;
using WeOps.Server;

namespace WeOps.Bench;

/// <summary>An alert storm against the real server (in this process, on a loopback port): 5,000 alerts in
/// 10 s over 200 fingerprints, one Alertmanager webhook call each, paced at 500/s. Counts the instances
/// (200: none lost, none doubled) and reports the intake latency.</summary>
public static class AlertStormBench
{
    private const string AdminKey = "bench-admin-key-0123456789abcdef";

    private const string Runbook = """
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
          <bpmn:message id="resolved" name="alert.resolved" />
          <bpmn:process id="storm-runbook" isExecutable="true">
            <bpmn:startEvent id="alert"><bpmn:extensionElements><ops:alert match='alertname="DiskFull"' /></bpmn:extensionElements></bpmn:startEvent>
            <bpmn:sequenceFlow id="f1" sourceRef="alert" targetRef="clean" />
            <bpmn:serviceTask id="clean"><bpmn:extensionElements><ops:task type="noop" /><ops:input name="result" value="${alert.labels.instance}" /></bpmn:extensionElements></bpmn:serviceTask>
            <bpmn:sequenceFlow id="f2" sourceRef="clean" targetRef="recovered" />
            <bpmn:intermediateCatchEvent id="recovered">
              <bpmn:extensionElements><ops:subscription correlationKey="${alert.fingerprint}" /></bpmn:extensionElements>
              <bpmn:messageEventDefinition messageRef="resolved" />
            </bpmn:intermediateCatchEvent>
            <bpmn:sequenceFlow id="f3" sourceRef="recovered" targetRef="end" />
            <bpmn:endEvent id="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var postgres = Argument(args, "--postgres");
        var total = int.Parse(Argument(args, "--alerts") ?? "5000", CultureInfo.InvariantCulture);
        var fingerprints = int.Parse(Argument(args, "--fingerprints") ?? "200", CultureInfo.InvariantCulture);
        var rate = int.Parse(Argument(args, "--rate") ?? "500", CultureInfo.InvariantCulture);
        var folder = Path.Combine(Path.GetTempPath(), "weops-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        string? pgDatabase = null;
        var connection = $"Data Source={Path.Combine(folder, "weops.db")}";
        if (postgres is not null)
        {
            pgDatabase = $"weops_bench_{Guid.NewGuid():N}";
            connection = await PostgresAsync(postgres, $"CREATE DATABASE {pgDatabase}");
            connection = new Npgsql.NpgsqlConnectionStringBuilder(postgres) { Database = pgDatabase, MaxPoolSize = 64 }.ConnectionString;
        }

        var app = WeOpsServer.Create(
        [
            "--urls", "http://127.0.0.1:0", "--environment", "Production", "--contentRoot", folder,
            $"--Database:Provider={(postgres is null ? "Sqlite" : "Postgres")}", $"--ConnectionStrings:WeOps={connection}",
            $"--Credentials:MasterKeyFile={Path.Combine(folder, "master.key")}", $"--Auth:AdminApiKey={AdminKey}",
            $"--Workflows:Path={Path.Combine(folder, "workflows")}", "--Serilog:MinimumLevel:Default=Warning",
        ]);
        try
        {
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
            (await client.PostAsync("/api/definitions", new StringContent(Runbook, Encoding.UTF8, "application/xml"))).EnsureSuccessStatusCode();
            (await client.PostAsync("/api/definitions/storm-runbook/publish", new StringContent("{}", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

            // Warm-up: shorter storms of the same kind, on a runbook of its own and on new hosts each time (each one begins
            // with its burst of starts), until the runtime has settled (WarmUp).
            var warmUp = Runbook.Replace("storm-runbook", "warm-up-runbook", StringComparison.Ordinal).Replace("DiskFull", "WarmUp", StringComparison.Ordinal);
            (await client.PostAsync("/api/definitions", new StringContent(warmUp, Encoding.UTF8, "application/xml"))).EnsureSuccessStatusCode();
            (await client.PostAsync("/api/definitions/warm-up-runbook/publish", new StringContent("{}", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
            await WarmUp.RunAsync("alert storm", round => StormAsync(client, Math.Min(total, 1000), fingerprints, rate, "WarmUp", $"warm-{round}-host"));

            var gcPauses = GC.GetTotalPauseDuration();
            var gen2 = GC.CollectionCount(2);
            var (latencies, failures, started, seconds) = await StormAsync(client, total, fingerprints, rate, "DiskFull", "host");
            gcPauses = GC.GetTotalPauseDuration() - gcPauses;
            gen2 = GC.CollectionCount(2) - gen2;

            var engine = app.Services.GetRequiredService<DurableEngine>();
            await using var db = engine.Instances.OpenDb();
            var instances = await db.Instances.CountAsync(i => i.DefinitionKey == "storm-runbook");
            var distinct = await db.AlertFingerprints.CountAsync(f => f.ProcessKey == "storm-runbook" && f.InstanceId != null);
            var counted = await db.AlertLog.Where(l => l.ProcessKey == "storm-runbook").SumAsync(l => l.Count);
            Array.Sort(latencies);
            var p50 = latencies[(int)(0.50 * (total - 1))];
            var p99 = latencies[(int)(0.99 * (total - 1))];
            output.WriteLine($"alert storm ({(postgres is null ? "sqlite" : "postgres")}): {total:N0} alerts over {fingerprints} fingerprints at {rate}/s, sent in {seconds:N1} s");
            output.WriteLine($"| instances | started (responses) | fingerprints with an instance | alerts counted in the log | failed calls | intake p50 ms | intake p99 ms | p99 < 50 ms |");
            output.WriteLine($"|---:|---:|---:|---:|---:|---:|---:|---|");
            output.WriteLine($"| {instances} | {started} | {distinct} | {counted:N0} | {failures} | {p50:N1} | {p99:N1} | {(p99 < 50 ? "yes" : "NO")} |");
            var ok = instances == fingerprints && started == fingerprints && counted == total && failures == 0;
            output.WriteLine(ok ? "counts: none lost, none doubled" : "counts: WRONG");
            output.WriteLine($"slowest calls ms: {string.Join(", ", latencies.TakeLast(5).Reverse().Select(l => l.ToString("N1", CultureInfo.InvariantCulture)))}; " +
                $"p90 {latencies[(int)(0.90 * (total - 1))].ToString("N1", CultureInfo.InvariantCulture)}; garbage collection paused {gcPauses.TotalMilliseconds:N0} ms in all ({gen2} full)");
            return ok ? 0 : 1;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (pgDatabase is not null) await PostgresAsync(postgres!, $"DROP DATABASE IF EXISTS {pgDatabase} WITH (FORCE)");
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Sends <paramref name="total"/> webhook calls paced at <paramref name="rate"/> per second, each one
    /// firing alert named <paramref name="alertname"/> on one of <paramref name="fingerprints"/> hosts (named <paramref name="hosts"/>-N).</summary>
    private static async Task<(double[] Latencies, int Failures, int Started, double Seconds)> StormAsync(HttpClient client, int total, int fingerprints, int rate, string alertname, string hosts)
    {
        var latencies = new double[total];
        var failures = 0;
        var started = 0;
        var clock = Stopwatch.StartNew();
        var calls = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            if (clock.Elapsed < due) await Task.Delay(due - clock.Elapsed);
            var index = i;
            calls.Add(Task.Run(async () =>
            {
                var watch = Stopwatch.StartNew();
                using var response = await client.PostAsync("/api/alerts/alertmanager", Payload($"{hosts}-{index % fingerprints}", alertname));
                latencies[index] = watch.Elapsed.TotalMilliseconds;
                if (response.StatusCode != HttpStatusCode.Accepted) Interlocked.Increment(ref failures);
                else Interlocked.Add(ref started, (await ReadJsonAsync(response))["started"]!.AsArray().Count);
            }));
        }

        await Task.WhenAll(calls);
        return (latencies, failures, started, clock.Elapsed.TotalSeconds);
    }

    private static StringContent Payload(string host, string alertname)
    {
        var labels = new JsonObject { ["alertname"] = alertname, ["severity"] = "critical", ["instance"] = host };
        var body = new JsonObject
        {
            ["version"] = "4",
            ["status"] = "firing",
            ["receiver"] = "weops",
            ["groupKey"] = $"{{}}:{{instance=\"{host}\"}}",
            ["alerts"] = new JsonArray(new JsonObject { ["status"] = "firing", ["labels"] = labels, ["startsAt"] = "2026-05-01T08:00:00Z", ["endsAt"] = "0001-01-01T00:00:00Z" }),
        };
        return new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
    }

    private static async Task<string> PostgresAsync(string connection, string sql)
    {
        await using var admin = new Npgsql.NpgsqlConnection(connection);
        await admin.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, admin);
        await command.ExecuteNonQueryAsync();
        return connection;
    }

    private static async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private static string? Argument(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
}
