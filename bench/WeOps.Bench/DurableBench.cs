using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using WeOps.Engine.Executors;
using WeOps.Engine.Expressions;
using WeOps.Engine.Persistence;

namespace WeOps.Bench;

/// <summary>The engine on a real database, every service task a durable job: throughput and latency of
/// whole instances. SQLite in a temporary file, or PostgreSQL with --postgres "connection string"
/// (a role that may create databases; each scenario gets a fresh database, dropped afterwards).</summary>
public static class DurableBench
{
    public sealed record Row(string Scenario, string Database, int Instances, double Seconds, double PerSecond, double P50Ms, double P99Ms, string Extra, string Target, bool? Met);

    public static async Task<IReadOnlyList<Row>> RunAsync(string[] args)
    {
        var postgres = Argument(args, "--postgres") ?? Environment.GetEnvironmentVariable("WEOPS_BENCH_POSTGRES");
        var scale = double.Parse(Argument(args, "--scale") ?? "1", CultureInfo.InvariantCulture);
        int N(int full) => Math.Max(10, (int)(full * scale));
        // --filter straight|fan-out|timers|wait|schedules|runaway runs only the scenarios whose name contains it;
        // --db sqlite|postgres only that database (e.g. for a profiler).
        var only = Argument(args, "--filter");
        bool Wanted(string name) => only is null || name.Contains(only, StringComparison.OrdinalIgnoreCase);
        var databases = Argument(args, "--db") is { } db ? [db] : postgres is null ? new[] { "sqlite" } : ["sqlite", "postgres"];
        var rows = new List<Row>();
        foreach (var database in databases)
        {
            if (Wanted("straight-through")) rows.Add(await WithEngine(database, postgres, e => StraightThrough(e, database, N(5_000))));
            if (Wanted("fan-out")) rows.Add(await WithEngine(database, postgres, e => FanOut(e, database, N(2_000))));
            if (Wanted("timers")) rows.Add(await WithEngine(database, postgres, e => Timers(e, database, N(10_000))));
            if (Wanted("wait-and-resume")) rows.AddRange(await WithEngine(database, postgres, e => WaitAndResume(e, database, N(100_000))));
            if (Wanted("schedules")) rows.Add(await WithEngine(database, postgres, e => Schedules(e, database, N(200), TimeSpan.FromSeconds(10))));
            if (Wanted("runaway")) rows.Add(await WithEngine(database, postgres, e => BesideARunaway(e, database, 200), RunawayLimits));
        }

        return rows;
    }

