using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using WeOps.Activities.Inventory;
using WeOps.Activities.Ssh;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Tests.Ssh;

/// <summary>ssh.exec against a real sshd on 127.0.0.1 (see <see cref="SshServer"/>).</summary>
public sealed class SshExecutorTests
{
    private static async Task<JsonObject> Run(string json, SshExecutor? executor = null, CancellationToken cancellationToken = default)
    {
        var (context, _) = SshServer.Context();
        return await Run(JsonNode.Parse(json)!.AsObject(), context, executor, cancellationToken);
    }

    private static async Task<JsonObject> Run(JsonObject inputs, ExecutorContext context, SshExecutor? executor = null, CancellationToken cancellationToken = default) =>
        (await (executor ?? SshServer.Executor()).ExecuteAsync(inputs, context, cancellationToken))!.AsObject();

    private static JsonObject OnlyHost(JsonObject output) => Assert.Single(output["hosts"]!.AsArray())!.AsObject();

    [Fact]
    public async Task A_command_runs_and_its_exit_code_stdout_and_stderr_come_back()
    {
        var output = await Run("""{"hosts":"h0","command":"echo hello; echo warning >&2"}""");

        var host = OnlyHost(output);
        Assert.Equal("h0", (string?)host["host"]);
        Assert.Equal(0, (int?)host["exitCode"]);
        Assert.Equal("hello\n", (string?)host["stdout"]);
        Assert.Equal("warning\n", (string?)host["stderr"]);
        Assert.Null(host["error"]);
        Assert.Equal(1, (int?)output["succeeded"]);
        Assert.Equal(0, (int?)output["failed"]);
        Assert.Empty(output["failedHosts"]!.AsArray());
    }

    [Fact]
    public async Task A_script_is_read_from_stdin_by_the_chosen_shell_with_args_as_positional_parameters()
    {
        var inputs = new JsonObject
        {
            ["hosts"] = "h1",
            ["script"] = "set -e\nprintf '%s|' \"$BASH_VERSION\" > /dev/null\nprintf '%s|%s' \"$1\" \"$#\"\n",
            ["shell"] = "bash",
            ["args"] = new JsonArray("one two"),
        };

        var output = await Run(inputs, SshServer.Context().Context);

        Assert.Equal("one two|1", (string?)OnlyHost(output)["stdout"]);
    }

    [Fact]
    public async Task A_non_zero_exit_raises_SSH_FAILED_by_default()
    {
        var e = await Assert.ThrowsAsync<BpmnErrorException>(() => Run("""{"hosts":"h0","command":"exit 3"}"""));

        Assert.Equal(SshExecutor.FailedErrorCode, e.ErrorCode);
        Assert.Contains("h0 (exit code 3)", e.Message);
    }

    [Fact]
    public async Task With_failWhen_never_a_non_zero_exit_is_reported_in_failedHosts()
    {
        var output = await Run("""{"hosts":["h0","h1"],"command":"echo out; exit 3","failWhen":"never"}""");

        Assert.All(output["hosts"]!.AsArray(), h => Assert.Equal(3, (int?)h!["exitCode"]));
        Assert.Equal("out\n", (string?)output["hosts"]![0]!["stdout"]);
        Assert.Equal(["h0", "h1"], output["failedHosts"]!.AsArray().Select(h => (string?)h));
        Assert.Equal(2, (int?)output["failed"]);
        Assert.Equal(0, (int?)output["succeeded"]);
    }

    [Fact]
    public async Task With_onFailure_stop_no_host_starts_after_a_failure()
    {
        var output = await Run("""{"hosts":["h0","h1","h2"],"command":"exit 1","parallelism":1,"onFailure":"stop","failWhen":"never"}""");

        var hosts = output["hosts"]!.AsArray();
        Assert.Equal(1, (int?)hosts[0]!["exitCode"]);
        Assert.All(hosts.Skip(1), h => Assert.True((bool?)h!["skipped"]));
        Assert.All(hosts.Skip(1), h => Assert.Null(h!["exitCode"]));
        Assert.Equal((1, 2), ((int)output["failed"]!, (int)output["skipped"]!));
        Assert.Equal(["h0"], output["failedHosts"]!.AsArray().Select(h => (string?)h));
    }

    [Fact]
    public async Task With_failWhen_allHosts_only_a_failure_everywhere_raises_SSH_FAILED()
    {
        using var refusing = SshServer.ClosedPort();
        var closed = $"127.0.0.1:{refusing.Port}";

        var output = await Run($$"""{"hosts":["h0","{{closed}}"],"command":"true","credential":"{{SshServer.Credential}}","failWhen":"allHosts"}""");

        Assert.Equal((1, 1), ((int)output["succeeded"]!, (int)output["failed"]!));
        var e = await Assert.ThrowsAsync<BpmnErrorException>(() => Run("""{"hosts":["h0","h1"],"command":"exit 2","failWhen":"allHosts"}"""));
        Assert.Equal(SshExecutor.FailedErrorCode, e.ErrorCode);
        Assert.Contains("2 of 2 hosts failed", e.Message);
    }

