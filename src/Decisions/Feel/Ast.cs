namespace WeOps.Decisions.Feel;

/// <summary>A parsed FEEL expression or unary test; evaluation never throws for bad data, it yields null.</summary>
public abstract class Node
{
    public abstract object? Eval(Scope scope);

    /// <summary>Whether the node is a literal: a number, string, boolean, null, <c>@"..."</c> or a temporal constructor of a string literal.</summary>
    internal virtual bool IsLiteral => false;
}

internal sealed class Literal(object? value) : Node
{
    public object? Value { get; } = value;

    internal override bool IsLiteral => true;

    public override object? Eval(Scope scope) => Value;
}

internal sealed class NameRef(string name) : Node
{
    public string Name { get; } = name;

    public override object? Eval(Scope scope)
    {
        if (scope.TryGet(Name, out var v)) return v;
        // A model may declare "Person.Name" as a parameter elsewhere; where no such name is in scope it is a path.
        var dot = Name.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !scope.TryGet(Name[..dot].Trim(), out var root)) return null;
        foreach (var part in Name[(dot + 1)..].Split('.')) root = PathNode.Member(root, part.Trim());
        return root;
    }
}

internal sealed class PathNode(Node target, string name) : Node
{
    public override object? Eval(Scope scope) => Member(target.Eval(scope), name);

    internal static object? Member(object? v, string name) => v switch
    {
        FeelContext c => c.TryGet(name, out var x) ? x : null,
        List<object?> l => l.Select(e => Member(e, name)).ToList(),
        FeelDate d => DateMember(d.Value, name),
        FeelDateTime dt => name switch
        {
            "hour" => (decimal)dt.Local.Hour,
            "minute" => (decimal)dt.Local.Minute,
            "second" => (decimal)dt.Local.Second,
            "time offset" => dt.EffectiveOffset is { } o ? o : null,
            "timezone" => dt.Zone,
            _ => DateMember(DateOnly.FromDateTime(dt.Local), name),
        },
        FeelTime t => name switch
        {
            "hour" => (decimal)t.OfDay.Hours,
            "minute" => (decimal)t.OfDay.Minutes,
            "second" => (decimal)t.OfDay.Seconds,
            "time offset" => t.Offset,
            "timezone" => t.Zone,
            _ => null,
        },
        YearsMonthsDuration ym => name switch
        {
            "years" => (decimal)(ym.Months / 12),
            "months" => (decimal)(ym.Months % 12),
            _ => null,
        },
        TimeSpan ts => name switch
        {
            "days" => (decimal)ts.Days,
            "hours" => (decimal)ts.Hours,
            "minutes" => (decimal)ts.Minutes,
            "seconds" => (decimal)ts.Seconds,
            _ => null,
        },
        FeelRange r => name switch
        {
            "start" => r.Start,
            "end" => r.End,
            "start included" => r.StartIncluded,
            "end included" => r.EndIncluded,
            _ => null,
        },
        _ => null,
    };

    private static object? DateMember(DateOnly d, string name) => name switch
    {
        "year" => (decimal)d.Year,
        "month" => (decimal)d.Month,
        "day" => (decimal)d.Day,
        "weekday" => (decimal)(((int)d.DayOfWeek + 6) % 7 + 1),
        _ => null,
    };
}

internal sealed class FilterNode(Node target, Node condition) : Node
{
    public override object? Eval(Scope scope)
    {
        var v = target.Eval(scope);
        if (v is null) return null;
        var list = v as List<object?> ?? [v];
        var index = condition.Eval(new Scope(scope).Set("item", null));
        if (index is decimal n)
        {
            if (n != decimal.Truncate(n)) return null;
            var i = (int)n;
            if (i > 0 && i <= list.Count) return list[i - 1];
            if (i < 0 && -i <= list.Count) return list[list.Count + i];
            return null;
        }
        var result = new List<object?>();
        foreach (var item in list)
        {
            // The entries of a context item are in scope before the implicit name item, so an entry called item wins.
            var s = new Scope(new Scope(scope).Set("item", item), item as FeelContext);
            var keep = condition.Eval(s);
            if (keep is true) result.Add(item);
        }
        return result;
    }
}

