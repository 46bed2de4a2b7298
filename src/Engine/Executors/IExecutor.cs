using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace WeOps.Engine.Executors;

/// <summary>Runs the work of a service task. Implementations live outside the engine (SSH, HTTP, ...);
/// the engine resolves them by <see cref="ExecutorDescriptor.Type"/>.</summary>
public interface IExecutor
{
    ExecutorDescriptor Descriptor { get; }

    /// <summary>Does the work. Throw <see cref="BpmnErrorException"/> for a business error a boundary
    /// event may catch; any other exception is a technical failure that is retried.</summary>
    Task<JsonNode?> ExecuteAsync(JsonObject inputs, ExecutorContext context, CancellationToken cancellationToken);
}

/// <summary>Where a job runs: for logs, for executors that need to know their instance, and where
/// output too large for a variable goes.</summary>
public sealed record ExecutorContext(string InstanceId, string ElementId, int Attempt, ILogger Logger, ILargeOutputStore LargeOutputs);

/// <summary>A business error raised by an executor; caught by an error boundary event with the same code.</summary>
public sealed class BpmnErrorException(string errorCode, string message) : Exception(message)
{
    public string ErrorCode { get; } = errorCode;
}

/// <summary>The inputs given to an executor do not fit its descriptor.</summary>
public sealed class ExecutorInputException(string message) : Exception(message);