    [Fact]
    public async Task A_host_over_its_timeout_is_killed_and_reported()
    {
        var clock = Stopwatch.StartNew();

        var output = await Run("""{"hosts":"h0","command":"sleep 30","timeout":"PT1S","failWhen":"never"}""");

        var host = OnlyHost(output);
        Assert.Null(host["exitCode"]);
        Assert.StartsWith("timed out after PT1S", (string?)host["error"]);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        Assert.InRange((long)host["durationMs"]!, 900, 10_000);
    }

    [Fact]
    public async Task Cancelling_the_step_kills_every_host_promptly()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Run("""{"hosts":["h0","h1","h2"],"command":"sleep 30"}""", cancellationToken: cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task An_unreachable_host_fails_with_255_and_sshs_reason_while_the_others_succeed()
    {
        using var refusing = SshServer.ClosedPort();
        var closed = $"127.0.0.1:{refusing.Port}";

        var output = await Run($$"""{"hosts":["h0","{{closed}}"],"command":"true","credential":"{{SshServer.Credential}}","failWhen":"never"}""");

        var hosts = output["hosts"]!.AsArray();
        Assert.Equal(0, (int?)hosts[0]!["exitCode"]);
        Assert.Equal(closed, (string?)hosts[1]!["host"]);
        Assert.Equal(255, (int?)hosts[1]!["exitCode"]);
        Assert.Contains("Connection refused", (string?)hosts[1]!["error"]);
        Assert.Equal([closed], output["failedHosts"]!.AsArray().Select(h => (string?)h));
    }

    [Fact]
    public async Task A_key_the_server_does_not_accept_fails_with_permission_denied()
    {
        var output = await Run($$"""{"hosts":"h0","command":"true","credential":"{{SshServer.WrongCredential}}","failWhen":"never"}""");

        var host = OnlyHost(output);
        Assert.Equal(255, (int?)host["exitCode"]);
        Assert.Contains("Permission denied", (string?)host["error"]);
    }

    [Fact]
    public async Task A_changed_host_key_is_refused_under_the_strict_policy()
    {
        // A well-formed ed25519 key that is not the server's.
        var blob = new List<byte>();
        void Field(byte[] bytes)
        {
            blob.AddRange([(byte)(bytes.Length >> 24), (byte)(bytes.Length >> 16), (byte)(bytes.Length >> 8), (byte)bytes.Length]);
            blob.AddRange(bytes);
        }

        Field(Encoding.ASCII.GetBytes("ssh-ed25519"));
        Field(RandomNumberGenerator.GetBytes(32));
        var port = SshServer.Ports[0];
        var inventory = new InMemoryHostInventory([new Host("impostor", "127.0.0.1", port, SshServer.User, SshServer.Credential, [])
        {
            KnownHosts = $"[127.0.0.1]:{port} ssh-ed25519 {Convert.ToBase64String([.. blob])}",
        }]);
        var marker = Path.Combine(Path.GetTempPath(), "weops-ssh-must-not-exist-" + Guid.NewGuid().ToString("N"));

        var output = await Run($$"""{"hosts":"impostor","command":"touch {{marker}}","failWhen":"never"}""", SshServer.Executor(inventory));

        var host = OnlyHost(output);
        Assert.Equal(255, (int?)host["exitCode"]);
        Assert.Contains("Host key verification failed", (string?)host["error"]);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task A_host_with_no_known_key_is_refused_under_the_strict_policy()
    {
        var port = SshServer.Ports[0];
        var inventory = new InMemoryHostInventory([new Host("unknown", "127.0.0.1", port, SshServer.User, SshServer.Credential, [])]);

        var output = await Run("""{"hosts":"unknown","command":"true","failWhen":"never"}""", SshServer.Executor(inventory));

        Assert.Contains("Host key verification failed", (string?)OnlyHost(output)["error"]);
    }

    [Fact]
    public async Task Twenty_hosts_run_in_parallel_never_more_at_once_than_parallelism()
    {
        // Each session leaves a file while it runs and reports how many it saw; sshd is on this machine.
        var running = Directory.CreateTempSubdirectory("weops-ssh-running-");
        try
        {
            var inputs = new JsonObject
            {
                ["hosts"] = $"tags: {SshServer.Tag}",
                ["script"] = "touch \"$1/$$\"\nls \"$1\" | wc -l\nsleep 0.5\nrm -f \"$1/$$\"\n",
                ["args"] = new JsonArray(running.FullName),
                ["parallelism"] = JsonNode.Parse("4"), // as the engine hands it over: parsed JSON
            };

            var output = await Run(inputs, SshServer.Context().Context);

            var hosts = output["hosts"]!.AsArray();
            Assert.Equal(20, hosts.Count);
            Assert.Equal(20, (int?)output["succeeded"]);
            Assert.Equal(Enumerable.Range(0, 20).Select(i => $"h{i}"), hosts.Select(h => (string?)h!["host"]));
            var seen = hosts.Select(h => int.Parse(((string?)h!["stdout"])!.Trim())).ToList();
            Assert.InRange(seen.Max(), 2, 4);
        }
        finally
        {
            running.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Output_over_the_variable_limit_is_cut_there_and_stored_whole()
    {
        const int size = 11_000_000;
        var (context, store) = SshServer.Context();

        var output = await Run(new JsonObject
        {
            ["hosts"] = "h0",
            ["command"] = $"head -c {size} /dev/zero | tr '\\0' x",
        }, context);

        var host = OnlyHost(output);
        Assert.Equal(new string('x', 65_536), (string?)host["stdout"]);
        Assert.True((bool?)host["stdoutTruncated"]);
        var stored = store.Outputs[(string)host["stdoutRef"]!];
        Assert.Equal(size, stored.Content.Length);
        Assert.True(stored.Content.All(c => c == 'x'));
        Assert.Equal(("i-ssh", "run"), (stored.InstanceId, stored.ElementId));
        Assert.Null(host["stderrRef"]);
    }

    [Fact]
    public async Task Output_over_the_stored_limit_is_stored_up_to_it_with_a_note()
    {
        var (context, store) = SshServer.Context();
        var executor = SshServer.Executor(options: new SshOptions { ConfigFile = "/dev/null", MaxOutputCharsInVariable = 10, MaxStoredOutputChars = 1000 });

        var output = await Run(new JsonObject { ["hosts"] = "h0", ["command"] = "head -c 5000 /dev/zero | tr '\\0' y" }, context, executor);

        var host = OnlyHost(output);
        Assert.Equal("yyyyyyyyyy", (string?)host["stdout"]);
        var stored = store.Outputs[(string)host["stdoutRef"]!].Content;
        Assert.StartsWith(new string('y', 1000) + "\n[output cut: 1000 of 5000 characters kept]", stored);
    }

    public static TheoryData<string> Hostile => new()
    {
        "; rm -rf /",
        "$(touch /tmp/weops-pwned) `id` ${HOME}",
        "it's \"quoted\" and \\escaped\\",
        "two\nlines\n",
        "-n",
        "ünïcödé ✓",
        "",
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task A_variable_in_args_or_env_reaches_the_remote_shell_as_one_unchanged_value(string value)
    {
        var output = await Run(new JsonObject
        {
            ["hosts"] = "h0",
            ["command"] = "printf '%s|%s|' \"$WEOPS_VALUE\"",
            ["args"] = new JsonArray(value),
            ["env"] = new JsonObject { ["WEOPS_VALUE"] = value },
        }, SshServer.Context().Context);

        Assert.Equal($"{value}|{value}|", (string?)OnlyHost(output)["stdout"]);
    }

    [Fact]
    public async Task Each_host_logs_its_start_and_outcome_without_env_values_or_keys()
    {
        var logger = new ListLogger();
        var context = new ExecutorContext("i-ssh", "run", 1, logger, new InMemoryLargeOutputStore());

        await Run(new JsonObject
        {
            ["hosts"] = new JsonArray("h0", "h1"),
            ["command"] = "test -n \"$API_TOKEN\" && exit 4",
            ["env"] = new JsonObject { ["API_TOKEN"] = "tok-5ecret-value" },
            ["failWhen"] = "never",
        }, context);

        var lines = logger.Lines;
        Assert.Contains(lines, l => l.Contains("h0: starting", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("h1: failed (exit code 4) after", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("5ecret", StringComparison.Ordinal) || l.Contains("PRIVATE KEY", StringComparison.Ordinal));
    }

    private sealed class ListLogger : Microsoft.Extensions.Logging.ILogger
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> lines = new();

        public IReadOnlyList<string> Lines => [.. lines];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception));
    }

    [Fact]
    public async Task Explicit_inputs_override_the_inventory_and_a_written_port_overrides_the_port_input()
    {
        var ports = SshServer.Ports;
        using var refusing = SshServer.ClosedPort();
        var inventory = new InMemoryHostInventory([new Host("moved", "127.0.0.1", refusing.Port, "nobody", SshServer.WrongCredential, [])
        {
            KnownHosts = SshServer.KnownHosts,
        }]);
        var executor = SshServer.Executor(inventory);

        var output = await Run($$"""
            {"hosts":["moved","127.0.0.1:{{ports[2]}}"],"command":"true","port":{{ports[1]}},
             "user":"{{SshServer.User}}","credential":"{{SshServer.Credential}}","failWhen":"never"}
            """, executor);

        // The literal address has no known_hosts entry of its own; the inventory's lines cover every port.
        Assert.Equal(2, (int?)output["succeeded"]);
    }
}
