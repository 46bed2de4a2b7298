using WeOps.Engine.Expressions;
using WeOps.Engine.Model;
using WeOps.Engine.Triggers;

namespace WeOps.Engine.Tests.Triggers;

public sealed class ScheduleSeriesTests
{
    private static readonly DateTimeOffset Published = new(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_cycle_without_a_start_begins_one_interval_after_publishing_and_repeats_forever()
    {
        var series = ScheduleSeries.Of(new TimerEventDefinition(TimerKind.Cycle, "R/PT1H"), Published);

        Assert.Equal(Published.AddHours(1), series.First(Published));
        Assert.Equal(Published.AddHours(2), series.Next(Published.AddHours(1)));
        Assert.Equal(Published.AddHours(1001), series.Next(Published.AddHours(1000.5)));
    }

    [Fact]
    public void A_counted_cycle_from_a_start_date_ends_after_its_repetitions()
    {
        var series = ScheduleSeries.Of(new TimerEventDefinition(TimerKind.Cycle, "R5/2026-01-01T00:00:00Z/P1D"), Published);
        var first = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(first, series.First(Published));
        Assert.Equal(first.AddDays(4), series.Next(first.AddDays(3)));
        Assert.Null(series.Next(first.AddDays(4)));
    }

    [Fact]
    public void A_cron_series_is_read_in_its_time_zone()
    {
        var series = ScheduleSeries.Of(new TimerEventDefinition(TimerKind.Cron, "0 0 9 * * ?") { TimeZone = "Europe/Berlin" }, Published);

        // 09:00 in Berlin is 07:00 UTC in summer time: today's has passed at 08:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 5, 2, 7, 0, 0, TimeSpan.Zero), series.First(Published));
    }

    [Fact]
    public void A_date_happens_once()
    {
        var series = ScheduleSeries.Of(new TimerEventDefinition(TimerKind.Date, "2026-06-01T00:00:00Z"), Published);

        Assert.Equal(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero), series.Next(Published));
        Assert.Null(series.Next(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void An_unknown_time_zone_is_refused_with_its_name()
    {
        var e = Assert.Throws<ExpressionException>(() => ScheduleSeries.Of(new TimerEventDefinition(TimerKind.Cron, "0 0 9 * * ?") { TimeZone = "Mars/Olympus" }, Published));
        Assert.Contains("Mars/Olympus", e.Message, StringComparison.Ordinal);
    }
}
