using System.Globalization;
using System.Text.RegularExpressions;

namespace WeOps.Decisions.Feel;

/// <summary>The FEEL built-in function library (DMN 1.5 chapter 10.3.4), as values in the root scope.</summary>
internal static partial class Builtins
{
    private static readonly string[] Months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    private static readonly BuiltinFunction[] Library = [.. All()];

    /// <summary>The names of the library, which the parser must know before any scope exists (several have spaces).</summary>
    public static IReadOnlyList<string> FunctionNames { get; } = Library.Select(f => f.Name).ToList();

    public static Scope CreateRoot()
    {
        var scope = new Scope();
        foreach (var f in Library) scope.Set(f.Name, f);
        return scope;
    }

    private static BuiltinFunction F(string name, string[] parameters, Func<IReadOnlyList<object?>, object?> body, int? required = null) =>
        new(name, new Overload(parameters, required ?? parameters.Length, false, body));

    private static BuiltinFunction ListOrArgs(string name, Func<List<object?>, object?> body) =>
        new(name, new Overload(["list"], 1, true, args => args.Count == 1 && args[0] is List<object?> l ? body(l) : body([.. args])));

    private static object? Arg(IReadOnlyList<object?> a, int i) => i < a.Count ? a[i] : null;

    /// <summary>A number where the library wants an integer: truncated, as the TCK expects of positions, lengths and scales.</summary>
    private static int? Int(object? v) => v is decimal d && Math.Abs(d) < int.MaxValue ? (int)decimal.Truncate(d) : null;

    /// <summary>A single value where a list is expected is a list of one (DMN 1.4 10.3.2.9.4).</summary>
    private static List<object?>? L(object? v) => v as List<object?> ?? (v is null ? null : [v]);

    public static object? FromAtLiteral(string s) =>
        (object?)Temporal.ParseDuration(s) ?? (s.Contains('T', StringComparison.Ordinal) ? Temporal.ParseDateTime(s)
            : s.Contains(':', StringComparison.Ordinal) ? Temporal.ParseTime(s) : Temporal.ParseDate(s));

