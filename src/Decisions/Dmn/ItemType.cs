using WeOps.Decisions.Feel;

namespace WeOps.Decisions.Dmn;

/// <summary>An item definition: a base type or components, optionally a collection, optionally restricted to allowed values.</summary>
public sealed class ItemType
{
    public required string Name { get; init; }

    public string? TypeRef { get; init; }

    public bool IsCollection { get; init; }

    public Node? AllowedValues { get; init; }

    public IReadOnlyList<(string Name, ItemType Type)> Components { get; init; } = [];

    public bool IsFunction { get; init; }
}

/// <summary>Checks and coerces values against a typeRef, as DMN does where a value crosses a variable with a type.</summary>
internal sealed class TypeChecker(IReadOnlyDictionary<string, ItemType> types)
{
    private static readonly HashSet<string> Builtin = new(StringComparer.Ordinal)
    {
        "number", "string", "boolean", "date", "time", "date and time", "dateTime", "days and time duration", "dayTimeDuration",
        "years and months duration", "yearMonthDuration", "context", "list", "range", "function",
    };

    /// <summary>The value if it conforms, after singleton-list coercion; null otherwise.</summary>
    public object? Coerce(object? value, string? typeRef)
    {
        if (value is null || string.IsNullOrEmpty(typeRef)) return value;
        var type = Find(typeRef);
        var collection = type?.IsCollection == true || (type is null && typeRef.StartsWith("list", StringComparison.Ordinal));
        if (!collection && value is List<object?> { Count: 1 } single && !Conforms(value, typeRef)) value = single[0];
        return Conforms(value, typeRef) ? value : null;
    }

    public bool Conforms(object? value, string? typeRef)
    {
        if (value is null || string.IsNullOrEmpty(typeRef) || typeRef == "Any") return true;
        var type = Find(typeRef);
        if (type is null)
        {
            var name = Strip(typeRef);
            if (Builtin.Contains(name) || name.StartsWith("list<", StringComparison.Ordinal) || name.StartsWith("context<", StringComparison.Ordinal)
                || name.StartsWith("range<", StringComparison.Ordinal) || name.StartsWith("function<", StringComparison.Ordinal))
            {
                try
                {
                    return FeelParser.Expression("x instance of " + name).Eval(new Scope(Scope.Root).Set("x", value)) is true;
                }
                catch (FeelSyntaxException)
                {
                    return true;
                }
            }
            return true;
        }
        return Conforms(value, type);
    }

    private bool Conforms(object? value, ItemType type)
    {
        if (value is null) return true;
        if (type.IsCollection)
        {
            if (value is not List<object?> list) return false;
            var element = new ItemType { Name = type.Name, TypeRef = type.TypeRef, Components = type.Components, AllowedValues = type.AllowedValues };
            return list.All(e => Conforms(e, element));
        }
        if (type.IsFunction) return value is FeelFunction;
        if (type.Components.Count > 0)
        {
            if (value is not FeelContext c) return false;
            foreach (var (name, t) in type.Components)
            {
                if (!c.TryGet(name, out var v) || !Conforms(v, t)) return false;
            }
            return true;
        }
        if (type.TypeRef is not null && !Conforms(value, type.TypeRef)) return false;
        if (type.AllowedValues is not null && FeelParser.Matches(type.AllowedValues, value, Scope.Root) != true) return false;
        return true;
    }

    private ItemType? Find(string typeRef) => types.TryGetValue(typeRef, out var t) ? t : types.TryGetValue(Strip(typeRef), out t) ? t : null;

    private static string Strip(string typeRef)
    {
        var colon = typeRef.IndexOf(':', StringComparison.Ordinal);
        var s = colon > 0 && !typeRef.Contains('<', StringComparison.Ordinal) ? typeRef[(colon + 1)..] : typeRef;
        return s.StartsWith("feel.", StringComparison.Ordinal) ? s[5..] : s;
    }
}
