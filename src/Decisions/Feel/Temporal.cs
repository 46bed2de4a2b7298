using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace WeOps.Decisions.Feel;

/// <summary>A FEEL time of day with an optional offset or IANA zone.</summary>
public sealed record FeelTime(TimeSpan OfDay, TimeSpan? Offset, string? Zone)
{
    public override string ToString()
    {
        var s = Temporal.FormatClock(OfDay);
        if (Zone is not null) return s + "@" + Zone;
        return Offset is { } o ? s + Temporal.FormatOffset(o) : s;
    }
}

/// <summary>A FEEL date and time with an optional offset or IANA zone.</summary>
public sealed record FeelDateTime(DateTime Local, TimeSpan? Offset, string? Zone)
{
    /// <summary>The instant, taking a value without offset as UTC so that such values still compare among themselves.</summary>
    public DateTime Instant => DateTime.SpecifyKind(Local - (EffectiveOffset ?? TimeSpan.Zero), DateTimeKind.Utc);

    public TimeSpan? EffectiveOffset
    {
        get
        {
            if (Offset is { } o) return o;
            if (Zone is null) return null;
            var tz = Temporal.FindZone(Zone);
            return tz?.GetUtcOffset(Local);
        }
    }

    public FeelDate Date => new(DateOnly.FromDateTime(Local));

    public FeelTime Time => new(Local.TimeOfDay, Offset, Zone);

    public override string ToString()
    {
        var s = Temporal.FormatDate(DateOnly.FromDateTime(Local)) + "T" + Temporal.FormatClock(Local.TimeOfDay);
        if (Zone is not null) return s + "@" + Zone;
        return Offset is { } o ? s + Temporal.FormatOffset(o) : s;
    }
}

/// <summary>A FEEL date.</summary>
public sealed record FeelDate(DateOnly Value)
{
    public override string ToString() => Temporal.FormatDate(Value);
}

/// <summary>A FEEL years and months duration, held as a count of months.</summary>
public readonly record struct YearsMonthsDuration(int Months)
{
    public override string ToString()
    {
        if (Months == 0) return "P0M";
        var m = Math.Abs(Months);
        var sb = new StringBuilder(Months < 0 ? "-P" : "P");
        if (m / 12 != 0) sb.Append(m / 12).Append('Y');
        if (m % 12 != 0) sb.Append(m % 12).Append('M');
        return sb.ToString();
    }
}

