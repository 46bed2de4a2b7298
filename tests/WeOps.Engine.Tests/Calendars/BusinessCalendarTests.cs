using WeOps.Engine.Calendars;

namespace WeOps.Engine.Tests.Calendars;

/// <summary>Calendar arithmetic on days people know: the changes of the clock in Berlin, Shanghai's clock that does not
/// change, and the 2026 Spring Festival with its make-up Saturdays.</summary>
public sealed class BusinessCalendarTests
{
    private static readonly TimeSpan Cst = TimeSpan.FromHours(8);

    [Fact]
    public void Around_the_clock_in_Berlin_the_spring_forward_day_has_23_hours_and_the_fall_back_day_25()
    {
        var calendar = Calendars.BerlinAroundTheClock();
        var spring = new DateTimeOffset(2026, 3, 29, 0, 0, 0, TimeSpan.FromHours(1));
        Assert.Equal(TimeSpan.FromHours(23), calendar.Measure(spring, new DateTimeOffset(2026, 3, 30, 0, 0, 0, TimeSpan.FromHours(2))));
        var fall = new DateTimeOffset(2026, 10, 25, 0, 0, 0, TimeSpan.FromHours(2));
        Assert.Equal(TimeSpan.FromHours(25), calendar.Measure(fall, new DateTimeOffset(2026, 10, 26, 0, 0, 0, TimeSpan.FromHours(1))));
        // A day of business time from Saturday noon is Sunday 13:00 on the wall: the clock skipped an hour in between.
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 13, 0, 0, TimeSpan.FromHours(2)), calendar.Add(new DateTimeOffset(2026, 3, 28, 12, 0, 0, TimeSpan.FromHours(1)), TimeSpan.FromHours(24)));
    }

    [Fact]
    public void A_night_shift_works_what_the_wall_clock_shows_on_the_nights_the_clock_changes()
    {
        var calendar = Calendars.BerlinNights();
        // 00:00-06:00 on the spring-forward night is five hours (02:00-03:00 does not exist), on the fall-back night seven.
        Assert.Equal(TimeSpan.FromHours(5), Morning(calendar, new DateOnly(2026, 3, 29)));
        Assert.Equal(TimeSpan.FromHours(7), Morning(calendar, new DateOnly(2026, 10, 25)));
        Assert.Equal(TimeSpan.FromHours(6), Morning(calendar, new DateOnly(2026, 6, 1)));
    }

    [Fact]
    public void Shanghai_keeps_its_clock_all_year_and_every_working_day_has_nine_hours()
    {
        var calendar = Calendars.ChinaServiceDesk();
        foreach (var date in new[] { new DateOnly(2026, 3, 30), new DateOnly(2026, 10, 26), new DateOnly(2026, 7, 1) })
        {
            var (start, end) = calendar.PeriodsOf(date).Single();
            Assert.Equal(TimeSpan.FromHours(9), end - start);
            Assert.Equal(Cst, start.Offset);
        }
    }

    [Fact]
    public void A_P3_opened_on_the_evening_of_the_make_up_Saturday_before_the_Spring_Festival_is_due_on_the_Tuesday_after_it()
    {
        var calendar = Calendars.ChinaServiceDesk();
        // One working day (nine hours) to resolve. Opened Saturday 14 February 2026 at 17:00, a make-up working day:
        // one hour that evening, the holiday from 15 to 23 February, eight hours on Tuesday the 24th.
        var opened = new DateTimeOffset(2026, 2, 14, 17, 0, 0, Cst);
        var due = calendar.Add(opened, TimeSpan.FromHours(9));
        Assert.Equal(new DateTimeOffset(2026, 2, 24, 17, 0, 0, Cst), due);
        Assert.Equal(TimeSpan.FromHours(1), calendar.Measure(opened, new DateTimeOffset(2026, 2, 23, 23, 59, 0, Cst)));
        // Without the make-up Saturday the same ticket would be due an hour later.
        Assert.True(calendar.IsWorking(opened));
        Assert.Equal("春节调休上班 make-up working day", calendar.DayOn(new DateOnly(2026, 2, 14))!.Name);
        // Opened on Friday evening it counts the whole Saturday: due Saturday 18:00.
        Assert.Equal(new DateTimeOffset(2026, 2, 14, 18, 0, 0, Cst), calendar.Add(new DateTimeOffset(2026, 2, 13, 20, 0, 0, Cst), TimeSpan.FromHours(9)));
        // And the make-up Saturday after the festival works too.
        Assert.True(calendar.IsWorking(new DateTimeOffset(2026, 2, 28, 10, 0, 0, Cst)));
        Assert.False(calendar.IsWorking(new DateTimeOffset(2026, 2, 16, 10, 0, 0, Cst)));
    }

    [Fact]
    public void A_duration_that_ends_with_a_working_period_is_due_at_its_end_and_zero_is_the_next_working_instant()
    {
        var calendar = Calendars.BerlinOffice();
        var monday = new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.FromHours(2));
        Assert.Equal(new DateTimeOffset(2026, 6, 1, 17, 0, 0, TimeSpan.FromHours(2)), calendar.Add(monday, TimeSpan.FromHours(8)));
        Assert.Equal(new DateTimeOffset(2026, 6, 1, 13, 0, 0, TimeSpan.FromHours(2)), calendar.Add(new DateTimeOffset(2026, 6, 1, 12, 30, 0, TimeSpan.FromHours(2)), TimeSpan.Zero));
        // Good Friday is a holiday: four working hours from Thursday 15:00 end on Monday 10:00.
        Assert.Equal(new DateTimeOffset(2026, 4, 6, 10, 0, 0, TimeSpan.FromHours(2)), calendar.Add(new DateTimeOffset(2026, 4, 2, 15, 0, 0, TimeSpan.FromHours(2)), TimeSpan.FromHours(4)));
    }

    [Fact]
    public void A_calendar_without_working_weekdays_overlapping_hours_or_a_day_given_twice_is_refused_with_a_code()
    {
        Assert.Equal("calendar.noWorkingDay", Assert.Throws<CalendarException>(() =>
            new BusinessCalendar("never", Calendars.Shanghai, new Dictionary<DayOfWeek, WorkingHours>())).Code);
        Assert.Equal("calendar.hoursOverlap", Assert.Throws<CalendarException>(() => WorkingHours.Parse("09:00-12:00, 11:00-18:00")).Code);
        Assert.Equal("calendar.hoursInvalid", Assert.Throws<CalendarException>(() => WorkingHours.Parse("18:00-09:00")).Code);
        Assert.Equal("calendar.hoursUnreadable", Assert.Throws<CalendarException>(() => WorkingHours.Parse("9am-5pm")).Code);
        var day = new CalendarDay(new DateOnly(2026, 1, 1), WorkingHours.None);
        Assert.Equal("calendar.dayTwice", Assert.Throws<CalendarException>(() =>
            new BusinessCalendar("twice", Calendars.Shanghai, Calendars.Weekdays(Calendars.ServiceDeskDay), [day, day])).Code);
    }

    private static TimeSpan Morning(BusinessCalendar calendar, DateOnly date)
    {
        var (start, end) = calendar.PeriodsOf(date).First();
        return end - start;
    }
}
