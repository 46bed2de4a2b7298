using WeOps.Engine.Model;
using WeOps.Engine.Execution;

namespace WeOps.Engine.Tests.Validation;

public sealed class TimerScheduleTests
{
    [Theory]
    [InlineData(TimerKind.Duration, "PT30S")]
    [InlineData(TimerKind.Duration, "P1DT12H")]
    [InlineData(TimerKind.Date, "2026-03-01T09:00:00Z")]
    [InlineData(TimerKind.Date, "2026-03-01T09:00:00+02:00")]
    [InlineData(TimerKind.Cycle, "R/PT1H")]
    [InlineData(TimerKind.Cycle, "R5/PT10M")]
    [InlineData(TimerKind.Cycle, "R/2026-03-01T09:00:00Z/P1D")]
    [InlineData(TimerKind.Cron, "0 0/15 * * * ?")]
    [InlineData(TimerKind.Cron, "0 0 9 ? * MON-FRI")]
    public void Schedulable_values_pass(TimerKind kind, string value)
    {
        Assert.Null(TimerSchedule.Check(kind, value));
    }

    [Theory]
    [InlineData("2026-12-07T22:00Z", "2026-12-07T22:00:00+00:00")]
    [InlineData("2026-12-07T22:00+08:00", "2026-12-07T14:00:00+00:00")]
    public void A_date_time_to_the_minute_as_a_form_sends_it_is_due_at_that_minute(string value, string due)
    {
        var wait = TimerSchedule.Arm(new TimerEventDefinition(TimerKind.Date, value), value, DateTimeOffset.UnixEpoch);

        Assert.Equal(DateTimeOffset.Parse(due, System.Globalization.CultureInfo.InvariantCulture), wait.DueAt);
    }

    [Theory]
    [InlineData(TimerKind.Duration, "15m")]
    [InlineData(TimerKind.Duration, "-PT1M")]
    [InlineData(TimerKind.Date, "01/03/2026 09:00")]
    [InlineData(TimerKind.Date, "2026-12-07T22")]
    [InlineData(TimerKind.Cycle, "PT1H")]
    [InlineData(TimerKind.Cycle, "R/PT1H/PT2H/PT3H")]
    [InlineData(TimerKind.Cycle, "R/someday/P1D")]
    [InlineData(TimerKind.Cron, "every monday")]
    public void Unschedulable_values_say_what_is_expected(TimerKind kind, string value)
    {
        var message = TimerSchedule.Check(kind, value);

        Assert.NotNull(message);
        Assert.Contains($"\"{value}\"", message, StringComparison.Ordinal);
    }
}
