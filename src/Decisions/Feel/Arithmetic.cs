namespace WeOps.Decisions.Feel;

/// <summary>FEEL's + - * / ** over numbers, strings, dates, times and both kinds of duration.</summary>
internal static class Arithmetic
{
    public static object? Apply(string op, object? a, object? b)
    {
        if (a is null || b is null) return null;
        return op switch
        {
            "+" => Add(a, b),
            "-" => Subtract(a, b),
            "*" => Multiply(a, b),
            "/" => Divide(a, b),
            "**" => a is decimal x && b is decimal y ? Power(x, y) : null,
            _ => null,
        };
    }

    private static object? Add(object a, object b) => (a, b) switch
    {
        (decimal x, decimal y) => x + y,
        (string x, string y) => x + y,
        (TimeSpan x, TimeSpan y) => x + y,
        (YearsMonthsDuration x, YearsMonthsDuration y) => new YearsMonthsDuration(x.Months + y.Months),
        (FeelDateTime x, TimeSpan y) => x with { Local = x.Local + y },
        (TimeSpan x, FeelDateTime y) => y with { Local = y.Local + x },
        (FeelDateTime x, YearsMonthsDuration y) => x with { Local = x.Local.AddMonths(y.Months) },
        (YearsMonthsDuration x, FeelDateTime y) => y with { Local = y.Local.AddMonths(x.Months) },
        (FeelDate x, TimeSpan y) => new FeelDate(DateOnly.FromDateTime(x.Value.ToDateTime(TimeOnly.MinValue) + y)),
        (TimeSpan x, FeelDate y) => new FeelDate(DateOnly.FromDateTime(y.Value.ToDateTime(TimeOnly.MinValue) + x)),
        (FeelDate x, YearsMonthsDuration y) => new FeelDate(x.Value.AddMonths(y.Months)),
        (YearsMonthsDuration x, FeelDate y) => new FeelDate(y.Value.AddMonths(x.Months)),
        (FeelTime x, TimeSpan y) => x with { OfDay = Wrap(x.OfDay + y) },
        (TimeSpan x, FeelTime y) => y with { OfDay = Wrap(y.OfDay + x) },
        _ => null,
    };

    private static object? Subtract(object a, object b) => (a, b) switch
    {
        (decimal x, decimal y) => x - y,
        (TimeSpan x, TimeSpan y) => x - y,
        (YearsMonthsDuration x, YearsMonthsDuration y) => new YearsMonthsDuration(x.Months - y.Months),
        (FeelDateTime x, FeelDateTime y) => (x.EffectiveOffset is null) == (y.EffectiveOffset is null) ? x.Instant - y.Instant : null,
        (FeelDate x, FeelDate y) => x.Value.ToDateTime(TimeOnly.MinValue) - y.Value.ToDateTime(TimeOnly.MinValue),
        (FeelDate x, FeelDateTime y) => y.EffectiveOffset is null ? x.Value.ToDateTime(TimeOnly.MinValue) - y.Local : null,
        (FeelDateTime x, FeelDate y) => x.EffectiveOffset is null ? x.Local - y.Value.ToDateTime(TimeOnly.MinValue) : null,
        (FeelDateTime x, TimeSpan y) => x with { Local = x.Local - y },
        (FeelDateTime x, YearsMonthsDuration y) => x with { Local = x.Local.AddMonths(-y.Months) },
        (FeelDate x, TimeSpan y) => new FeelDate(DateOnly.FromDateTime(x.Value.ToDateTime(TimeOnly.MinValue) - y)),
        (FeelDate x, YearsMonthsDuration y) => new FeelDate(x.Value.AddMonths(-y.Months)),
        (FeelTime x, FeelTime y) => TimeDifference(x, y),
        (FeelTime x, TimeSpan y) => x with { OfDay = Wrap(x.OfDay - y) },
        _ => null,
    };

    private static object? Multiply(object a, object b) => (a, b) switch
    {
        (decimal x, decimal y) => x * y,
        (TimeSpan x, decimal y) => TimeSpan.FromTicks((long)(x.Ticks * y)),
        (decimal x, TimeSpan y) => TimeSpan.FromTicks((long)(y.Ticks * x)),
        (YearsMonthsDuration x, decimal y) => new YearsMonthsDuration((int)decimal.Truncate(x.Months * y)),
        (decimal x, YearsMonthsDuration y) => new YearsMonthsDuration((int)decimal.Truncate(y.Months * x)),
        _ => null,
    };

    private static object? Divide(object a, object b) => (a, b) switch
    {
        (decimal, decimal y) when y == 0 => null,
        (decimal x, decimal y) => x / y,
        (TimeSpan, decimal y) when y == 0 => null,
        (TimeSpan x, decimal y) => TimeSpan.FromTicks((long)(x.Ticks / y)),
        (TimeSpan, TimeSpan y) when y == TimeSpan.Zero => null,
        (TimeSpan x, TimeSpan y) => (decimal)x.Ticks / y.Ticks,
        (YearsMonthsDuration, decimal y) when y == 0 => null,
        (YearsMonthsDuration x, decimal y) => new YearsMonthsDuration((int)decimal.Truncate(x.Months / y)),
        (YearsMonthsDuration, YearsMonthsDuration y) when y.Months == 0 => null,
        (YearsMonthsDuration x, YearsMonthsDuration y) => (decimal)x.Months / y.Months,
        _ => null,
    };

    private static object? TimeDifference(FeelTime x, FeelTime y)
    {
        if ((x.Offset is null) != (y.Offset is null)) return null;
        return x.OfDay - (x.Offset ?? TimeSpan.Zero) - (y.OfDay - (y.Offset ?? TimeSpan.Zero));
    }

    private static TimeSpan Wrap(TimeSpan t)
    {
        var ticks = t.Ticks % TimeSpan.TicksPerDay;
        return TimeSpan.FromTicks(ticks < 0 ? ticks + TimeSpan.TicksPerDay : ticks);
    }

    public static decimal? Power(decimal x, decimal y)
    {
        if (y == decimal.Truncate(y) && Math.Abs(y) <= 10000)
        {
            var n = (int)Math.Abs(y);
            var result = 1m;
            var b = x;
            while (n > 0)
            {
                if ((n & 1) == 1) result *= b;
                n >>= 1;
                if (n > 0) b *= b;
            }
            if (y < 0) return result == 0 ? null : 1m / result;
            return result;
        }
        var d = Math.Pow((double)x, (double)y);
        return double.IsFinite(d) ? (decimal)d : null;
    }
}
