namespace WeOps.Decisions.Feel;

/// <summary>The range relations of DMN 1.4 (before, meets, overlaps, includes, ...); a point is the range [p..p].</summary>
internal static partial class Builtins
{
    private readonly record struct Span(object? Start, bool StartIncluded, int StartInfinity, object? End, bool EndIncluded, int EndInfinity);

    private static IEnumerable<BuiltinFunction> RangeFunctions()
    {
        yield return Relation("before", (a, b) => Lt(a.End, a.EndInfinity, b.Start, b.StartInfinity)
            || ((!a.EndIncluded || !b.StartIncluded) && Eq(a.End, a.EndInfinity, b.Start, b.StartInfinity)));
        yield return Relation("after", (a, b) => Lt(b.End, b.EndInfinity, a.Start, a.StartInfinity)
            || ((!b.EndIncluded || !a.StartIncluded) && Eq(b.End, b.EndInfinity, a.Start, a.StartInfinity)));
        yield return Relation("meets", (a, b) => a.EndIncluded && b.StartIncluded && Eq(a.End, a.EndInfinity, b.Start, b.StartInfinity));
        yield return Relation("met by", (a, b) => b.EndIncluded && a.StartIncluded && Eq(b.End, b.EndInfinity, a.Start, a.StartInfinity));
        yield return Relation("overlaps", Overlaps);
        yield return Relation("overlaps before", OverlapsBefore);
        yield return Relation("overlaps after", (a, b) => OverlapsBefore(b, a));
        yield return Relation("finishes", Finishes);
        yield return Relation("finished by", (a, b) => Finishes(b, a));
        yield return Relation("includes", Includes);
        yield return Relation("during", (a, b) => Includes(b, a));
        yield return Relation("starts", Starts);
        yield return Relation("started by", (a, b) => Starts(b, a));
        yield return Relation("coincides", (a, b) => a.StartIncluded == b.StartIncluded && a.EndIncluded == b.EndIncluded
            && Eq(a.Start, a.StartInfinity, b.Start, b.StartInfinity) && Eq(a.End, a.EndInfinity, b.End, b.EndInfinity));
    }

    private static bool Overlaps(Span a, Span b) =>
        (Lt(b.Start, b.StartInfinity, a.End, a.EndInfinity) || (Eq(a.End, a.EndInfinity, b.Start, b.StartInfinity) && a.EndIncluded && b.StartIncluded))
        && (Lt(a.Start, a.StartInfinity, b.End, b.EndInfinity) || (Eq(a.Start, a.StartInfinity, b.End, b.EndInfinity) && a.StartIncluded && b.EndIncluded));

    private static bool OverlapsBefore(Span a, Span b) =>
        (Lt(a.Start, a.StartInfinity, b.Start, b.StartInfinity) || (Eq(a.Start, a.StartInfinity, b.Start, b.StartInfinity) && a.StartIncluded && !b.StartIncluded))
        && (Lt(b.Start, b.StartInfinity, a.End, a.EndInfinity) || (Eq(a.End, a.EndInfinity, b.Start, b.StartInfinity) && a.EndIncluded && b.StartIncluded))
        && (Lt(a.End, a.EndInfinity, b.End, b.EndInfinity) || (Eq(a.End, a.EndInfinity, b.End, b.EndInfinity) && (!a.EndIncluded || b.EndIncluded)));

    private static bool Finishes(Span a, Span b) =>
        a.EndIncluded == b.EndIncluded && Eq(a.End, a.EndInfinity, b.End, b.EndInfinity)
        && (Lt(b.Start, b.StartInfinity, a.Start, a.StartInfinity) || (Eq(a.Start, a.StartInfinity, b.Start, b.StartInfinity) && (!a.StartIncluded || b.StartIncluded)));

    private static bool Includes(Span a, Span b) =>
        (Lt(a.Start, a.StartInfinity, b.Start, b.StartInfinity) || (Eq(a.Start, a.StartInfinity, b.Start, b.StartInfinity) && (a.StartIncluded || !b.StartIncluded)))
        && (Lt(b.End, b.EndInfinity, a.End, a.EndInfinity) || (Eq(a.End, a.EndInfinity, b.End, b.EndInfinity) && (a.EndIncluded || !b.EndIncluded)));

    private static bool Starts(Span a, Span b) =>
        a.StartIncluded == b.StartIncluded && Eq(a.Start, a.StartInfinity, b.Start, b.StartInfinity)
        && (Lt(a.End, a.EndInfinity, b.End, b.EndInfinity) || (Eq(a.End, a.EndInfinity, b.End, b.EndInfinity) && (!a.EndIncluded || b.EndIncluded)));

    private static BuiltinFunction Relation(string name, Func<Span, Span, bool> test)
    {
        object? Body(IReadOnlyList<object?> a)
        {
            if (ToSpan(a[0]) is not { } x || ToSpan(a[1]) is not { } y) return null;
            return test(x, y);
        }
        return new BuiltinFunction(name,
            new Overload(["point1", "point2"], 2, false, Body),
            new Overload(["point", "range"], 2, false, Body),
            new Overload(["range", "point"], 2, false, Body),
            new Overload(["range1", "range2"], 2, false, Body));
    }

    private static Span? ToSpan(object? v) => v switch
    {
        null => null,
        FeelRange r => new Span(r.Start, r.StartIncluded, r.StartUnbounded ? -1 : 0, r.End, r.EndIncluded, r.EndUnbounded ? 1 : 0),
        List<object?> or FeelContext or FeelFunction or bool => null,
        _ => new Span(v, true, 0, v, true, 0),
    };

    private static int Cmp(object? a, int ai, object? b, int bi)
    {
        if (ai != 0 || bi != 0) return ai.CompareTo(bi) is var c && c != 0 ? c : 0;
        return FeelValues.Compare(a, b) ?? throw new InvalidOperationException("the range ends do not compare");
    }

    private static bool Lt(object? a, int ai, object? b, int bi) => Cmp(a, ai, b, bi) < 0;

    private static bool Eq(object? a, int ai, object? b, int bi) => Cmp(a, ai, b, bi) == 0;
}
