using System.Collections.Frozen;

namespace WeOps.Engine.Executors;

/// <summary>The executors a node can run, by type name.</summary>
public sealed class ExecutorCatalog
{
    private readonly FrozenDictionary<string, IExecutor> executors;

    public ExecutorCatalog(IEnumerable<IExecutor> executors)
    {
        var byType = new Dictionary<string, IExecutor>(StringComparer.Ordinal);
        foreach (var executor in executors)
        {
            if (!byType.TryAdd(executor.Descriptor.Type, executor))
                throw new InvalidOperationException($"Two executors are registered for type '{executor.Descriptor.Type}'.");
        }

        this.executors = byType.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IEnumerable<ExecutorDescriptor> Descriptors => executors.Values.Select(e => e.Descriptor).OrderBy(d => d.Category).ThenBy(d => d.Type);

    public bool TryGet(string type, out IExecutor executor) => executors.TryGetValue(type, out executor!);

    public ExecutorDescriptor? Describe(string type) => executors.TryGetValue(type, out var e) ? e.Descriptor : null;
}
