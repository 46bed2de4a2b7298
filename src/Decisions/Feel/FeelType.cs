namespace WeOps.Decisions.Feel;

/// <summary>A type named after <c>instance of</c> or in an item definition: <c>number</c>, <c>list&lt;string&gt;</c>, <c>context&lt;a: number&gt;</c>.</summary>
internal sealed record FeelType(string Name, IReadOnlyList<FeelType> Arguments, IReadOnlyList<(string Key, FeelType Type)> Fields)
{
    private static readonly HashSet<string> BuiltIn = new(StringComparer.Ordinal)
    {
        "Any", "Null", "list", "context", "range", "function", "number", "string", "boolean", "date", "time", "date and time", "dateTime",
        "days and time duration", "dayTimeDuration", "years and months duration", "yearMonthDuration",
    };

    public static FeelType Simple(string name) => new(name, [], []);

    public bool IsBuiltIn => BuiltIn.Contains(Name);

    public bool Accepts(object? v)
    {
        switch (Name)
        {
            case "Any": return v is not null;
            case "Null": return v is null;
            case "list":
                return v is List<object?> l && (Arguments.Count == 0 || l.All(e => e is null || Arguments[0].Accepts(e)));
            case "context":
                return v is FeelContext c && Fields.All(f => c.TryGet(f.Key, out var x) && (x is null || f.Type.Accepts(x)));
            case "range":
                return v is FeelRange r && (Arguments.Count == 0 || ((r.StartUnbounded || r.Start is null || Arguments[0].Accepts(r.Start)) && (r.EndUnbounded || r.End is null || Arguments[0].Accepts(r.End))));
            case "function": return v is FeelFunction;
            default:
                var actual = FeelValues.TypeName(v);
                return actual == Name || (Name == "dateTime" && actual == "date and time") || (Name == "dayTimeDuration" && actual == "days and time duration")
                    || (Name == "yearMonthDuration" && actual == "years and months duration");
        }
    }
}
