using CsCheck;
using WeOps.Engine.Calendars;

namespace WeOps.Engine.Tests.Calendars;

/// <summary>Calendar arithmetic as properties over random instants (2025 to 2027, through every change of the clock in
/// Berlin) and random durations up to three working weeks, on calendars with lunch breaks, holidays, make-up working
/// days, night shifts across midnight and around the clock.</summary>
public sealed class BusinessCalendarPropertyTests
{
    private static readonly long From = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
    private static readonly long To = new DateTimeOffset(2027, 12, 31, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    public static TheoryData<string> Names => ["berlin-office", "berlin-nights", "berlin-24x7", "service-desk-cn"];

    private static readonly Gen<(DateTimeOffset Start, TimeSpan Duration)> Cases =
        Gen.Select(Gen.Long[From, To], Gen.Int[0, 120 * 60], (seconds, minutes) =>
            (DateTimeOffset.FromUnixTimeSeconds(seconds), TimeSpan.FromMinutes(minutes)));

    [Theory]
    [MemberData(nameof(Names))]
    public void Adding_a_business_duration_and_measuring_it_back_gives_the_same_duration(string name)
    {
        var calendar = Of(name);
        Cases.Sample(c => Assert.Equal(c.Duration, calendar.Measure(c.Start, calendar.Add(c.Start, c.Duration))), iter: 2_000);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_due_date_never_falls_outside_working_time(string name)
    {
        var calendar = Of(name);
        Cases.Sample(c =>
        {
            var due = calendar.Add(c.Start, c.Duration);
            var local = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(due, calendar.Zone).DateTime);
            var periods = calendar.PeriodsOf(local.AddDays(-1)).Concat(calendar.PeriodsOf(local)).Concat(calendar.PeriodsOf(local.AddDays(1)));
            Assert.True(periods.Any(p => p.Start <= due && due <= p.End), $"{due:O} (from {c.Start:O} + {c.Duration}) is outside working time");
            Assert.True(due >= c.Start);
        }, iter: 2_000);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_longer_duration_is_never_due_earlier_and_the_time_between_splits_at_any_instant(string name)
    {
        var calendar = Of(name);
        Gen.Select(Cases, Gen.Int[0, 120 * 60]).Sample(pair =>
        {
            var ((start, duration), extra) = pair;
            var first = calendar.Add(start, duration);
            var second = calendar.Add(start, duration + TimeSpan.FromMinutes(extra));
            Assert.True(second >= first);
            Assert.Equal(calendar.Measure(start, second), calendar.Measure(start, first) + calendar.Measure(first, second));
        }, iter: 1_000);
    }

    private static BusinessCalendar Of(string name) => name switch
    {
        "berlin-office" => Calendars.BerlinOffice(),
        "berlin-nights" => Calendars.BerlinNights(),
        "berlin-24x7" => Calendars.BerlinAroundTheClock(),
        "service-desk-cn" => Calendars.ChinaServiceDesk(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
