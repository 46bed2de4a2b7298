using System.Collections.Concurrent;

namespace WeOps.Engine.Executors;

/// <summary>Keeps text too large for a process variable (full command output, logs) beside its
/// instance. The variable holds a capped copy and the reference this store returns.</summary>
public interface ILargeOutputStore
{
    /// <summary>Stores <paramref name="content"/> and returns its reference (<c>out_...</c>), which
    /// <c>GET /api/instances/{id}/outputs/{ref}</c> serves.</summary>
    Task<string> SaveAsync(string instanceId, string elementId, string name, string content, CancellationToken cancellationToken);
}

/// <summary>Large outputs kept in memory: for the in-memory runtime and for executor tests.</summary>
public sealed class InMemoryLargeOutputStore : ILargeOutputStore
{
    private readonly ConcurrentDictionary<string, (string InstanceId, string ElementId, string Name, string Content)> outputs = new();

    public IReadOnlyDictionary<string, (string InstanceId, string ElementId, string Name, string Content)> Outputs => outputs;

    public Task<string> SaveAsync(string instanceId, string elementId, string name, string content, CancellationToken cancellationToken)
    {
        var reference = LargeOutput.NewReference();
        outputs[reference] = (instanceId, elementId, name, content);
        return Task.FromResult(reference);
    }
}

/// <summary>Capping text for a variable.</summary>
public static class LargeOutput
{
    public static string NewReference() => "out_" + Guid.NewGuid().ToString("N");

    /// <summary>The first <paramref name="maxChars"/> characters of <paramref name="text"/>, never
    /// splitting a surrogate pair, and whether anything was cut.</summary>
    public static (string Text, bool Truncated) Cap(string text, int maxChars)
    {
        if (text.Length <= maxChars) return (text, false);
        var cut = maxChars;
        if (cut > 0 && char.IsHighSurrogate(text[cut - 1])) cut--;
        return (text[..cut], true);
    }
}
