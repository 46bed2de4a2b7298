using System.Globalization;
using System.Text;

namespace WeOps.Decisions.Feel;

/// <summary>A FEEL context: named entries in the order they were written.</summary>
public sealed class FeelContext
{
    private readonly OrderedDictionary<string, object?> entries = new(StringComparer.Ordinal);

    public IEnumerable<KeyValuePair<string, object?>> Entries => entries;

    public int Count => entries.Count;

    public void Set(string key, object? value) => entries[key] = value;

    public bool TryGet(string key, out object? value) => entries.TryGetValue(key, out value);

    public override string ToString() =>
        "{" + string.Join(", ", entries.Select(e => Names.Quote(e.Key) + ": " + FeelValues.ToFeelString(e.Value))) + "}";
}

/// <summary>A FEEL range; an open end is null with <c>Unbounded</c> set.</summary>
public sealed record FeelRange(object? Start, bool StartIncluded, object? End, bool EndIncluded, bool StartUnbounded = false, bool EndUnbounded = false)
{
    public bool? Contains(object? v)
    {
        bool? low = true, high = true;
        if (!StartUnbounded)
        {
            var c = FeelValues.Compare(v, Start);
            low = c is null ? null : StartIncluded ? c >= 0 : c > 0;
        }
        if (!EndUnbounded)
        {
            var c = FeelValues.Compare(v, End);
            high = c is null ? null : EndIncluded ? c <= 0 : c < 0;
        }
        if (low == false || high == false) return false;
        return low is null || high is null ? null : true;
    }

    public override string ToString() =>
        (StartUnbounded && !EndUnbounded ? (EndIncluded ? "<= " : "< ") + FeelValues.ToFeelString(End)
        : EndUnbounded && !StartUnbounded ? (StartIncluded ? ">= " : "> ") + FeelValues.ToFeelString(Start)
        : (StartIncluded ? "[" : "(") + FeelValues.ToFeelString(Start) + ".." + FeelValues.ToFeelString(End) + (EndIncluded ? "]" : ")"));
}

/// <summary>A FEEL function value: built in, defined in FEEL, or a business knowledge model.</summary>
public abstract class FeelFunction
{
    /// <summary>Parameter names; null when the function takes any number of positional arguments.</summary>
    public abstract IReadOnlyList<string>? Parameters { get; }

    public abstract object? Invoke(IReadOnlyList<object?> args);

    /// <summary>Invocation with named arguments; a name the function does not declare makes the result null.</summary>
    public virtual object? InvokeNamed(IReadOnlyList<(string Name, object? Value)> args)
    {
        if (Parameters is not { } parameters) return null;
        var values = new object?[parameters.Count];
        foreach (var (name, value) in args)
        {
            var i = parameters.ToList().IndexOf(name);
            if (i < 0) return null;
            values[i] = value;
        }
        return Invoke(values);
    }
}

internal static class Names
{
    public static string Normalize(string name) => string.Join(' ', name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    public static string Quote(string key) =>
        key.All(c => char.IsLetterOrDigit(c) || c == '_' || c == ' ') && key.Length > 0 && !char.IsDigit(key[0]) ? key : FeelValues.QuoteString(key);
}

/// <summary>Equality, order and text of FEEL values, shared by the evaluator and the built-in functions.</summary>
public static class FeelValues
{
    /// <summary>FEEL equality: null when the two values are of kinds that do not compare.</summary>
    public static bool? Equal(object? a, object? b)
    {
        if (a is null || b is null) return a is null && b is null;
        switch (a)
        {
            case decimal x when b is decimal y: return x == y;
            case string x when b is string y: return x == y;
            case bool x when b is bool y: return x == y;
            case FeelDate x when b is FeelDate y: return x.Value == y.Value;
            case FeelDateTime x when b is FeelDateTime y: return x.Instant == y.Instant && (x.EffectiveOffset is null) == (y.EffectiveOffset is null);
            case FeelTime x when b is FeelTime y: return TimeInstant(x) == TimeInstant(y) && (x.Offset is null && x.Zone is null) == (y.Offset is null && y.Zone is null);
            case YearsMonthsDuration x when b is YearsMonthsDuration y: return x.Months == y.Months;
            case TimeSpan x when b is TimeSpan y: return x == y;
            case List<object?> x when b is List<object?> y:
                if (x.Count != y.Count) return false;
                for (var i = 0; i < x.Count; i++)
                {
                    var e = Equal(x[i], y[i]);
                    if (e != true) return e;
                }
                return true;
            case FeelContext x when b is FeelContext y:
                if (x.Count != y.Count) return false;
                foreach (var (k, v) in x.Entries)
                {
                    if (!y.TryGet(k, out var w)) return false;
                    var e = Equal(v, w);
                    if (e != true) return e;
                }
                return true;
            case FeelRange x when b is FeelRange y:
                return x.StartIncluded == y.StartIncluded && x.EndIncluded == y.EndIncluded && x.StartUnbounded == y.StartUnbounded
                    && x.EndUnbounded == y.EndUnbounded && Equal(x.Start, y.Start) == true && Equal(x.End, y.End) == true;
            case FeelFunction: return ReferenceEquals(a, b);
            default: return null;
        }
    }

