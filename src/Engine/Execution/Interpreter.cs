using WeOps.Engine.Executors;
using WeOps.Engine.Expressions;
using WeOps.Engine.Model;

namespace WeOps.Engine.Execution;

public sealed record InterpreterOptions
{
    /// <summary>Elements a single stimulus may enter before the token is stopped with an incident:
    /// the guard against loops that never wait.</summary>
    public int MaxStepsPerStimulus { get; init; } = 10_000;

    /// <summary>The longest a failed job waits before its next try, however many tries came before.</summary>
    public TimeSpan MaxRetryBackoff { get; init; } = TimeSpan.FromMinutes(30);

    public static readonly InterpreterOptions Default = new();
}

/// <summary>Moves an instance's tokens in reaction to a stimulus until every token waits.
/// Pure: no I/O, no clock; the state passed in is not changed. The executors' descriptors say how a job's
/// inputs are filled in (a shell command quotes what it splices); without them every input is plain text.</summary>
public sealed class Interpreter(ExpressionEvaluator expressions, InterpreterOptions? options = null, ExecutorCatalog? executors = null)
{
    private readonly InterpreterOptions options = options ?? InterpreterOptions.Default;

    public StepResult Start(ProcessGraph graph, StartRequest request, DateTimeOffset now)
    {
        var state = new InstanceState
        {
            InstanceId = request.InstanceId,
            DefinitionKey = graph.Key,
            DefinitionVersion = request.DefinitionVersion,
            BusinessKey = request.BusinessKey,
            Parent = request.Parent,
            StartedBy = request.StartedBy,
            StartedAt = now,
            Status = InstanceStatus.Running,
        };
        var step = new Step(graph, state, now, expressions, options, executors);
        step.Start(request);
        return step.Finish();
    }

    public StepResult Handle(ProcessGraph graph, InstanceState state, Stimulus stimulus, DateTimeOffset now)
    {
        if (state.IsEnded)
            return Unchanged(state, $"instance {state.InstanceId} has ended ({state.Status})");
        var step = new Step(graph, state.Clone(), now, expressions, options, executors);
        var ignored = step.Apply(stimulus);
        return ignored is null ? step.Finish() : Unchanged(state, ignored);
    }

    private static StepResult Unchanged(InstanceState state, string reason) =>
        new(state, [], [], [], []) { Ignored = reason };
}
