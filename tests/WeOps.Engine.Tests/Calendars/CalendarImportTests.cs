using WeOps.Engine.Calendars;

namespace WeOps.Engine.Tests.Calendars;

/// <summary>Holidays and make-up days from CSV and iCalendar files; every line that cannot be read is named, and
/// nothing is taken from a file with problems.</summary>
public sealed class CalendarImportTests
{
    [Fact]
    public void The_shipped_2026_schedule_of_mainland_China_has_its_holidays_and_six_make_up_working_days()
    {
        var calendar = Calendars.ChinaServiceDesk();
        Assert.Equal(33, calendar.Days.Count(d => d.IsHoliday));
        Assert.Equal(
            [new DateOnly(2026, 1, 4), new DateOnly(2026, 2, 14), new DateOnly(2026, 2, 28), new DateOnly(2026, 5, 9), new DateOnly(2026, 9, 20), new DateOnly(2026, 10, 10)],
            calendar.Days.Where(d => !d.IsHoliday).Select(d => d.Date));
        Assert.All(calendar.Days.Where(d => !d.IsHoliday), d => Assert.Equal(Calendars.ServiceDeskDay, d.Hours));
    }

    [Fact]
    public void A_CSV_reads_single_days_ranges_own_hours_and_quoted_names()
    {
        var result = CalendarImport.FromCsv("""
            date,hours,name
            # comments and blank lines are skipped

            2026-12-24,09:00-12:00,Christmas Eve
            2026-12-25..2026-12-26,holiday,"Christmas, both days"
            2026-12-27,班,调休
            """, Calendars.ServiceDeskDay);
        Assert.True(result.Ok);
        Assert.Equal(4, result.Days.Count);
        Assert.Equal("09:00-12:00", result.Days[0].Hours.ToString());
        Assert.Equal("Christmas, both days", result.Days[2].Name);
        Assert.True(result.Days[1].IsHoliday);
        Assert.Equal(Calendars.ServiceDeskDay, result.Days[3].Hours);
    }

    [Fact]
    public void Garbage_in_a_CSV_is_named_line_by_line()
    {
        var result = CalendarImport.FromCsv(string.Join('\n',
            "2026-13-01,holiday,bad month",
            "2026-02-10..2026-02-01,holiday,reversed",
            "2026-03-01,9-5,unreadable hours",
            "2026-03-02,09:00-12:00 11:00-13:00,overlap",
            "2026-01-01..2027-06-01,holiday,too long",
            "just-one-cell",
            "2026-04-01,holiday,once",
            "2026-04-01,holiday,twice"), Calendars.ServiceDeskDay);
        Assert.False(result.Ok);
        Assert.Equal(
            [(1, "calendar.dateUnreadable"), (2, "calendar.rangeReversed"), (3, "calendar.hoursUnreadable"), (4, "calendar.hoursOverlap"), (5, "calendar.rangeTooLong"), (6, "calendar.csvColumns"), (8, "calendar.dayTwice")],
            result.Problems.Select(p => (p.Line, p.Code)));
        Assert.Equal("3", result.Problems[2].Args[0]);
    }

    [Fact]
    public void An_iCalendar_feed_gives_all_day_holidays_and_make_up_days_from_folded_lines()
    {
        var result = CalendarImport.FromIcs(string.Join("\r\n",
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "BEGIN:VEVENT",
            "DTSTART;VALUE=DATE:20260215",
            "DTEND;VALUE=DATE:20260224",
            "SUMMARY:春节",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "DTSTART;VALUE=DATE:20260214",
            "SUMMARY:春节 补班",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "DTSTART;VALUE=DATE:20261224",
            "DTEND;VALUE=DATE:20261225",
            "SUMMARY:Christmas Eve\\, short day",
            "X-WEOPS-HOURS:09:00-",
            " 12:00",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "DTSTART:20260301T000000Z",
            "DTEND:20260301T235959Z",
            "CATEGORIES:Company,Working",
            "SUMMARY:Stocktaking Sunday",
            "END:VEVENT",
            "END:VCALENDAR"), Calendars.ServiceDeskDay);
        Assert.True(result.Ok, string.Join("; ", result.Problems.Select(p => p.Message)));
        Assert.Equal(9, result.Days.Count(d => d.IsHoliday && d.Name == "春节"));
        Assert.Equal(new DateOnly(2026, 2, 23), result.Days.Where(d => d.Name == "春节").Max(d => d.Date));
        Assert.Equal(Calendars.ServiceDeskDay, result.Days.Single(d => d.Date == new DateOnly(2026, 2, 14)).Hours);
        var eve = result.Days.Single(d => d.Date == new DateOnly(2026, 12, 24));
        Assert.Equal("09:00-12:00", eve.Hours.ToString());
        Assert.Equal("Christmas Eve, short day", eve.Name);
        Assert.Equal(Calendars.ServiceDeskDay, result.Days.Single(d => d.Date == new DateOnly(2026, 3, 1)).Hours);
    }

    [Fact]
    public void An_iCalendar_file_that_repeats_events_or_is_no_calendar_is_refused_by_name()
    {
        Assert.Equal("calendar.icsNotCalendar", Assert.Single(CalendarImport.FromIcs("hello", Calendars.ServiceDeskDay).Problems).Code);
        var recurring = CalendarImport.FromIcs("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260101\nRRULE:FREQ=YEARLY\nEND:VEVENT\nEND:VCALENDAR", Calendars.ServiceDeskDay);
        var problem = Assert.Single(recurring.Problems);
        Assert.Equal(("calendar.icsRecurring", 2), (problem.Code, problem.Line));
        var undated = CalendarImport.FromIcs("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:tomorrow\nEND:VEVENT\nEND:VCALENDAR", Calendars.ServiceDeskDay);
        Assert.Equal("calendar.icsDate", Assert.Single(undated.Problems).Code);
        Assert.Equal("calendar.fileTooLarge", Assert.Single(CalendarImport.FromCsv(new string('x', CalendarImport.MaxChars + 1), Calendars.ServiceDeskDay).Problems).Code);
    }
}
