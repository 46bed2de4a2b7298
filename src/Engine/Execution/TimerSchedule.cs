using System.Globalization;
using System.Xml;
using WeOps.Engine.Expressions;
using WeOps.Engine.Model;
using WeOps.Engine.Triggers;

namespace WeOps.Engine.Execution;

/// <summary>When timers are due: ISO 8601 dates, durations and repeating intervals, and Quartz cron.</summary>
public static class TimerSchedule
{
    /// <summary>A timer wait for a definition whose value has been evaluated; the caller sets the ids.</summary>
    public static TimerWait Arm(TimerEventDefinition definition, string value, DateTimeOffset now)
    {
        value = value.Trim();
        return definition.Kind switch
        {
            TimerKind.Date => new TimerWait { ElementId = "", DueAt = DueDate(value, now) },
            TimerKind.Duration => new TimerWait { ElementId = "", DueAt = now + Duration(value) },
            TimerKind.Cycle => Cycle(value, now),
            TimerKind.Cron => new TimerWait { ElementId = "", DueAt = NextCron(value, now, definition.TimeZone), Cron = value, CronTimeZone = definition.TimeZone, RemainingRepetitions = -1 },
            _ => throw new ArgumentOutOfRangeException(nameof(definition)),
        };
    }

    /// <summary>The next firing of a cycle timer after the one given, or null when it has no more.</summary>
    public static TimerWait? Next(TimerWait fired)
    {
        if (fired.RemainingRepetitions == 0) return null;
        var remaining = fired.RemainingRepetitions < 0 ? -1 : fired.RemainingRepetitions - 1;
        if (fired.Cron is not null) return fired with { DueAt = NextCron(fired.Cron, fired.DueAt, fired.CronTimeZone), RemainingRepetitions = remaining };
        if (fired.Interval is { } interval) return fired with { DueAt = fired.DueAt + interval, RemainingRepetitions = remaining };
        return null;
    }

    /// <summary>An ISO 8601 date-time, or a duration from now.</summary>
    public static DateTimeOffset DueDate(string value, DateTimeOffset now)
    {
        value = value.Trim();
        return value.StartsWith('P') ? now + Duration(value) : Date(value);
    }

    public static TimeSpan Duration(string value)
    {
        try
        {
            var duration = XmlConvert.ToTimeSpan(value.Trim());
            if (duration >= TimeSpan.Zero) return duration;
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
        }

        throw new ExpressionException(value, $"\"{value}\" is not an ISO 8601 duration such as PT5M or P1D.");
    }

    private static DateTimeOffset Date(string value)
    {
        try
        {
            return XmlConvert.ToDateTimeOffset(value.Trim());
        }
        catch (FormatException)
        {
            // ISO 8601 lets the seconds go: a form's date-time field sends 2026-03-01T09:00+08:00, which the form's check
            // accepts; the timer reads it alike (without an offset as XmlConvert reads one: local to the server).
            if (DateTimeOffset.TryParseExact(value.Trim(), "yyyy-MM-dd'T'HH:mmK", CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var minutes))
                return minutes;
            throw new ExpressionException(value, $"\"{value}\" is not an ISO 8601 date-time such as 2026-03-01T09:00:00Z.");
        }
    }

    /// <summary>Checks a timer value without arming it; returns what is wrong, or null.</summary>
    public static string? Check(TimerKind kind, string value, string? timeZone = null)
    {
        try
        {
            Arm(new TimerEventDefinition(kind, value) { TimeZone = timeZone }, value, DateTimeOffset.UnixEpoch);
            return null;
        }
        catch (ExpressionException e)
        {
            return e.Message;
        }
    }

    /// <summary><c>R[n]/duration</c> or <c>R[n]/start/duration</c>; R alone repeats forever.</summary>
    private static TimerWait Cycle(string value, DateTimeOffset now)
    {
        var parts = value.Split('/');
        var repetitions = -1;
        var valid = parts.Length is 2 or 3 && parts[0].StartsWith('R')
            && (parts[0].Length == 1 || (int.TryParse(parts[0][1..], NumberStyles.None, CultureInfo.InvariantCulture, out repetitions) && repetitions >= 1));
        TimeSpan interval;
        DateTimeOffset first;
        try
        {
            if (!valid) throw new FormatException();
            interval = Duration(parts[^1]);
            first = parts.Length == 3 ? Date(parts[1]) : now + interval;
        }
        catch (Exception e) when (e is FormatException or ExpressionException)
        {
            throw new ExpressionException(value, $"\"{value}\" is not an ISO 8601 repeating interval such as R/PT1H, R3/PT10M or R/2026-03-01T09:00:00Z/P1D.");
        }

        if (interval <= TimeSpan.Zero)
            throw new ExpressionException(value, $"\"{value}\" repeats every zero seconds; give an interval longer than zero.");
        return new TimerWait
        {
            ElementId = "",
            DueAt = first,
            Interval = interval,
            RemainingRepetitions = repetitions < 0 ? -1 : repetitions - 1,
        };
    }

    private static DateTimeOffset NextCron(string expression, DateTimeOffset after, string? timeZone) =>
        ScheduleSeries.Cron(expression, timeZone).GetNextValidTimeAfter(after)
            ?? throw new ExpressionException(expression, $"\"{expression}\" never fires again.");
}
