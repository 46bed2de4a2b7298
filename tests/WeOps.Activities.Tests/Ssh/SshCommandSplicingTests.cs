using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using WeOps.Engine.Executors;
using WeOps.Engine.Persistence;

namespace WeOps.Activities.Tests.Ssh;

/// <summary>A process whose ssh.exec command splices variables, run by the engine on SQLite against the real sshd
/// (see <see cref="SshServer"/>; the test user is root on this machine, so a file the remote shell creates is
/// seen here): a value from an alert or a hook reaches the command as one word and runs nothing.</summary>
public sealed class SshCommandSplicingTests : IAsyncLifetime
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "weops-tests", Guid.NewGuid().ToString("N"));
    private readonly DurableEngine engine;

    public SshCommandSplicingTests()
    {
        var database = new DatabaseOptions(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, "weops.db")}");
        engine = new DurableEngine(database, new ExecutorCatalog([SshServer.Executor()]), NullLoggerFactory.Instance);
    }

    public Task InitializeAsync() => engine.InitializeAsync(CancellationToken.None);

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    private static string Process(string command) => $$"""
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
          <bpmn:process id="splice" isExecutable="true">
            <bpmn:startEvent id="start" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="run" />
            <bpmn:serviceTask id="run"><bpmn:extensionElements>
              <ops:task type="ssh.exec" retries="0" />
              <ops:input name="hosts" value="h0" />
              <ops:input name="command" value="{{command}}" />
              <ops:output name="stdout" value="${output.hosts[0].stdout}" />
            </bpmn:extensionElements></bpmn:serviceTask>
            <bpmn:sequenceFlow id="f2" sourceRef="run" targetRef="end" />
            <bpmn:endEvent id="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    /// <summary>Publishes the process, starts it with <paramref name="variables"/>, runs its job and returns the
    /// command's stdout.</summary>
    private async Task<string> RunAsync(string command, JsonObject variables)
    {
        var saved = await engine.Definitions.SaveDraftAsync(Process(command), "tester", CancellationToken.None);
        await engine.Definitions.PublishAsync(saved.Key!, null, "tester", CancellationToken.None);
        var started = await engine.Instances.StartAsync(saved.Key!, null, variables, null, CancellationToken.None);

        Assert.Equal(1, await engine.Worker.DrainAsync(CancellationToken.None));

        var detail = (await engine.Queries.GetAsync(Guid.Parse(started.InstanceId), CancellationToken.None))!;
        Assert.True(detail.Summary.Status == "completed", $"{detail.Summary.Status}: {string.Join("; ", detail.State.Incidents.Select(i => i.Message))}");
        return detail.State.Variables["stdout"]!.GetValue<string>();
    }

    [Fact]
    public async Task A_value_spliced_into_the_command_reaches_the_host_as_one_word_and_runs_nothing()
    {
        var marker = Path.Combine(Path.GetTempPath(), $"weops-pwned-{Guid.NewGuid():N}");
        var service = $"nginx; touch {marker}";
        try
        {
            // printf repeats its format for each argument: "value|" once means exactly one word.
            var stdout = await RunAsync("printf '%s|' ${service}", new JsonObject { ["service"] = service });

            Assert.False(File.Exists(marker), "the spliced value ran as a command on the host");
            Assert.Equal(service + "|", stdout);
        }
        finally
        {
            File.Delete(marker);
        }
    }

    [Theory]
    [InlineData("it's $(id) `id` ${HOME}")]
    [InlineData("line one\nline two")]
    [InlineData("")]
    [InlineData("-n")]
    public async Task Any_spliced_value_reaches_the_host_unchanged_as_one_word(string value)
    {
        var stdout = await RunAsync("printf '%s|' ${value} ${value}", new JsonObject { ["value"] = value });

        Assert.Equal($"{value}|{value}|", stdout);
    }

    [Fact]
    public async Task A_raw_splice_is_shell_text_on_the_host()
    {
        var stdout = await RunAsync("printf '%s|' ${raw(words)} ${words}", new JsonObject { ["words"] = "a b" });

        Assert.Equal("a|b|a b|", stdout);
    }
}
