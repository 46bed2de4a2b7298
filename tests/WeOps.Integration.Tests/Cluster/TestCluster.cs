using System.Diagnostics;
using Npgsql;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace WeOps.Integration.Tests.Cluster;

/// <summary>The cluster tests start real server processes: they run one at a time, after the other
/// tests, so that two cores are enough for their deadlines.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "Cluster";
}

/// <summary>The server nodes of one test, their logs, and the waits and queries the tests share. A failure
/// inside <see cref="RunAsync"/> carries the end of every node's log; the logs are kept only then.</summary>
public sealed class TestCluster(ITestOutputHelper output) : IDisposable
{
    /// <summary>How long a node may take to start on a busy two-core machine before the test fails.</summary>
    public static readonly TimeSpan Startup = TimeSpan.FromSeconds(90);

    private readonly List<ServerNode> nodes = [];
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private bool failed;

    public string LogDirectory { get; } = Path.Combine(Path.GetTempPath(), "weops-cluster-tests", Guid.NewGuid().ToString("N"));

    /// <summary>A node on the test's PostgreSQL database, with the given extra settings.</summary>
    public ServerNode StartOnPostgres(string name, PostgresDatabase database, params string[] settings) =>
        Start(name, ["Database:Provider=Postgres", $"ConnectionStrings:WeOps={database.ConnectionString}", $"Credentials:MasterKey={MasterKey}", .. settings]);

    /// <summary>The credential master key every node of a test cluster shares (32 bytes, base64).</summary>
    public static readonly string MasterKey = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData("weops test cluster"u8));

    public ServerNode Start(string name, params string[] settings)
    {
        var node = ServerNode.Start(name, LogDirectory, ["Workflows:Path=" + Path.Combine(LogDirectory, "no-workflows"), .. settings]);
        nodes.Add(node);
        Note($"{name} started as process {node.ProcessId}");
        return node;
    }

    /// <summary>Runs the test; a failure gets the end of each node's log appended.</summary>
    public async Task RunAsync(Func<Task> test)
    {
        try
        {
            await test();
        }
        catch (Exception e)
        {
            failed = true;
            var logs = string.Join("\n", nodes.Select(n => n.Tail()));
            throw new XunitException($"{e.GetType().Name}: {e.Message}\n\n{logs}\n\n{e.StackTrace}");
        }
    }

    /// <summary>Writes a line with the time since the test began, so a slow phase shows in the output.</summary>
    public void Note(string text) => output.WriteLine($"[{clock.Elapsed.TotalSeconds,6:0.00} s] {text}");

    /// <summary>Polls <paramref name="probe"/> until it returns a value that satisfies <paramref name="done"/>;
    /// fails after <paramref name="patience"/> with the last value seen.</summary>
    public async Task<T> EventuallyAsync<T>(string what, TimeSpan patience, Func<Task<T>> probe, Func<T, bool> done)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                Note($"{what} after {watch.Elapsed.TotalSeconds:0.0} s");
                return value;
            }

            if (watch.Elapsed > patience)
                throw new TimeoutException($"Waited {patience.TotalSeconds:0} s for {what}; last seen: {value}.");
            await Task.Delay(100);
        }
    }

    public static async Task<long> CountAsync(PostgresDatabase database, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task<List<T>> QueryAsync<T>(PostgresDatabase database, string sql, Func<NpgsqlDataReader, T> row, params (string Name, object Value)[] parameters)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync()) rows.Add(row(reader));
        return rows;
    }

    /// <summary>The id a node registered under in the nodes table, found by its process id: this also
    /// proves the process the test holds is the server itself, not a launcher in front of it.</summary>
    public static async Task<string> NodeIdAsync(PostgresDatabase database, ServerNode node)
    {
        var ids = await QueryAsync(database, "select id from nodes where process_id = @pid", r => r.GetString(0), ("pid", node.ProcessId));
        return ids.Count == 1 ? ids[0] : throw new InvalidOperationException($"{node.Name} (process {node.ProcessId}) has {ids.Count} rows in the nodes table, not one.");
    }

    public void Dispose()
    {
        foreach (var node in nodes) node.Dispose();
        if (failed) return;
        try
        {
            Directory.Delete(LogDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