internal static partial class Temporal
{
    [GeneratedRegex(@"^(-?\d{4,9})-(\d\d)-(\d\d)$")]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"^(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d(?::\d\d)?|@[A-Za-z0-9_/+\-]+)?$")]
    private static partial Regex TimePattern();

    [GeneratedRegex(@"^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")]
    private static partial Regex DurationPattern();

    public static TimeZoneInfo? FindZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            return null;
        }
        catch (InvalidTimeZoneException)
        {
            return null;
        }
    }

    public static FeelDate? ParseDate(string s)
    {
        var m = DatePattern().Match(s);
        if (!m.Success) return null;
        if (!int.TryParse(m.Groups[1].Value, CultureInfo.InvariantCulture, out var y) || y < 1 || y > 9999) return null;
        var mo = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        var d = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        if (mo < 1 || mo > 12 || d < 1 || d > DateTime.DaysInMonth(y, mo)) return null;
        return new FeelDate(new DateOnly(y, mo, d));
    }

    public static FeelTime? ParseTime(string s)
    {
        var m = TimePattern().Match(s);
        if (!m.Success) return null;
        var h = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var mi = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        var sec = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        if (h > 24 || mi > 59 || sec > 59 || (h == 24 && (mi > 0 || sec > 0))) return null;
        var frac = m.Groups[4].Success ? decimal.Parse("0" + m.Groups[4].Value, CultureInfo.InvariantCulture) : 0m;
        var ofDay = new TimeSpan(0, h % 24, mi, sec) + TimeSpan.FromTicks((long)(frac * TimeSpan.TicksPerSecond));
        var zone = m.Groups[5].Value;
        if (zone.Length == 0) return new FeelTime(ofDay, null, null);
        if (zone == "Z") return new FeelTime(ofDay, TimeSpan.Zero, null);
        if (zone[0] == '@')
        {
            var id = zone[1..];
            return FindZone(id) is null ? null : new FeelTime(ofDay, null, id);
        }
        var sign = zone[0] == '-' ? -1 : 1;
        var oh = int.Parse(zone.AsSpan(1, 2), CultureInfo.InvariantCulture);
        var om = int.Parse(zone.AsSpan(4, 2), CultureInfo.InvariantCulture);
        if (oh > 18 || om > 59) return null;
        return new FeelTime(ofDay, sign * new TimeSpan(oh, om, 0), null);
    }

    public static FeelDateTime? ParseDateTime(string s)
    {
        var t = s.IndexOf('T', StringComparison.Ordinal);
        if (t < 0)
        {
            var date = ParseDate(s);
            return date is null ? null : new FeelDateTime(date.Value.ToDateTime(TimeOnly.MinValue), null, null);
        }
        var d = ParseDate(s[..t]);
        var time = ParseTime(s[(t + 1)..]);
        if (d is null || time is null) return null;
        return Combine(d, time);
    }

    public static FeelDateTime Combine(FeelDate d, FeelTime t) =>
        new(d.Value.ToDateTime(TimeOnly.MinValue) + t.OfDay, t.Offset, t.Zone);

    public static object? ParseDuration(string s)
    {
        var m = DurationPattern().Match(s);
        if (!m.Success || s.EndsWith('T') || s == "P" || s == "-P") return null;
        var neg = m.Groups[1].Success ? -1 : 1;
        var hasYm = m.Groups[2].Success || m.Groups[3].Success;
        var hasDt = m.Groups[4].Success || m.Groups[5].Success || m.Groups[6].Success || m.Groups[7].Success;
        if (hasYm && !hasDt)
        {
            var y = m.Groups[2].Success ? long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
            var mo = m.Groups[3].Success ? long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) : 0;
            return new YearsMonthsDuration((int)(neg * (y * 12 + mo)));
        }
        if (hasYm) return null;
        decimal Part(int g) => m.Groups[g].Success ? decimal.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture) : 0m;
        var seconds = Part(4) * 86400 + Part(5) * 3600 + Part(6) * 60 + Part(7);
        return TimeSpan.FromTicks((long)(neg * seconds * TimeSpan.TicksPerSecond));
    }

    public static string FormatDate(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string FormatClock(TimeSpan t)
    {
        var s = $"{t.Hours:00}:{t.Minutes:00}:{t.Seconds:00}";
        var frac = t.Ticks % TimeSpan.TicksPerSecond;
        return frac == 0 ? s : s + "." + frac.ToString("0000000", CultureInfo.InvariantCulture).TrimEnd('0');
    }

    public static string FormatOffset(TimeSpan o)
    {
        if (o == TimeSpan.Zero) return "Z";
        var sign = o < TimeSpan.Zero ? "-" : "+";
        var a = o.Duration();
        return $"{sign}{a.Hours:00}:{a.Minutes:00}";
    }

    public static string FormatDuration(TimeSpan d)
    {
        if (d == TimeSpan.Zero) return "PT0S";
        var a = d.Duration();
        var sb = new StringBuilder(d < TimeSpan.Zero ? "-P" : "P");
        if (a.Days != 0) sb.Append(a.Days).Append('D');
        var rest = a - TimeSpan.FromDays(a.Days);
        if (rest == TimeSpan.Zero) return sb.ToString();
        sb.Append('T');
        if (rest.Hours != 0) sb.Append(rest.Hours).Append('H');
        if (rest.Minutes != 0) sb.Append(rest.Minutes).Append('M');
        var secs = rest.Seconds + (rest.Ticks % TimeSpan.TicksPerSecond) / (decimal)TimeSpan.TicksPerSecond;
        if (secs != 0) sb.Append(secs.ToString(CultureInfo.InvariantCulture).TrimEnd('0').TrimEnd('.')).Append('S');
        return sb.ToString();
    }
}