    public static int? Compare(object? a, object? b) => a switch
    {
        decimal x when b is decimal y => x.CompareTo(y),
        string x when b is string y => Math.Sign(string.CompareOrdinal(x, y)),
        FeelDate x when b is FeelDate y => x.Value.CompareTo(y.Value),
        FeelDateTime x when b is FeelDateTime y => x.Instant.CompareTo(y.Instant),
        FeelDate x when b is FeelDateTime y => x.Value.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).CompareTo(y.Instant),
        FeelDateTime x when b is FeelDate y => x.Instant.CompareTo(y.Value.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)),
        FeelTime x when b is FeelTime y => TimeInstant(x).CompareTo(TimeInstant(y)),
        YearsMonthsDuration x when b is YearsMonthsDuration y => x.Months.CompareTo(y.Months),
        TimeSpan x when b is TimeSpan y => x.CompareTo(y),
        _ => null,
    };

    /// <summary>A time of day in UTC; a time with a zone but no date takes the zone's offset of today.</summary>
    private static TimeSpan TimeInstant(FeelTime t)
    {
        var off = t.Offset ?? (t.Zone is null ? TimeSpan.Zero : Temporal.FindZone(t.Zone)?.GetUtcOffset(DateTime.UtcNow) ?? TimeSpan.Zero);
        return t.OfDay - off;
    }

    public static string QuoteString(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default: sb.Append(c); break;
            }
        }
        return sb.Append('"').ToString();
    }

    /// <summary>The text of the FEEL <c>string()</c> function: strings unquoted.</summary>
    public static string? ToText(object? v) => v switch
    {
        null => null,
        string s => s,
        _ => ToFeelString(v),
    };

    /// <summary>A value written as FEEL would read it back.</summary>
    public static string ToFeelString(object? v) => v switch
    {
        null => "null",
        string s => QuoteString(s),
        bool b => b ? "true" : "false",
        decimal d => FormatNumber(d),
        TimeSpan t => Temporal.FormatDuration(t),
        List<object?> l => "[" + string.Join(", ", l.Select(ToFeelString)) + "]",
        FeelFunction => "function",
        _ => v.ToString() ?? "",
    };

    public static string FormatNumber(decimal d)
    {
        var s = d.ToString(CultureInfo.InvariantCulture);
        if (s.Contains('.', StringComparison.Ordinal)) s = s.TrimEnd('0').TrimEnd('.');
        return s == "-0" ? "0" : s;
    }

    public static string TypeName(object? v) => v switch
    {
        null => "Null",
        decimal => "number",
        string => "string",
        bool => "boolean",
        FeelDate => "date",
        FeelTime => "time",
        FeelDateTime => "date and time",
        YearsMonthsDuration => "years and months duration",
        TimeSpan => "days and time duration",
        List<object?> => "list",
        FeelContext => "context",
        FeelRange => "range",
        FeelFunction => "function",
        _ => "Any",
    };
}
