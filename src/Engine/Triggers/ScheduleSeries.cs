using Quartz;
using WeOps.Engine.Execution;
using WeOps.Engine.Expressions;
using WeOps.Engine.Model;

namespace WeOps.Engine.Triggers;

/// <summary>The occurrences of a timer start event: an ISO 8601 repeating interval counted from its first
/// occurrence, a one-off date, or a cron expression in a time zone. Occurrences are absolute times, so
/// "the next one after t" is the same whichever node asks and however late it asks.</summary>
public sealed class ScheduleSeries
{
    private readonly CronExpression? cron;
    private readonly DateTimeOffset anchor;
    private readonly TimeSpan interval;
    private readonly int count;

    private ScheduleSeries(CronExpression? cron, DateTimeOffset anchor, TimeSpan interval, int count)
    {
        this.cron = cron;
        this.anchor = anchor;
        this.interval = interval;
        this.count = count;
    }

    /// <summary>The series of a timer start event published at <paramref name="publishedAt"/> (a cycle
    /// without a start date begins one interval later). Throws <see cref="ExpressionException"/> for a value
    /// the validator would refuse.</summary>
    public static ScheduleSeries Of(TimerEventDefinition timer, DateTimeOffset publishedAt)
    {
        switch (timer.Kind)
        {
            case TimerKind.Cron:
                return new ScheduleSeries(Cron(timer.Value, timer.TimeZone), default, default, -1);
            case TimerKind.Date:
                return new ScheduleSeries(null, TimerSchedule.DueDate(timer.Value, publishedAt), TimeSpan.Zero, 1);
            case TimerKind.Cycle:
                var first = TimerSchedule.Arm(timer, timer.Value, publishedAt);
                return new ScheduleSeries(null, first.DueAt, first.Interval!.Value, first.RemainingRepetitions < 0 ? -1 : first.RemainingRepetitions + 1);
            default:
                throw new ExpressionException(timer.Value, "a timer start event needs a date, a cycle (R/PT1H) or a cron expression, not a duration.");
        }
    }

    /// <summary>A series as stored: its kind, value and time zone, and for cycles and dates the first occurrence.</summary>
    public static ScheduleSeries Stored(TimerKind kind, string value, string? timeZone, DateTimeOffset anchor) => kind switch
    {
        TimerKind.Cron => new ScheduleSeries(Cron(value, timeZone), default, default, -1),
        TimerKind.Date => new ScheduleSeries(null, anchor, TimeSpan.Zero, 1),
        _ => Cycle(value, anchor),
    };

    /// <summary>The first occurrence of a cycle or date; for cron, the first after publishing.</summary>
    public DateTimeOffset? First(DateTimeOffset publishedAt) => cron is null ? anchor : Next(publishedAt);

    /// <summary>The first occurrence strictly after <paramref name="after"/>; null when the series has ended.</summary>
    public DateTimeOffset? Next(DateTimeOffset after)
    {
        if (cron is not null) return cron.GetNextValidTimeAfter(after);
        if (after < anchor) return anchor;
        if (interval <= TimeSpan.Zero) return null;
        var index = (after - anchor).Ticks / interval.Ticks + 1;
        if (count >= 0 && index >= count) return null;
        return anchor + TimeSpan.FromTicks(interval.Ticks * index);
    }

    /// <summary>The anchor to store: the first occurrence of a cycle or date.</summary>
    public DateTimeOffset Anchor => anchor;

    private static ScheduleSeries Cycle(string value, DateTimeOffset anchor)
    {
        var armed = TimerSchedule.Arm(new TimerEventDefinition(TimerKind.Cycle, value), value, anchor);
        return new ScheduleSeries(null, anchor, armed.Interval!.Value, armed.RemainingRepetitions < 0 ? -1 : armed.RemainingRepetitions + 1);
    }

    /// <summary>A Quartz cron expression read in a time zone (UTC when none is named).</summary>
    public static CronExpression Cron(string expression, string? timeZone)
    {
        CronExpression cron;
        try
        {
            cron = new CronExpression(expression);
        }
        catch (FormatException e)
        {
            throw new ExpressionException(expression, $"\"{expression}\" is not a cron expression (Quartz syntax, seconds first, such as 0 0 9 ? * MON-FRI): {e.Message}");
        }

        cron.TimeZone = Zone(timeZone);
        return cron;
    }

    /// <summary>A time zone by IANA (Europe/Berlin) or Windows id; UTC for null.</summary>
    public static TimeZoneInfo Zone(string? id)
    {
        if (id is null) return TimeZoneInfo.Utc;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ExpressionException(id, $"\"{id}\" is not a time zone this server knows; use an IANA name such as Europe/Berlin or UTC.");
        }
    }
}
