namespace WeOps.Decisions.Feel;

/// <summary>One signature of a built-in function: its parameter names, how many are required, whether more may follow.</summary>
internal sealed record Overload(string[] Parameters, int Required, bool Variadic, Func<IReadOnlyList<object?>, object?> Body);

/// <summary>A function of the FEEL library, with one or more signatures chosen by argument count or by names.</summary>
internal sealed class BuiltinFunction(string name, params Overload[] overloads) : FeelFunction
{
    public string Name { get; } = name;

    public override IReadOnlyList<string>? Parameters => overloads[0].Parameters;

    /// <summary>Parameters that take one value, where a list of one is unwrapped (DMN 1.4 10.3.2.9.4).</summary>
    private static readonly HashSet<string> SingleValued = new(StringComparer.Ordinal)
    {
        "string", "input", "pattern", "replacement", "flags", "delimiter", "n", "number", "negand", "dividend", "divisor", "scale", "date", "start position", "length",
    };

    public override object? Invoke(IReadOnlyList<object?> args)
    {
        foreach (var o in overloads)
        {
            if (args.Count >= o.Required && (o.Variadic || args.Count <= o.Parameters.Length)) return o.Body(Unwrap(o, args));
        }
        return null;
    }

    private static IReadOnlyList<object?> Unwrap(Overload o, IReadOnlyList<object?> args)
    {
        if (!args.Any(a => a is List<object?> { Count: 1 })) return args;
        return args.Select((a, i) => a is List<object?> { Count: 1 } l && i < o.Parameters.Length && SingleValued.Contains(o.Parameters[i]) ? l[0] : a).ToList();
    }

    public override object? InvokeNamed(IReadOnlyList<(string Name, object? Value)> args)
    {
        foreach (var o in overloads)
        {
            if (!args.All(a => o.Parameters.Contains(a.Name))) continue;
            var values = new object?[o.Parameters.Length];
            var last = -1;
            foreach (var (n, v) in args)
            {
                var i = Array.IndexOf(o.Parameters, n);
                values[i] = v;
                last = Math.Max(last, i);
            }
            if (last + 1 < o.Required) continue;
            return o.Body(Unwrap(o, values.Take(Math.Max(last + 1, o.Required)).ToList()));
        }
        return null;
    }
}
