using System.Text.Json.Nodes;
using WeOps.Engine.Executors;

namespace WeOps.Engine.Tests.Conformance;

/// <summary>Fails its first <c>failTimes</c> attempts (all of them by default), with a BPMN error when
/// <c>errorCode</c> is given, else with a technical failure that is retried.</summary>
[Executor("test.fail", Category = "Test")]
public sealed class FailingExecutor : Executor<FailingExecutor.Inputs>
{
    public sealed record Inputs
    {
        [Input] public string? ErrorCode { get; init; }
        [Input] public string Message { get; init; } = "it failed";
        [Input] public int FailTimes { get; init; } = int.MaxValue;
        [Input] public JsonNode? Result { get; init; }
    }

    protected override Task<JsonNode?> ExecuteAsync(Inputs inputs, ExecutorContext context, CancellationToken cancellationToken)
    {
        if (context.Attempt > inputs.FailTimes)
            return Task.FromResult<JsonNode?>(new JsonObject { ["result"] = inputs.Result?.DeepClone(), ["attempts"] = context.Attempt });
        if (inputs.ErrorCode is not null) throw new BpmnErrorException(inputs.ErrorCode, inputs.Message);
        throw new InvalidOperationException(inputs.Message);
    }
}

/// <summary>Waits a real time (honouring cancellation), for timeouts.</summary>
[Executor("test.sleep", Category = "Test")]
public sealed class SleepingExecutor : Executor<SleepingExecutor.Inputs>
{
    public sealed record Inputs
    {
        [Input] public int Milliseconds { get; init; }
    }

    protected override async Task<JsonNode?> ExecuteAsync(Inputs inputs, ExecutorContext context, CancellationToken cancellationToken)
    {
        await Task.Delay(inputs.Milliseconds, cancellationToken);
        return new JsonObject { ["slept"] = inputs.Milliseconds };
    }
}

/// <summary>Installed on the node that publishes the conformance fixtures but on none that runs them: a process
/// published where its executor was known still has to fail clearly where it is not.</summary>
[Executor("mainframe.ims", Category = "Test")]
public sealed class ElsewhereExecutor : Executor<ElsewhereExecutor.Inputs>
{
    public sealed record Inputs;

    protected override Task<JsonNode?> ExecuteAsync(Inputs inputs, ExecutorContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("This executor is only known to the publishing node; no conformance node runs it.");
}