internal sealed record Argument(string? Name, Node Value);

internal sealed class CallNode(Node target, IReadOnlyList<Argument> args) : Node
{
    internal override bool IsLiteral =>
        target is NameRef { Name: "date" or "time" or "date and time" or "duration" } && args.Count == 1 && args[0].Value is Literal { Value: string };

    public override object? Eval(Scope scope)
    {
        if (target.Eval(scope) is not FeelFunction f) return null;
        try
        {
            if (args.Count == 0 || args[0].Name is null) return f.Invoke(args.Select(a => a.Value.Eval(scope)).ToList());
            if (args.Any(a => a.Name is null)) return null;
            return f.InvokeNamed(args.Select(a => (a.Name!, a.Value.Eval(scope))).ToList());
        }
        catch (Exception e) when (e is OverflowException or ArgumentException or InvalidCastException or FormatException or DivideByZeroException or IndexOutOfRangeException or InvalidOperationException)
        {
            return null;
        }
    }
}
internal sealed class NegateNode(Node operand) : Node
{
    internal override bool IsLiteral => operand is Literal { Value: decimal };

    public override object? Eval(Scope scope) => operand.Eval(scope) switch
    {
        decimal d => -d,
        TimeSpan t => -t,
        YearsMonthsDuration ym => new YearsMonthsDuration(-ym.Months),
        _ => null,
    };
}