    private static IEnumerable<BuiltinFunction> All()
    {
        // Conversion
        yield return new BuiltinFunction("date",
            new Overload(["from"], 1, false, a => a[0] switch
            {
                string s => Temporal.ParseDate(s),
                FeelDate d => d,
                FeelDateTime dt => dt.Date,
                _ => null,
            }),
            new Overload(["year", "month", "day"], 3, false, a =>
            {
                if (Int(a[0]) is not { } y || Int(a[1]) is not { } m || Int(a[2]) is not { } d) return null;
                if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > DateTime.DaysInMonth(y, m)) return null;
                return new FeelDate(new DateOnly(y, m, d));
            }));
        yield return new BuiltinFunction("date and time",
            new Overload(["from"], 1, false, a => a[0] switch
            {
                string s => Temporal.ParseDateTime(s),
                FeelDateTime dt => dt,
                FeelDate d => new FeelDateTime(d.Value.ToDateTime(TimeOnly.MinValue), null, null),
                _ => null,
            }),
            new Overload(["date", "time"], 2, false, a => (a[0], a[1]) switch
            {
                (FeelDate d, FeelTime t) => Temporal.Combine(d, t),
                (FeelDateTime dt, FeelTime t) => Temporal.Combine(dt.Date, t),
                _ => null,
            }));
        yield return new BuiltinFunction("time",
            new Overload(["from"], 1, false, a => a[0] switch
            {
                string s => Temporal.ParseTime(s),
                FeelTime t => t,
                FeelDateTime dt => dt.Time,
                FeelDate => new FeelTime(TimeSpan.Zero, TimeSpan.Zero, null),
                _ => null,
            }),
            new Overload(["hour", "minute", "second", "offset"], 3, false, a =>
            {
                if (Int(a[0]) is not { } h || Int(a[1]) is not { } m || a[2] is not decimal s) return null;
                if (h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s >= 60) return null;
                var off = Arg(a, 3) as TimeSpan?;
                if (Arg(a, 3) is not null and not TimeSpan) return null;
                return new FeelTime(new TimeSpan(h, m, 0) + TimeSpan.FromTicks((long)(s * TimeSpan.TicksPerSecond)), off, null);
            }));
        yield return F("duration", ["from"], a => a[0] is string s ? Temporal.ParseDuration(s) : null);
        yield return F("years and months duration", ["from", "to"], a =>
        {
            DateTime? From(object? v) => v switch { FeelDate d => d.Value.ToDateTime(TimeOnly.MinValue), FeelDateTime dt => dt.Local.Date, _ => null };
            if (From(a[0]) is not { } f || From(a[1]) is not { } t) return null;
            var months = (t.Year - f.Year) * 12 + t.Month - f.Month;
            if (months > 0 && t.AddMonths(-months) < f) months--;
            if (months < 0 && t.AddMonths(-months) > f) months++;
            return new YearsMonthsDuration(months);
        });
        yield return F("string", ["from"], a => FeelValues.ToText(a[0]));
        yield return F("number", ["from", "grouping separator", "decimal separator"], a =>
        {
            if (a[0] is not string s) return null;
            var g = Arg(a, 1) as string;
            var d = Arg(a, 2) as string;
            if (g is not (null or " " or "," or ".") || d is not (null or "," or ".") || (g is not null && g == d)) return null;
            if (g is not null) s = s.Replace(g, "", StringComparison.Ordinal);
            if (d is not null) s = s.Replace(d, ".", StringComparison.Ordinal);
            return decimal.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var n) ? n : null;
        }, required: 1);
        yield return F("not", ["negand"], a => a[0] is bool b ? !b : null);
        yield return F("is", ["value1", "value2"], a => Arg(a, 0) is null || Arg(a, 1) is null
            ? Arg(a, 0) is null && Arg(a, 1) is null
            : a[0]!.GetType() == a[1]!.GetType() && (a[0] is not FeelTime and not FeelDateTime ? FeelValues.Equal(a[0], a[1]) == true : a[0]!.Equals(a[1])), required: 1);

        // Strings
        yield return F("substring", ["string", "start position", "length"], a =>
        {
            if (a[0] is not string s || Int(a[1]) is not { } start) return null;
            var cps = CodePoints(s);
            var from = start > 0 ? start - 1 : cps.Count + start;
            if (from < 0 || from >= cps.Count && start != 0) return from == cps.Count ? "" : null;
            var len = Arg(a, 2) is null ? cps.Count - from : Int(a[2]);
            if (len is null || len < 0) return null;
            return string.Concat(cps.Skip(from).Take(len.Value));
        }, required: 2);
        yield return F("string length", ["string"], a => a[0] is string s ? (decimal)CodePoints(s).Count : null);
        yield return F("upper case", ["string"], a => (a[0] as string)?.ToUpperInvariant());
        yield return F("lower case", ["string"], a => (a[0] as string)?.ToLowerInvariant());
        yield return F("substring before", ["string", "match"], a =>
            a[0] is string s && a[1] is string m ? (s.IndexOf(m, StringComparison.Ordinal) is var i and >= 0 ? s[..i] : "") : null);
        yield return F("substring after", ["string", "match"], a =>
            a[0] is string s && a[1] is string m ? (s.IndexOf(m, StringComparison.Ordinal) is var i and >= 0 ? s[(i + m.Length)..] : "") : null);
        yield return F("contains", ["string", "match"], a => a[0] is string s && a[1] is string m ? s.Contains(m, StringComparison.Ordinal) : null);
        yield return F("starts with", ["string", "match"], a => a[0] is string s && a[1] is string m ? s.StartsWith(m, StringComparison.Ordinal) : null);
        yield return F("ends with", ["string", "match"], a => a[0] is string s && a[1] is string m ? s.EndsWith(m, StringComparison.Ordinal) : null);
        yield return F("matches", ["input", "pattern", "flags"], a =>
            a[0] is string s && a[1] is string p && Pattern(p, Arg(a, 2)) is { } r ? r.IsMatch(s) : null, required: 2);
        yield return F("replace", ["input", "pattern", "replacement", "flags"], a =>
            a[0] is string s && a[1] is string p && a[2] is string rep && Pattern(p, Arg(a, 3)) is { } r
                ? r.Replace(s, XPathReplacement(rep)) : null, required: 3);
        yield return F("split", ["string", "delimiter"], a =>
            a[0] is string s && a[1] is string d && Pattern(d, null) is { } r ? r.Split(s).Cast<object?>().ToList() : null);
        yield return F("string join", ["list", "delimiter"], a =>
        {
            if (L(a[0]) is not { } l || l.Any(e => e is not null and not string) || Arg(a, 1) is not (null or string)) return null;
            return string.Join(Arg(a, 1) as string ?? "", l.OfType<string>());
        }, required: 1);

        // Lists
        yield return F("list contains", ["list", "element"], a =>
            a[0] is List<object?> l ? l.Any(e => FeelValues.Equal(e, a[1]) == true) : null);
        yield return F("count", ["list"], a => a[0] is List<object?> l ? (decimal)l.Count : null);
        yield return ListOrArgs("min", l => Extreme(l, -1));
        yield return ListOrArgs("max", l => Extreme(l, 1));
        yield return ListOrArgs("sum", l => l.Count == 0 ? null : l.All(e => e is decimal) ? l.Cast<decimal>().Sum() : null);
        yield return ListOrArgs("product", l => l.Count == 0 ? null : l.All(e => e is decimal) ? l.Cast<decimal>().Aggregate(1m, (x, y) => x * y) : null);
        yield return ListOrArgs("mean", l => l.Count == 0 || !l.All(e => e is decimal) ? null : l.Cast<decimal>().Sum() / l.Count);
        yield return ListOrArgs("median", l =>
        {
            if (l.Count == 0 || !l.All(e => e is decimal)) return null;
            var s = l.Cast<decimal>().Order().ToList();
            return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
        });
        yield return ListOrArgs("stddev", l =>
        {
            if (l.Count < 2 || !l.All(e => e is decimal)) return null;
            var n = l.Cast<decimal>().ToList();
            var mean = n.Sum() / n.Count;
            return Sqrt(n.Sum(x => (x - mean) * (x - mean)) / (n.Count - 1));
        });
        yield return ListOrArgs("mode", l =>
        {
            if (!l.All(e => e is decimal)) return null;
            var groups = l.Cast<decimal>().GroupBy(x => x).ToList();
            if (groups.Count == 0) return new List<object?>();
            var top = groups.Max(g => g.Count());
            return groups.Where(g => g.Count() == top).Select(g => g.Key).Order().Cast<object?>().ToList();
        });
        yield return ListOrArgs("all", l => l.Any(e => e is false) ? false : l.All(e => e is true) ? true : null);
        yield return ListOrArgs("and", l => l.Any(e => e is false) ? false : l.All(e => e is true) ? true : null);
        yield return ListOrArgs("any", l => l.Any(e => e is true) ? true : l.All(e => e is false) ? false : null);
        yield return ListOrArgs("or", l => l.Any(e => e is true) ? true : l.All(e => e is false) ? false : null);
        yield return F("sublist", ["list", "start position", "length"], a =>
        {
            if (a[0] is not List<object?> l || Int(a[1]) is not { } start || start == 0) return null;
            var from = start > 0 ? start - 1 : l.Count + start;
            if (from < 0 || from >= l.Count) return null;
            var len = Arg(a, 2) is null ? l.Count - from : Int(a[2]);
            if (len is null || len < 0 || from + len > l.Count) return null;
            return l.GetRange(from, len.Value);
        }, required: 2);
        yield return new BuiltinFunction("append", new Overload(["list", "item"], 1, true, a =>
            a[0] is List<object?> l ? l.Concat(a.Skip(1)).ToList() : null));
        yield return new BuiltinFunction("concatenate", new Overload(["list"], 0, true, a =>
            a.All(x => x is List<object?>) ? a.SelectMany(x => (List<object?>)x!).ToList() : null));
        yield return F("insert before", ["list", "position", "newItem"], a =>
        {
            if (a[0] is not List<object?> l || Int(a[1]) is not { } p || p == 0) return null;
            var i = p > 0 ? p - 1 : l.Count + p;
            if (i < 0 || i >= l.Count) return null;
            var r = l.ToList();
            r.Insert(i, a[2]);
            return r;
        });
        yield return new BuiltinFunction("list replace",
            new Overload(["list", "position", "newItem"], 3, false, ListReplace),
            new Overload(["list", "match", "newItem"], 3, false, ListReplace));
        yield return F("range", ["from"], a =>
        {
            if (a[0] is not string s) return null;
            try
            {
                var node = Parser.ParseExpression(s, []);
                if (node is not (RangeNode { HasLiteralEnds: true } or UnaryCompare { HasLiteralOperand: true })) return null;
                if (node.Eval(Scope.Root) is not FeelRange r) return null;
                if (!(r.StartUnbounded || IsRangeEnd(r.Start)) || !(r.EndUnbounded || IsRangeEnd(r.End))) return null;
                if (r.Start is not null && r.End is not null && (r.Start.GetType() != r.End.GetType() || FeelValues.Compare(r.Start, r.End) is null or > 0)) return null;
                return r;
            }
            catch (FeelSyntaxException)
            {
                return null;
            }
        });
        yield return F("remove", ["list", "position"], a =>
        {
            if (a[0] is not List<object?> l || Int(a[1]) is not { } p || p == 0) return null;
            var i = p > 0 ? p - 1 : l.Count + p;
            if (i < 0 || i >= l.Count) return null;
            var r = l.ToList();
            r.RemoveAt(i);
            return r;
        });
        yield return F("reverse", ["list"], a => a[0] is List<object?> l ? Enumerable.Reverse(l).ToList() : null);
        yield return F("index of", ["list", "match"], a =>
            a[0] is List<object?> l ? Enumerable.Range(0, l.Count).Where(i => FeelValues.Equal(l[i], a[1]) == true).Select(i => (object?)(decimal)(i + 1)).ToList() : null);
        yield return new BuiltinFunction("union", new Overload(["list"], 0, true, a =>
            a.All(x => x is List<object?>) ? Distinct(a.SelectMany(x => (List<object?>)x!)) : null));
        yield return F("distinct values", ["list"], a => a[0] is List<object?> l ? Distinct(l) : null);
        yield return F("flatten", ["list"], a => a[0] is List<object?> l ? Flatten(l) : null);
        yield return F("sort", ["list", "precedes"], a =>
        {
            if (a[0] is not List<object?> l) return null;
            var r = l.ToList();
            if (Arg(a, 1) is FeelFunction p)
            {
                // Insertion sort: the ordering comes from a FEEL function and need not be a total order.
                for (var i = 1; i < r.Count; i++)
                {
                    var x = r[i];
                    var j = i - 1;
                    while (j >= 0 && p.Invoke([x, r[j]]) is true) { r[j + 1] = r[j]; j--; }
                    r[j + 1] = x;
                }
                return r;
            }
            if (Arg(a, 1) is not null) return null;
            if (r.Count > 1 && r.Skip(1).Any(e => FeelValues.Compare(r[0], e) is null)) return null;
            r.Sort((x, y) => FeelValues.Compare(x, y) ?? 0);
            return r;
        }, required: 1);

        // Numbers
        yield return F("decimal", ["n", "scale"], a => a[0] is decimal n && Int(a[1]) is { } s && s is >= -6111 and <= 6176
            ? RoundTo(n, s, MidpointRounding.ToEven) : null);
        yield return F("floor", ["n", "scale"], a => a[0] is decimal n && Scale(a) is { } s ? RoundTo(n, s, MidpointRounding.ToNegativeInfinity) : null, required: 1);
        yield return F("ceiling", ["n", "scale"], a => a[0] is decimal n && Scale(a) is { } s ? RoundTo(n, s, MidpointRounding.ToPositiveInfinity) : null, required: 1);
        yield return F("round up", ["n", "scale"], a => a[0] is decimal n && Scale(a) is { } s
            ? RoundTo(n, s, n >= 0 ? MidpointRounding.ToPositiveInfinity : MidpointRounding.ToNegativeInfinity) : null, required: 1);
        yield return F("round down", ["n", "scale"], a => a[0] is decimal n && Scale(a) is { } s ? RoundTo(n, s, MidpointRounding.ToZero) : null, required: 1);
        yield return F("round half up", ["n", "scale"], a => a[0] is decimal n && Scale(a) is { } s ? RoundTo(n, s, MidpointRounding.AwayFromZero) : null, required: 1);
        yield return F("round half down", ["n", "scale"], a => a[0] is decimal n && Scale(a) is { } s ? RoundHalfDown(n, s) : null, required: 1);
        yield return F("abs", ["n"], a => a[0] switch
        {
            decimal n => Math.Abs(n),
            TimeSpan t => t.Duration(),
            YearsMonthsDuration ym => new YearsMonthsDuration(Math.Abs(ym.Months)),
            _ => null,
        });
        yield return F("modulo", ["dividend", "divisor"], a =>
        {
            if (a[0] is not decimal x || a[1] is not decimal y || y == 0) return null;
            var r = x % y;
            return r != 0 && (r < 0) != (y < 0) ? r + y : r;
        });
        yield return F("sqrt", ["number"], a => a[0] is decimal n && n >= 0 ? Sqrt(n) : null);
        yield return F("log", ["number"], a => a[0] is decimal n && n > 0 ? (decimal)Math.Log((double)n) : null);
        yield return F("exp", ["number"], a => a[0] is decimal n && Math.Exp((double)n) is var e && e < 7.9e28 ? (decimal)e : null);
        yield return F("odd", ["number"], a => a[0] is decimal n && n == decimal.Truncate(n) ? n % 2 != 0 : null);
        yield return F("even", ["number"], a => a[0] is decimal n && n == decimal.Truncate(n) ? n % 2 == 0 : null);

        // Dates and times
        yield return F("day of year", ["date"], a => DateOf(a[0]) is { } d ? (decimal)d.DayOfYear : null);
        yield return F("day of week", ["date"], a => DateOf(a[0]) is { } d ? d.DayOfWeek.ToString() : null);
        yield return F("month of year", ["date"], a => DateOf(a[0]) is { } d ? Months[d.Month - 1] : null);
        yield return F("week of year", ["date"], a => DateOf(a[0]) is { } d ? (decimal)ISOWeek.GetWeekOfYear(d.ToDateTime(TimeOnly.MinValue)) : null);
        yield return F("now", [], _ => new FeelDateTime(DateTime.UtcNow, TimeSpan.Zero, null));
        yield return F("today", [], _ => new FeelDate(DateOnly.FromDateTime(DateTime.UtcNow)));

        // Contexts
        yield return F("get value", ["m", "key"], a => a[0] is FeelContext c && a[1] is string k && c.TryGet(k, out var v) ? v : null);
        yield return F("get entries", ["m"], a => a[0] is FeelContext c
            ? c.Entries.Select(e => (object?)Entry(e.Key, e.Value)).ToList() : null);
        yield return new BuiltinFunction("context put",
            new Overload(["context", "key", "value"], 3, false, a =>
                a[0] is FeelContext c && a[1] is string k ? Put(c, [k], a[2]) : a[0] is FeelContext c2 && a[1] is List<object?> keys ? Put(c2, keys, a[2]) : null),
            new Overload(["context", "keys", "value"], 3, false, a => a[0] is FeelContext c && a[1] is List<object?> keys ? Put(c, keys, a[2]) : null));
        yield return F("context merge", ["contexts"], a =>
        {
            if (L(a[0]) is not { } l || !l.All(x => x is FeelContext)) return null;
            var r = new FeelContext();
            foreach (var c in l.Cast<FeelContext>())
                foreach (var (k, v) in c.Entries) r.Set(k, v);
            return r;
        });
        yield return F("context", ["entries"], a =>
        {
            if (L(a[0]) is not { } l) return null;
            var r = new FeelContext();
            foreach (var e in l)
            {
                if (e is not FeelContext c || !c.TryGet("key", out var k) || k is not string key || !c.TryGet("value", out var v) || r.TryGet(key, out _)) return null;
                r.Set(key, v);
            }
            return r;
        });

        foreach (var f in RangeFunctions()) yield return f;
    }

    private static bool IsRangeEnd(object? v) => v is null or decimal or string or FeelDate or FeelDateTime or FeelTime or TimeSpan or YearsMonthsDuration;

    private static object? ListReplace(IReadOnlyList<object?> a)
    {
        if (L(a[0]) is not { } l) return null;
        var r = l.ToList();
        if (Int(a[1]) is { } p && p != 0)
        {
            var i = p > 0 ? p - 1 : l.Count + p;
            if (i < 0 || i >= l.Count) return null;
            r[i] = a[2];
            return r;
        }
        if (a[1] is not FeelFunction { Parameters.Count: 2 } match) return null;
        for (var i = 0; i < r.Count; i++)
        {
            var hit = match.Invoke([r[i], a[2]]);
            if (hit is not bool) return null;
            if (hit is true) r[i] = a[2];
        }
        return r;
    }

    private static FeelContext Entry(string key, object? value)
    {
        var c = new FeelContext();
        c.Set("key", key);
        c.Set("value", value);
        return c;
    }

    private static object? Put(FeelContext c, List<object?> keys, object? value)
    {
        if (keys.Count == 0 || keys[0] is not string k) return null;
        var r = new FeelContext();
        foreach (var (key, v) in c.Entries) r.Set(key, v);
        if (keys.Count == 1)
        {
            r.Set(k, value);
            return r;
        }
        if (!c.TryGet(k, out var inner) || inner is not FeelContext ic) return null;
        var nested = Put(ic, keys.GetRange(1, keys.Count - 1), value);
        if (nested is null) return null;
        r.Set(k, nested);
        return r;
    }

    private static DateOnly? DateOf(object? v) => v switch
    {
        FeelDate d => d.Value,
        FeelDateTime dt => DateOnly.FromDateTime(dt.Local),
        _ => null,
    };

    private static int? Scale(IReadOnlyList<object?> a)
    {
        if (Arg(a, 1) is null) return a.Count > 1 && a[1] is null && a.Count == 2 ? null : 0;
        return Int(a[1]);
    }

    private static decimal? RoundTo(decimal n, int scale, MidpointRounding mode)
    {
        if (scale is < -6111 or > 6176) return null;
        if (scale >= 0) return scale > 28 ? n : decimal.Round(n, scale, mode);
        var factor = Arithmetic.Power(10, -scale) ?? 0m;
        return decimal.Round(n / factor, 0, mode) * factor;
    }

    private static decimal? RoundHalfDown(decimal n, int scale)
    {
        if (scale is < -6111 or > 6176) return null;
        if (scale > 28) return n;
        var away = RoundTo(n, scale, MidpointRounding.AwayFromZero);
        var toward = RoundTo(n, scale, MidpointRounding.ToZero);
        if (away is null || toward is null) return null;
        return Math.Abs(n - toward.Value) <= Math.Abs(away.Value - n) ? toward : away;
    }

    internal static decimal Sqrt(decimal n)
    {
        if (n == 0) return 0;
        var x = (decimal)Math.Sqrt((double)n);
        for (var i = 0; i < 4; i++) x = (x + n / x) / 2;
        return x;
    }

    private static object? Extreme(List<object?> l, int sign)
    {
        if (l.Count == 0) return null;
        var best = l[0];
        foreach (var e in l.Skip(1))
        {
            var c = FeelValues.Compare(e, best);
            if (c is null) return null;
            if (c * sign > 0) best = e;
        }
        return best;
    }

    private static List<object?> Distinct(IEnumerable<object?> items)
    {
        var r = new List<object?>();
        foreach (var e in items)
            if (!r.Any(x => FeelValues.Equal(x, e) == true)) r.Add(e);
        return r;
    }

    private static List<object?> Flatten(List<object?> l)
    {
        var r = new List<object?>();
        foreach (var e in l)
        {
            if (e is List<object?> inner) r.AddRange(Flatten(inner));
            else r.Add(e);
        }
        return r;
    }

    private static List<string> CodePoints(string s)
    {
        var r = new List<string>();
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length) { r.Add(s.Substring(i, 2)); i++; }
            else r.Add(s[i].ToString());
        }
        return r;
    }

    private static Regex? Pattern(string pattern, object? flags)
    {
        var options = RegexOptions.None;
        if (flags is string f)
        {
            foreach (var c in f)
            {
                options |= c switch
                {
                    'i' => RegexOptions.IgnoreCase,
                    's' => RegexOptions.Singleline,
                    'm' => RegexOptions.Multiline,
                    'x' => RegexOptions.IgnorePatternWhitespace,
                    'q' => RegexOptions.None,
                    _ => (RegexOptions)(-1),
                };
                if ((int)options == -1) return null;
            }
            if (f.Contains('q', StringComparison.Ordinal)) pattern = Regex.Escape(pattern);
        }
        else if (flags is not null)
        {
            return null;
        }
        try
        {
            return new Regex(pattern, options, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>XPath writes group references as $1 and a literal dollar as \$; .NET wants $1 and $$.</summary>
    private static string XPathReplacement(string r) => r.Replace("\\$", "$$", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
}
