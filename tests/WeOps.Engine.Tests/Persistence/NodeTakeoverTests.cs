using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WeOps.Engine.Persistence;

namespace WeOps.Engine.Tests.Persistence;

/// <summary>On SQLite a node found on the file is taken over at once when its process, on this host, has
/// ended, and refused otherwise: a live process, a process of another host, or one that cannot be told
/// from a live one.</summary>
public sealed class NodeTakeoverTests : IAsyncLifetime
{
    private const string JobProcess = """
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
          <bpmn:process id="runbook" isExecutable="true">
            <bpmn:startEvent id="start" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="job" />
            <bpmn:serviceTask id="job"><bpmn:extensionElements><ops:task type="noop" /></bpmn:extensionElements></bpmn:serviceTask>
            <bpmn:sequenceFlow id="f2" sourceRef="job" targetRef="end" />
            <bpmn:endEvent id="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    private readonly SqliteEngine sqlite = new();

    public Task InitializeAsync() => sqlite.InitializeAsync();

    public Task DisposeAsync() => sqlite.DisposeAsync();

    [Fact]
    public async Task A_node_whose_process_ended_on_this_host_is_taken_over_at_once_with_the_job_it_held()
    {
        var key = await sqlite.PublishAsync(JobProcess);
        await sqlite.Engine.Instances.StartAsync(key, null, new JsonObject(), null, CancellationToken.None);
        Assert.Single(await sqlite.Engine.Worker.ClaimAsync(1, CancellationToken.None)); // then its process is killed
        await RecordFirstNodeAsync(EndedProcessId(), NodeProcess.CurrentStartedAt);
        var restarted = sqlite.New();

        await restarted.InitializeAsync(CancellationToken.None);

        // No clock moved: the job is free because the dead node's row is gone, not because its heartbeat aged.
        Assert.Equal(restarted.Nodes.NodeId, Assert.Single(await restarted.Worker.ClaimAsync(1, CancellationToken.None)).LockOwner);
        await using var db = sqlite.Database.Open();
        Assert.Equal([restarted.Nodes.NodeId], await db.Nodes.Select(n => n.Id).ToListAsync());
    }

    [Fact]
    public async Task A_node_whose_process_id_a_later_process_took_is_taken_over()
    {
        // The id is this test's own process, which started after the recorded one: the id was reused.
        await RecordFirstNodeAsync(Environment.ProcessId, NodeProcess.CurrentStartedAt - TimeSpan.FromHours(1));

        await sqlite.New().InitializeAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_node_whose_process_still_runs_is_refused()
    {
        await RecordFirstNodeAsync(Environment.ProcessId, NodeProcess.CurrentStartedAt);

        var error = await Assert.ThrowsAsync<UnsafeSetupException>(() => sqlite.New().InitializeAsync(CancellationToken.None));
        Assert.Contains($"process {Environment.ProcessId}) is running on this SQLite database", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_of_another_host_is_refused_whatever_its_process_id()
    {
        await RecordFirstNodeAsync(EndedProcessId(), NodeProcess.CurrentStartedAt, host: "another-host");

        var error = await Assert.ThrowsAsync<UnsafeSetupException>(() => sqlite.New().InitializeAsync(CancellationToken.None));
        Assert.Contains("Another WeOps node (another-host, process", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Makes the first node's row say it ran in that process, started then, on that host.</summary>
    private async Task RecordFirstNodeAsync(int processId, DateTime startedAt, string? host = null)
    {
        await using var db = sqlite.Database.Open();
        var updated = await db.Nodes.Where(n => n.Id == sqlite.Engine.Nodes.NodeId).ExecuteUpdateAsync(u => u
            .SetProperty(n => n.ProcessId, processId)
            .SetProperty(n => n.StartedAt, startedAt)
            .SetProperty(n => n.Host, host ?? Environment.MachineName));
        Assert.Equal(1, updated);
    }

    /// <summary>The id of a process that ran and ended (and was waited for).</summary>
    private static int EndedProcessId()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }
}