internal sealed class BinaryNode(string op, Node left, Node right) : Node
{
    public override object? Eval(Scope scope)
    {
        var a = left.Eval(scope);
        var b = right.Eval(scope);
        try
        {
            return op switch
            {
                "=" => FeelValues.Equal(a, b),
                "!=" => FeelValues.Equal(a, b) is { } e ? !e : null,
                "<" => FeelValues.Compare(a, b) is { } c ? c < 0 : null,
                "<=" => FeelValues.Compare(a, b) is { } c ? c <= 0 : null,
                ">" => FeelValues.Compare(a, b) is { } c ? c > 0 : null,
                ">=" => FeelValues.Compare(a, b) is { } c ? c >= 0 : null,
                _ => Arithmetic.Apply(op, a, b),
            };
        }
        catch (Exception ex) when (ex is OverflowException or DivideByZeroException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}

internal sealed class LogicNode(bool isAnd, Node left, Node right) : Node
{
    public override object? Eval(Scope scope)
    {
        var a = left.Eval(scope) as bool?;
        var b = right.Eval(scope) as bool?;
        if (isAnd)
        {
            if (a == false || b == false) return false;
            return a == true && b == true ? true : null;
        }
        if (a == true || b == true) return true;
        return a == false && b == false ? false : null;
    }
}

internal sealed class BetweenNode(Node value, Node low, Node high) : Node
{
    public override object? Eval(Scope scope)
    {
        var v = value.Eval(scope);
        var l = FeelValues.Compare(v, low.Eval(scope));
        var h = FeelValues.Compare(v, high.Eval(scope));
        if (l is null || h is null) return null;
        return l >= 0 && h <= 0;
    }
}

internal sealed class InNode(Node value, UnaryTests tests) : Node
{
    public override object? Eval(Scope scope) => tests.Matches(value.Eval(scope), scope);
}

internal sealed class InstanceOfNode(Node value, FeelType type) : Node
{
    /// <summary>The scope entry through which a model lets <c>instance of</c> name its item definitions.</summary>
    internal const string ItemTypes = "\u0001item types";

    public override object? Eval(Scope scope)
    {
        var v = value.Eval(scope);
        if (!type.IsBuiltIn && scope.TryGet(ItemTypes, out var resolver) && resolver is Func<object?, string, bool?> conforms)
            return conforms(v, type.Name);
        return type.Accepts(v);
    }
}

internal sealed class IfNode(Node condition, Node then, Node otherwise) : Node
{
    public override object? Eval(Scope scope) => condition.Eval(scope) is true ? then.Eval(scope) : otherwise.Eval(scope);
}

internal sealed record Iterator(string Name, Node Source, Node? To);

internal abstract class IteratingNode(IReadOnlyList<Iterator> iterators) : Node
{
    /// <summary>Every binding of the iterators, the last varying fastest; null when a source is not iterable.</summary>
    protected IEnumerable<Scope>? Bindings(Scope scope) => Bind(scope, 0);

    private IEnumerable<Scope>? Bind(Scope scope, int index)
    {
        if (index == iterators.Count) return [scope];
        var it = iterators[index];
        var items = Items(it, scope);
        if (items is null) return null;
        var result = new List<Scope>();
        foreach (var item in items)
        {
            var inner = Bind(new Scope(scope).Set(it.Name, item), index + 1);
            if (inner is null) return null;
            result.AddRange(inner);
        }
        return result;
    }

    private static List<object?>? Items(Iterator it, Scope scope)
    {
        var source = it.Source.Eval(scope);
        if (it.To is null)
        {
            if (source is FeelRange { Start: decimal s, End: decimal e } r && !r.StartUnbounded && !r.EndUnbounded)
                return Count(s + (r.StartIncluded ? 0 : 1), e - (r.EndIncluded ? 0 : 1));
            if (source is FeelRange) return null;
            return source as List<object?> ?? (source is null ? null : [source]);
        }
        var end = it.To.Eval(scope);
        if (source is decimal from && end is decimal to) return Count(from, to);
        if (source is FeelDate fd && end is FeelDate td)
        {
            var days = td.Value.DayNumber - fd.Value.DayNumber;
            return Count(0, days).Select(d => (object?)new FeelDate(fd.Value.AddDays((int)(decimal)d!))).ToList();
        }
        return null;
    }

    private static List<object?> Count(decimal from, decimal to)
    {
        var list = new List<object?>();
        var step = from <= to ? 1 : -1;
        for (var i = from; step > 0 ? i <= to : i >= to; i += step) list.Add(i);
        return list;
    }
}

internal sealed class ForNode(IReadOnlyList<Iterator> iterators, Node body) : IteratingNode(iterators)
{
    public override object? Eval(Scope scope)
    {
        var bindings = Bindings(scope);
        if (bindings is null) return null;
        var result = new List<object?>();
        foreach (var b in bindings) result.Add(body.Eval(b.Set("partial", result.ToList())));
        return result;
    }
}

internal sealed class QuantifiedNode(bool every, IReadOnlyList<Iterator> iterators, Node condition) : IteratingNode(iterators)
{
    public override object? Eval(Scope scope)
    {
        var bindings = Bindings(scope);
        if (bindings is null) return null;
        var sawNull = false;
        foreach (var b in bindings)
        {
            var v = condition.Eval(b);
            if (v is true && !every) return true;
            if (v is false && every) return false;
            if (v is not bool) sawNull = true;
        }
        return sawNull ? null : every;
    }
}

internal sealed class ListNode(IReadOnlyList<Node> items) : Node
{
    public override object? Eval(Scope scope) => items.Select(i => i.Eval(scope)).ToList();
}

internal sealed class ContextNode(IReadOnlyList<(string Key, Node Value)> entries) : Node
{
    public override object? Eval(Scope scope)
    {
        var context = new FeelContext();
        var inner = new Scope(scope, context);
        foreach (var (key, value) in entries)
        {
            if (context.TryGet(key, out _)) return null;
            context.Set(key, value.Eval(inner));
        }
        return context;
    }
}

internal sealed class RangeNode(bool startIncluded, Node? start, Node? end, bool endIncluded) : Node
{
    /// <summary>Whether both ends are literals, as the <c>range()</c> function requires.</summary>
    internal bool HasLiteralEnds => (start?.IsLiteral ?? true) && (end?.IsLiteral ?? true);

    public override object? Eval(Scope scope)
    {
        var s = start?.Eval(scope);
        var e = end?.Eval(scope);
        if (start is not null && end is not null)
        {
            if (s is null && e is null) return null;
            if (s is not null && e is not null && FeelValues.Compare(s, e) is null) return null;
        }
        return new FeelRange(s, startIncluded, e, endIncluded, start is null, end is null);
    }
}

internal sealed class FunctionNode(IReadOnlyList<string> parameters, IReadOnlyList<FeelType?> types, Node body) : Node
{
    public override object? Eval(Scope scope) => new LambdaFunction(parameters, types, body, scope);
}

internal sealed class LambdaFunction(IReadOnlyList<string> parameters, IReadOnlyList<FeelType?> types, Node body, Scope closure) : FeelFunction
{
    public override IReadOnlyList<string> Parameters => parameters;

    public override object? Invoke(IReadOnlyList<object?> args)
    {
        if (args.Count != parameters.Count) return null;
        var scope = new Scope(closure);
        for (var i = 0; i < parameters.Count; i++)
        {
            if (args[i] is not null && types[i] is { } type && !type.Accepts(args[i])) return null;
            scope.Set(parameters[i], args[i]);
        }
        return body.Eval(scope);
    }
}

/// <summary>A unary test against the input value, written <c>&lt; 5</c>, <c>[1..3]</c>, <c>-</c> or as any expression.</summary>
internal sealed class UnaryTests(IReadOnlyList<Node> tests, bool negated) : Node
{
    public static readonly Node Dash = new Literal(true);

    /// <summary>Unary tests used as an expression evaluate against the input named <c>?</c>.</summary>
    public override object? Eval(Scope scope) => Matches(scope.TryGet("?", out var v) ? v : null, scope);

    public bool? Matches(object? input, Scope scope)
    {
        bool? result = false;
        foreach (var test in tests)
        {
            var m = Match(test, input, scope);
            if (m == true) { result = true; break; }
            if (m is null) result = null;
        }
        return negated ? result is { } r ? !r : null : result;
    }

    private static bool? Match(Node test, object? input, Scope scope)
    {
        if (ReferenceEquals(test, Dash)) return true;
        if (test is UnaryCompare c) return c.Test(input, scope);
        var value = test.Eval(new Scope(scope).Set("?", input));
        if (test is QuestionUse) return value as bool?;
        return Accept(value, input);
    }

    internal static bool? Accept(object? value, object? input) => value switch
    {
        FeelRange r => r.Contains(input),
        List<object?> l when input is List<object?> => FeelValues.Equal(l, input) == true || l.Any(e => FeelValues.Equal(e, input) == true),
        List<object?> l => l.Any(e => Accept(e, input) == true),
        bool b when input is not bool => b,
        _ => FeelValues.Equal(input, value),
    };
}

/// <summary>A test written <c>&lt; e</c>, <c>&gt;= e</c>, <c>= e</c> or <c>!= e</c>; as an expression it is a range.</summary>
internal sealed class UnaryCompare(string op, Node operand) : Node
{
    internal bool HasLiteralOperand => operand.IsLiteral;

    public bool? Test(object? input, Scope scope)
    {
        var v = operand.Eval(new Scope(scope).Set("?", input));
        if (op == "=") return FeelValues.Equal(input, v);
        if (op == "!=") return FeelValues.Equal(input, v) is { } e ? !e : null;
        var c = FeelValues.Compare(input, v);
        if (c is null) return null;
        return op switch { "<" => c < 0, "<=" => c <= 0, ">" => c > 0, _ => c >= 0 };
    }

    public override object? Eval(Scope scope)
    {
        var v = operand.Eval(scope);
        return op switch
        {
            "<" => new FeelRange(null, false, v, false, StartUnbounded: true),
            "<=" => new FeelRange(null, false, v, true, StartUnbounded: true),
            ">" => new FeelRange(v, false, null, false, EndUnbounded: true),
            ">=" => new FeelRange(v, true, null, false, EndUnbounded: true),
            _ => null,
        };
    }
}

/// <summary>Marks a test expression that names the input <c>?</c>, whose boolean result is the verdict.</summary>
internal sealed class QuestionUse(Node inner) : Node
{
    public override object? Eval(Scope scope) => inner.Eval(scope);
}