    public static void Print(IReadOnlyList<Row> rows, TextWriter output)
    {
        string[] headers = ["scenario", "db", "instances", "s", "per s", "p50 ms", "p99 ms", "other", "target", "met"];
        var cells = rows.Select(r => new[]
        {
            r.Scenario, r.Database, r.Instances.ToString("N0", CultureInfo.InvariantCulture), r.Seconds.ToString("N1", CultureInfo.InvariantCulture),
            r.PerSecond.ToString("N0", CultureInfo.InvariantCulture), r.P50Ms.ToString("N1", CultureInfo.InvariantCulture), r.P99Ms.ToString("N1", CultureInfo.InvariantCulture),
            r.Extra, r.Target, r.Met is null ? "" : r.Met.Value ? "yes" : "NO",
        }).ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(c => c[i].Length))).ToArray();
        string Line(IReadOnlyList<string> c) => "| " + string.Join(" | ", c.Select((x, i) => i is 0 or 1 or 7 or 8 ? x.PadRight(widths[i]) : x.PadLeft(widths[i]))) + " |";
        output.WriteLine(Line(headers));
        output.WriteLine("|" + string.Join("|", widths.Select((w, i) => i is 0 or 1 or 7 or 8 ? new string('-', w + 2) : new string('-', w + 1) + ":")) + "|");
        foreach (var c in cells) output.WriteLine(Line(c));
    }

    private const string StraightThroughBody = """
        <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="a" />
        <bpmn:serviceTask id="a"><bpmn:extensionElements><ops:task type="noop" /></bpmn:extensionElements></bpmn:serviceTask>
        <bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="b" />
        <bpmn:serviceTask id="b"><bpmn:extensionElements><ops:task type="noop" /></bpmn:extensionElements></bpmn:serviceTask>
        <bpmn:sequenceFlow id="f3" sourceRef="b" targetRef="c" />
        <bpmn:serviceTask id="c"><bpmn:extensionElements><ops:task type="noop" /><ops:input name="result" value="${n}" /></bpmn:extensionElements></bpmn:serviceTask>
        <bpmn:sequenceFlow id="f4" sourceRef="c" targetRef="gw" />
        <bpmn:exclusiveGateway id="gw" default="f6" />
        <bpmn:sequenceFlow id="f5" sourceRef="gw" targetRef="even"><bpmn:conditionExpression>${result % 2 == 0}</bpmn:conditionExpression></bpmn:sequenceFlow>
        <bpmn:sequenceFlow id="f6" sourceRef="gw" targetRef="odd" />
        <bpmn:endEvent id="even" /><bpmn:endEvent id="odd" />
        """;

    /// <summary>The runaway scenario's limits: a script may run 10 s, and a million statements, so the time limit stops
    /// the spinning script while the straight-through instances run beside it.</summary>
    private static readonly ExpressionLimits RunawayLimits = ExpressionLimits.Default with { Timeout = TimeSpan.FromSeconds(10), MaxStatements = 174_762 };

    /// <summary>Statements that each scan a 262,144-element array, in a loop that never ends: only the time limit stops it.</summary>
    private const string Spin = """
        var s = 'h';
        for (var i = 0; i < 18; i++) s += s;
        var hosts = s.split('');
        while (true) { hosts.indexOf('x'); }
        """;

    private static async Task<Row> StraightThrough(DurableEngine engine, string db, int count)
    {
        var key = await PublishWarm(engine, "straight-through", i => new JsonObject { ["n"] = i }, StraightThroughBody);
        var (seconds, latencies, cpu) = await RunToCompletion(engine, key, count, i => new JsonObject { ["n"] = i });
        return Completed("straight-through (3 jobs + gateway)", db, count, seconds, latencies, cpu, ">= 1,000/s, p99 < 50 ms (PostgreSQL)",
            db == "postgres" ? count / seconds >= 1000 && Percentile(latencies, 0.99) < 50 : null);
    }

    /// <summary>Straight-through instances started while another instance's script spins until its time limit stops it:
    /// their start-to-end latency. A step is evaluated before it takes a lock or joins a transaction (ADR 0017), so the
    /// spinning script holds up nothing of theirs.</summary>
    private static async Task<Row> BesideARunaway(DurableEngine engine, string db, int count)
    {
        var key = await PublishWarm(engine, "beside-a-runaway", i => new JsonObject { ["n"] = i }, StraightThroughBody);
        var runawayKey = await Publish(engine, "runaway", $"""
            <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="spin" />
            <bpmn:scriptTask id="spin" scriptFormat="javascript"><bpmn:script><![CDATA[{Spin}]]></bpmn:script></bpmn:scriptTask>
            <bpmn:sequenceFlow id="f2" sourceRef="spin" targetRef="end" /><bpmn:endEvent id="end" />
            """);
        // The same instances first with nothing spinning: on a machine of two cores the spinning script takes one.
        var alone = await Publish(engine, "without-a-runaway", StraightThroughBody);
        var (_, withoutIt, _) = await RunToCompletion(engine, alone, count, i => new JsonObject { ["n"] = i });

        var spinning = Task.Run(() => engine.Instances.StartAsync(runawayKey, null, null, null, CancellationToken.None));
        await Task.Delay(200);
        var (seconds, latencies, cpu) = await RunToCompletion(engine, key, count, i => new JsonObject { ["n"] = i });
        var besideIt = !spinning.IsCompleted;
        var incident = (await spinning).Incidents.FirstOrDefault()?.Message ?? "no incident";
        return Completed($"{count} straight-through beside a script spinning {RunawayLimits.Timeout.TotalSeconds:N0} s", db, count, seconds, latencies,
            $"without it p50 {Percentile(withoutIt, 0.5).ToString("N1", CultureInfo.InvariantCulture)} ms, p99 {Percentile(withoutIt, 0.99).ToString("N1", CultureInfo.InvariantCulture)} ms; all ended while it spun: {(besideIt ? "yes" : "NO")}; it ended: ...{incident[Math.Max(0, incident.Length - 24)..]}",
            "p99 < 100 ms, all ended while it spun",
            besideIt && Percentile(latencies, 0.99) < 100);
    }

    private static async Task<Row> FanOut(DurableEngine engine, string db, int count)
    {
        var branches = string.Concat(Enumerable.Range(1, 10).Select(i => $"""
            <bpmn:sequenceFlow id="o{i}" sourceRef="fork" targetRef="t{i}" />
            <bpmn:serviceTask id="t{i}"><bpmn:extensionElements><ops:task type="noop" /></bpmn:extensionElements></bpmn:serviceTask>
            <bpmn:sequenceFlow id="i{i}" sourceRef="t{i}" targetRef="join" />
            """));
        var key = await PublishWarm(engine, "fan-out", _ => null, $"""
            <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fork" />
            <bpmn:parallelGateway id="fork" />{branches}<bpmn:parallelGateway id="join" />
            <bpmn:sequenceFlow id="f2" sourceRef="join" targetRef="end" /><bpmn:endEvent id="end" />
            """);
        var (seconds, latencies, cpu) = await RunToCompletion(engine, key, count, _ => null);
        return Completed("parallel fan-out (10 jobs + join)", db, count, seconds, latencies, cpu, ">= 300/s (PostgreSQL)",
            db == "postgres" ? count / seconds >= 300 : null);
    }

    private static async Task<Row> Timers(DurableEngine engine, string db, int count)
    {
        var key = await Publish(engine, "timers", """
            <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="at" />
            <bpmn:intermediateCatchEvent id="at"><bpmn:timerEventDefinition><bpmn:timeDate>${due}</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
            <bpmn:sequenceFlow id="f2" sourceRef="at" targetRef="end" /><bpmn:endEvent id="end" />
            """);
        // Arm every timer first (they wait for a moment far enough ahead), then measure from that moment.
        var due = DateTimeOffset.UtcNow.AddSeconds(count / 200.0 + 20);
        await StartMany(engine, key, count, _ => new JsonObject { ["due"] = due.ToString("O", CultureInfo.InvariantCulture) }, 8);
        while (DateTimeOffset.UtcNow < due) await Task.Delay(50);
        var watch = Stopwatch.StartNew();
        await WaitForCompleted(engine, key, count, TimeSpan.FromMinutes(5));
        var seconds = watch.Elapsed.TotalSeconds;
        await using var context = engine.Instances.OpenDb();
        var fired = await context.History.CountAsync(h => h.Kind == "Completed" && h.ElementId == "at");
        return new Row("timers due in the same second", db, count, seconds, count / seconds, 0, 0, $"fired {fired:N0}", "all fire within 5 s, each once",
            seconds < 5 && fired == count);
    }

    /// <summary>Many processes with a cron start event every second: each occurrence starts one instance;
    /// the latency is from the occurrence to the instance's start.</summary>
    private static async Task<Row> Schedules(DurableEngine engine, string db, int processes, TimeSpan running)
    {
        var keys = new List<string>();
        for (var i = 0; i < processes; i++)
        {
            keys.Add(await Publish(engine, $"cron-{i}", """
                <bpmn:startEvent id="tick"><bpmn:extensionElements><ops:cron expression="*/1 * * * * ?" /></bpmn:extensionElements><bpmn:timerEventDefinition /></bpmn:startEvent>
                <bpmn:sequenceFlow id="f1" sourceRef="tick" targetRef="end" /><bpmn:endEvent id="end" />
                """));
        }

        var from = DateTimeOffset.UtcNow;
        await Task.Delay(running);
        // Stop the schedules (a version without the timer) and let what is under way finish.
        foreach (var key in keys)
            await Publish(engine, key, """<bpmn:startEvent id="tick" /><bpmn:sequenceFlow id="f1" sourceRef="tick" targetRef="end" /><bpmn:endEvent id="end" />""");
        var seconds = (DateTimeOffset.UtcNow - from).TotalSeconds;
        await Task.Delay(TimeSpan.FromSeconds(1));

        await using var context = engine.Instances.OpenDb();
        var rows = await context.Instances.AsNoTracking().Where(i => i.Version == 1).Select(i => new { i.DefinitionKey, i.StartedAt, i.State }).ToListAsync();
        var started = rows.Select(r => (r.DefinitionKey, At: DateTimeOffset.Parse((string)JsonNode.Parse(r.State)!["scopes"]![0]!["variables"]![ScheduleRunner.OccurrenceVariable]!, CultureInfo.InvariantCulture),
            r.StartedAt)).ToList();
        var duplicates = started.Count - started.Select(s => (s.DefinitionKey, s.At)).Distinct().Count();
        var gaps = started.GroupBy(s => s.DefinitionKey).Sum(g =>
        {
            var times = g.Select(s => s.At).Order().ToList();
            return times.Zip(times.Skip(1), (a, b) => (int)Math.Round((b - a).TotalSeconds) - 1).Sum();
        });
        var lateness = started.Select(s => (DateTime.SpecifyKind(s.StartedAt, DateTimeKind.Utc) - s.At.UtcDateTime).TotalMilliseconds).Order().ToList();
        return new Row($"schedules: {processes} crons every second", db, started.Count, seconds, started.Count / seconds, Percentile(lateness, 0.5), Percentile(lateness, 0.99),
            $"duplicates {duplicates}, gaps {gaps}", "each occurrence once, no gaps", duplicates == 0 && gaps == 0);
    }

    private static async Task<IReadOnlyList<Row>> WaitAndResume(DurableEngine engine, string db, int count)
    {
        const string body = """
            <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="approve" />
            <bpmn:userTask id="approve" /><bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="end" /><bpmn:endEvent id="end" />
            """;
        var warm = await Publish(engine, "wait-and-resume-warm-up", body);
        await WarmUp.RunAsync("wait-and-resume", async _ =>
        {
            await StartMany(engine, warm, 100, i => new JsonObject { ["n"] = i }, 8);
            foreach (var task in await engine.Queries.TasksAsync(new TaskFilter(Limit: 100), CancellationToken.None))
                await engine.Commands.CompleteTaskAsync(task.Id, null, "bench", CancellationToken.None);
        });

        var key = await Publish(engine, "wait-and-resume", body);
        var watch = Stopwatch.StartNew();
        await StartMany(engine, key, count, i => new JsonObject { ["n"] = i }, 8);
        var startSeconds = watch.Elapsed.TotalSeconds;
        GC.Collect();
        var rss = Process.GetCurrentProcess().WorkingSet64 / 1024.0 / 1024.0;
        var tasks = await engine.Queries.TasksAsync(new TaskFilter(Limit: count), CancellationToken.None);
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        watch.Restart();
        await Parallel.ForEachAsync(tasks, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (task, ct) =>
        {
            var one = Stopwatch.StartNew();
            await engine.Commands.CompleteTaskAsync(task.Id, null, "bench", ct);
            latencies.Add(one.Elapsed.TotalMilliseconds);
        });
        var seconds = watch.Elapsed.TotalSeconds;
        var sorted = latencies.Order().ToList();
        return
        [
            new Row("wait: start instances to a user task", db, count, startSeconds, count / startSeconds, 0, 0, $"RSS {rss:N0} MB", "RSS < 400 MB at 100,000", null),
            new Row("resume: complete their tasks", db, tasks.Count, seconds, tasks.Count / seconds, Percentile(sorted, 0.5), Percentile(sorted, 0.99), "", ">= 1,000/s, p99 < 20 ms (PostgreSQL)",
                db == "postgres" ? tasks.Count / seconds >= 1000 && Percentile(sorted, 0.99) < 20 : null),
        ];
    }

    /// <summary>Runs <paramref name="count"/> instances to their end: wall time, start-to-end latencies (sorted), and
    /// this process's CPU and allocations per instance, the figure to compare across changes on a machine too noisy for rates.</summary>
    private static async Task<(double Seconds, List<double> Latencies, string Cpu)> RunToCompletion(DurableEngine engine, string key, int count, Func<int, JsonObject?> variables)
    {
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var againBefore = engine.Instances.StepsEvaluatedAgain;
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var watch = Stopwatch.StartNew();
        await StartMany(engine, key, count, variables, 4);
        await WaitForCompleted(engine, key, count, TimeSpan.FromMinutes(10));
        var seconds = watch.Elapsed.TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / count;
        var allocated = (GC.GetTotalAllocatedBytes() - allocatedBefore) / 1024.0 / count;
        await using var db = engine.Instances.OpenDb();
        var times = await db.Instances.AsNoTracking().Where(i => i.DefinitionKey == key).Select(i => new { i.StartedAt, i.EndedAt }).ToListAsync();
        var latencies = times.Select(t => (t.EndedAt!.Value - t.StartedAt).TotalMilliseconds).Order().ToList();
        var again = engine.Instances.StepsEvaluatedAgain - againBefore;
        return (seconds, latencies, $"engine CPU {cpu.ToString("N2", CultureInfo.InvariantCulture)} ms, {allocated.ToString("N0", CultureInfo.InvariantCulture)} KB allocated /instance"
            + (again > 0 ? $", {again:N0} steps evaluated again" : ""));
    }

    private static async Task StartMany(DurableEngine engine, string key, int count, Func<int, JsonObject?> variables, int concurrency) =>
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (i, ct) => await engine.Instances.StartAsync(key, null, variables(i), null, ct));

    private static async Task WaitForCompleted(DurableEngine engine, string key, int count, TimeSpan deadline)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < deadline)
        {
            await using var db = engine.Instances.OpenDb();
            if (await db.Instances.CountAsync(i => i.DefinitionKey == key && i.Status == "completed") >= count) return;
            await Task.Delay(50);
        }

        throw new TimeoutException($"{key}: not all {count} instances completed within {deadline}.");
    }

    private static Row Completed(string name, string db, int count, double seconds, List<double> latencies, string cpu, string target, bool? met) =>
        new(name, db, count, seconds, count / seconds, Percentile(latencies, 0.5), Percentile(latencies, 0.99), cpu, target, met);

    /// <summary>Publishes <paramref name="key"/>, and first runs the same process under another key, 100 instances at a
    /// time, until the runtime has settled (<see cref="WarmUp"/>).</summary>
    private static async Task<string> PublishWarm(DurableEngine engine, string key, Func<int, JsonObject?> variables, string body)
    {
        var warm = await Publish(engine, key + "-warm-up", body);
        await WarmUp.RunAsync(key, async round =>
        {
            await StartMany(engine, warm, 100, variables, 4);
            await WaitForCompleted(engine, warm, 100 * round, TimeSpan.FromMinutes(2));
        });

        return await Publish(engine, key, body);
    }

    private static async Task<string> Publish(DurableEngine engine, string key, string body)
    {
        var xml = $"""
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="bench">
              <bpmn:process id="{key}" isExecutable="true">{body}</bpmn:process>
            </bpmn:definitions>
            """;
        var saved = await engine.Definitions.SaveDraftAsync(xml, "bench", CancellationToken.None);
        await engine.Definitions.PublishAsync(saved.Key ?? throw new InvalidOperationException(string.Join("; ", saved.Problems)), null, "bench", CancellationToken.None);
        return key;
    }

    private static async Task<T> WithEngine<T>(string database, string? postgres, Func<DurableEngine, Task<T>> run, ExpressionLimits? limits = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "weops-bench", Guid.NewGuid().ToString("N"));
        var name = $"weops_bench_{Guid.NewGuid():N}";
        DatabaseOptions options;
        if (database == "sqlite")
        {
            options = new DatabaseOptions(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, "bench.db")}");
        }
        else
        {
            await using var admin = new NpgsqlConnection(postgres);
            await admin.OpenAsync();
            await using (var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin)) await create.ExecuteNonQueryAsync();
            options = new DatabaseOptions(DatabaseProvider.Postgres, new NpgsqlConnectionStringBuilder(postgres) { Database = name, MaxPoolSize = 64 }.ConnectionString);
        }

        // The workers as a server runs them by default (Workers:Parallelism 8, a poll every 250 ms).
        var engine = new DurableEngine(options, new ExecutorCatalog([new NoopExecutor()]), NullLoggerFactory.Instance, TimeProvider.System, new WorkerOptions(),
            expressionLimits: limits);
        await engine.InitializeAsync(CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var worker = Task.Run(() => engine.Worker.RunAsync(stop.Token));
        try
        {
            return await run(engine);
        }
        finally
        {
            await stop.CancelAsync();
            await worker;
            if (database == "sqlite")
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(folder, recursive: true);
            }
            else
            {
                NpgsqlConnection.ClearAllPools();
                await using var admin = new NpgsqlConnection(postgres);
                await admin.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync();
            }
        }
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static string? Argument(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
}
