using WeOps.Decisions.Feel;

namespace WeOps.Decisions.Dmn;

/// <summary>The boxed expressions of DMN: literal, decision table, context, list, relation, invocation, function, conditional, filter, iterator.</summary>
public abstract class DmnExpression
{
    public required string Id { get; init; }

    public string? TypeRef { get; init; }

    internal abstract object? Eval(Scope scope, Evaluation evaluation);
}

public sealed class LiteralExpression : DmnExpression
{
    public required Node Body { get; init; }

    internal override object? Eval(Scope scope, Evaluation evaluation) => Body.Eval(scope);
}

public sealed record ContextEntry(string? Name, string? TypeRef, DmnExpression? Value);

public sealed class ContextExpression : DmnExpression
{
    public required IReadOnlyList<ContextEntry> Entries { get; init; }

    internal override object? Eval(Scope scope, Evaluation evaluation)
    {
        var context = new FeelContext();
        var inner = new Scope(scope, context);
        foreach (var entry in Entries)
        {
            var value = evaluation.Types.Coerce(entry.Value?.Eval(inner, evaluation), entry.TypeRef ?? entry.Value?.TypeRef);
            if (entry.Name is null) return value;
            context.Set(entry.Name, value);
        }
        return context;
    }
}

public sealed class ListExpression : DmnExpression
{
    public required IReadOnlyList<DmnExpression> Items { get; init; }

    internal override object? Eval(Scope scope, Evaluation evaluation) => Items.Select(i => i.Eval(scope, evaluation)).ToList();
}

public sealed class RelationExpression : DmnExpression
{
    public required IReadOnlyList<string> Columns { get; init; }

    public required IReadOnlyList<IReadOnlyList<DmnExpression>> Rows { get; init; }

    internal override object? Eval(Scope scope, Evaluation evaluation)
    {
        var rows = new List<object?>();
        foreach (var row in Rows)
        {
            var c = new FeelContext();
            for (var i = 0; i < Columns.Count && i < row.Count; i++) c.Set(Columns[i], row[i].Eval(scope, evaluation));
            rows.Add(c);
        }
        return rows;
    }
}

public sealed record Binding(string Parameter, DmnExpression? Value);

public sealed class InvocationExpression : DmnExpression
{
    public required DmnExpression Callee { get; init; }

    public required IReadOnlyList<Binding> Bindings { get; init; }

    internal override object? Eval(Scope scope, Evaluation evaluation)
    {
        if (Callee.Eval(scope, evaluation) is not FeelFunction f) return null;
        return f.InvokeNamed(Bindings.Select(b => (b.Parameter, b.Value?.Eval(scope, evaluation))).ToList());
    }
}

public sealed record FormalParameter(string Name, string? TypeRef);

public sealed class FunctionDefinition : DmnExpression
{
    public required IReadOnlyList<FormalParameter> Parameters { get; init; }

    public DmnExpression? Body { get; init; }

    /// <summary>FEEL, Java or PMML; only FEEL bodies run.</summary>
    public string Kind { get; init; } = "FEEL";

    internal override object? Eval(Scope scope, Evaluation evaluation) =>
        Kind == "FEEL" && Body is not null ? new DmnFunction(this, scope, evaluation) : null;
}

/// <summary>A function defined in DMN XML: a knowledge model's logic or a function definition box.</summary>
internal sealed class DmnFunction(FunctionDefinition definition, Scope closure, Evaluation evaluation) : FeelFunction
{
    public override IReadOnlyList<string> Parameters { get; } = definition.Parameters.Select(p => p.Name).ToList();

    public override object? Invoke(IReadOnlyList<object?> args)
    {
        if (args.Count != definition.Parameters.Count) return null;
        using var depth = evaluation.Enter(definition.Id);
        var scope = new Scope(closure);
        for (var i = 0; i < args.Count; i++)
        {
            var p = definition.Parameters[i];
            var value = evaluation.Types.Coerce(args[i], p.TypeRef);
            if (value is null && args[i] is not null) return null;
            scope.Set(p.Name, value);
        }
        return evaluation.Types.Coerce(definition.Body!.Eval(scope, evaluation), definition.TypeRef ?? definition.Body.TypeRef);
    }
}

public sealed class ConditionalExpression : DmnExpression
{
    public required DmnExpression If { get; init; }

    public required DmnExpression Then { get; init; }

    public required DmnExpression Else { get; init; }

    internal override object? Eval(Scope scope, Evaluation evaluation) => If.Eval(scope, evaluation) switch
    {
        true => Then.Eval(scope, evaluation),
        false or null => Else.Eval(scope, evaluation),
        _ => null,
    };
}

public sealed class FilterExpression : DmnExpression
{
    public required DmnExpression In { get; init; }

    public required DmnExpression Match { get; init; }

    internal override object? Eval(Scope scope, Evaluation evaluation)
    {
        var v = In.Eval(scope, evaluation);
        if (v is null) return null;
        var list = v as List<object?> ?? [v];
        var result = new List<object?>();
        foreach (var item in list)
        {
            var keep = Match.Eval(new Scope(new Scope(scope).Set("item", item), item as FeelContext), evaluation);
            if (keep is not (bool or null)) return null;
            if (keep is true) result.Add(item);
        }
        return result;
    }
}

/// <summary>The boxed <c>for</c>, <c>every</c> and <c>some</c> of DMN 1.5.</summary>
public sealed class IteratorExpression : DmnExpression
{
    public required string Kind { get; init; }

    public required string Variable { get; init; }

    public required DmnExpression In { get; init; }

    public required DmnExpression Body { get; init; }

    internal override object? Eval(Scope scope, Evaluation evaluation)
    {
        var source = In.Eval(scope, evaluation);
        if (source is null) return null;
        var items = source as List<object?> ?? [source];
        var results = items.Select(i => Body.Eval(new Scope(scope).Set(Variable, i), evaluation)).ToList();
        return Kind switch
        {
            "every" => results.All(r => r is true) ? true : results.Any(r => r is false) ? false : null,
            "some" => results.Any(r => r is true) ? true : results.All(r => r is false) ? false : null,
            _ => results,
        };
    }
}
