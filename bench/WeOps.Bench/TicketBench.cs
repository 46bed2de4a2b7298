using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Npgsql;
using WeOps.Activities.Tickets;
using WeOps.Engine.Persistence;

namespace WeOps.Bench;

/// <summary>The ticket store on SQLite and PostgreSQL: concurrent creates (numbers must stay gapless),
/// transitions, and the list query with the SLA breach filter over every ticket.</summary>
public static class TicketBench
{
    private const int Concurrency = 16;

    public static async Task<IReadOnlyList<DurableBench.Row>> RunAsync(string[] args)
    {
        var postgres = Argument(args, "--postgres") ?? Environment.GetEnvironmentVariable("WEOPS_BENCH_POSTGRES");
        var count = int.Parse(Argument(args, "--count") ?? "2000", CultureInfo.InvariantCulture);
        var rows = new List<DurableBench.Row>();
        foreach (var database in postgres is null ? new[] { "sqlite" } : ["sqlite", "postgres"])
        {
            var (options, cleanup) = await OpenAsync(database, postgres);
            try
            {
                await options.MigrateAsync();
                rows.AddRange(await MeasureAsync(new TicketStore(options, new TicketPolicy(), TimeProvider.System), database, count));
            }
            finally
            {
                await cleanup();
            }
        }

        return rows;
    }

    private static async Task<IReadOnlyList<DurableBench.Row>> MeasureAsync(TicketStore store, string db, int count)
    {
        var draft = TicketInput.ReadNew("incident", "Disk almost full on web-1", "95% used", JsonValue.Create(2), JsonValue.Create(1), "alertmanager", null, "ops",
            JsonNode.Parse("""{"hosts":["web-1"]}"""), new JsonObject { ["fingerprint"] = "abc" });
        var numbers = new string[count];
        var (createSeconds, createLatencies) = await Timed(count, async i =>
            numbers[i] = (await store.CreateAsync(draft, "bench", null, null, CancellationToken.None)).Ticket.Ticket.Number);
        var gapless = numbers.Order(StringComparer.Ordinal).SequenceEqual(Enumerable.Range(1, count).Select(n => $"INC-{n:D6}"));

        var (moveSeconds, moveLatencies) = await Timed(count, i => store.TransitionAsync(numbers[i], "assigned", null, "bench", CancellationToken.None));

        const int queries = 200;
        var (listSeconds, listLatencies) = await Timed(queries, _ =>
            store.ListAsync(new TicketQuery(Type: "incident", Breached: false, Limit: 50), CancellationToken.None));

        return
        [
            Row($"tickets: {Concurrency} writers create", db, count, createSeconds, createLatencies, gapless ? "numbers gapless, unique" : "GAP OR DUPLICATE",
                "numbers 1..N once", gapless),
            Row("tickets: move new -> assigned", db, count, moveSeconds, moveLatencies, "", "", null),
            Row($"tickets: list breached=false over {count:N0}", db, queries, listSeconds, listLatencies, "page of 50 + total", "", null),
        ];
    }

    private static async Task<(double Seconds, List<double> Latencies)> Timed(int count, Func<int, Task> operation)
    {
        var latencies = new double[count];
        var next = -1;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                var one = Stopwatch.StartNew();
                await operation(i);
                latencies[i] = one.Elapsed.TotalMilliseconds;
            }
        })));
        return (total.Elapsed.TotalSeconds, latencies.Order().ToList());
    }

    private static DurableBench.Row Row(string scenario, string db, int count, double seconds, List<double> latencies, string extra, string target, bool? met) =>
        new(scenario, db, count, seconds, count / seconds, Percentile(latencies, 0.5), Percentile(latencies, 0.99), extra, target, met);

    private static async Task<(DatabaseOptions Options, Func<Task> Cleanup)> OpenAsync(string database, string? postgres)
    {
        if (database == "sqlite")
        {
            var folder = Path.Combine(Path.GetTempPath(), "weops-bench", Guid.NewGuid().ToString("N"));
            Task RemoveFile()
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(folder, recursive: true);
                return Task.CompletedTask;
            }

            return (new DatabaseOptions(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, "bench.db")}"), RemoveFile);
        }

        var name = $"weops_bench_{Guid.NewGuid():N}";
        await Execute(postgres!, $"CREATE DATABASE {name}");
        var connection = new NpgsqlConnectionStringBuilder(postgres) { Database = name, MaxPoolSize = 64 }.ConnectionString;
        async Task DropDatabase()
        {
            NpgsqlConnection.ClearAllPools();
            await Execute(postgres!, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        }

        return (new DatabaseOptions(DatabaseProvider.Postgres, connection), DropDatabase);
    }

    private static async Task Execute(string connectionString, string sql)
    {
        await using var admin = new NpgsqlConnection(connectionString);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand(sql, admin);
        await command.ExecuteNonQueryAsync();
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static string? Argument(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
}
