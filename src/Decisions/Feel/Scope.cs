namespace WeOps.Decisions.Feel;

/// <summary>The names an expression sees: nested frames over the built-in functions.</summary>
public sealed class Scope
{
    private readonly Scope? parent;
    private readonly Dictionary<string, object?> names = new(StringComparer.Ordinal);
    private readonly FeelContext? context;

    public Scope(Scope? parent = null, FeelContext? context = null)
    {
        this.parent = parent;
        this.context = context;
    }

    /// <summary>The scope that holds only the built-in functions.</summary>
    public static Scope Root { get; } = Builtins.CreateRoot();

    public Scope Set(string name, object? value)
    {
        names[name] = value;
        return this;
    }

    public bool TryGet(string name, out object? value)
    {
        for (var s = this; s is not null; s = s.parent)
        {
            if (s.names.TryGetValue(name, out value)) return true;
            if (s.context is not null && s.context.TryGet(name, out value)) return true;
        }
        value = null;
        return false;
    }
}
