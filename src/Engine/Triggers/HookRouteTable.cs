using WeOps.Engine.Model;

namespace WeOps.Engine.Triggers;

/// <summary>A start event with <c>ops:http</c> of a published version, with its parsed route.</summary>
public sealed record HookBinding(string ProcessKey, int Version, string StartEventId, HttpTrigger Trigger, HookRoute Route, int Line);

/// <summary>What a hook call found: the binding and its parameter values; or no route for the path; or
/// routes for the path, but none for the method.</summary>
public abstract record HookLookup
{
    public sealed record Found(HookBinding Binding, IReadOnlyDictionary<string, string> Parameters) : HookLookup;

    public sealed record NotFound : HookLookup;

    public sealed record MethodNotAllowed(IReadOnlyList<string> Allowed) : HookLookup;
}

/// <summary>The hook routes of the latest published versions, looked up by method and path, most specific first.</summary>
public sealed class HookRouteTable
{
    private readonly List<HookBinding> bindings;

    public HookRouteTable(IEnumerable<HookBinding> bindings)
    {
        // Most specific first; equal shapes (a clash publishing refuses) in a stable order.
        this.bindings = bindings.OrderByDescending(b => b.Route.Specificity, StringComparer.Ordinal)
            .ThenBy(b => b.ProcessKey, StringComparer.Ordinal).ThenBy(b => b.StartEventId, StringComparer.Ordinal).ToList();
    }

    public static readonly HookRouteTable Empty = new([]);

    public IReadOnlyList<HookBinding> Bindings => bindings;

    public HookLookup Find(string method, IReadOnlyList<string> path)
    {
        List<string>? allowed = null;
        foreach (var binding in bindings)
        {
            if (binding.Route.Match(path) is not { } parameters) continue;
            if (string.Equals(binding.Trigger.Method, method, StringComparison.OrdinalIgnoreCase))
                return new HookLookup.Found(binding, parameters);
            (allowed ??= []).Add(binding.Trigger.Method);
        }

        return allowed is null ? new HookLookup.NotFound() : new HookLookup.MethodNotAllowed(allowed.Distinct().Order().ToList());
    }

    /// <summary>The hooks of one process version whose templates are valid (the validator reports the others).</summary>
    public static IEnumerable<HookBinding> Of(ProcessGraph graph, int version)
    {
        foreach (var start in graph.StartEventsIn(null))
        {
            if (start.Http is { } trigger && HookRoute.Parse(trigger.Path, out _) is { } route)
                yield return new HookBinding(graph.Key, version, start.Id, trigger, route, start.Line);
        }
    }

    /// <summary>Pairs of hooks that would answer the same calls: same method, same shape.</summary>
    public static IEnumerable<(HookBinding Hook, HookBinding Other)> Clashes(IEnumerable<HookBinding> hooks, IEnumerable<HookBinding> others)
    {
        var byShape = others.ToLookup(Signature, StringComparer.Ordinal);
        foreach (var hook in hooks)
        {
            foreach (var other in byShape[Signature(hook)])
                yield return (hook, other);
        }
    }

    public static string Describe(HookBinding hook) => $"{hook.Trigger.Method} /hooks/{hook.Route.Template}";

    private static string Signature(HookBinding hook) => hook.Trigger.Method.ToUpperInvariant() + " " + hook.Route.Shape;
}
