using WeOps.Engine.Calendars;

namespace WeOps.Engine.Tests.Calendars;

/// <summary>The calendars the tests measure with.</summary>
internal static class Calendars
{
    public static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    public static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static readonly WorkingHours ServiceDeskDay = WorkingHours.Parse("09:00-18:00");

    /// <summary>Monday to Friday with a lunch break, in Berlin, with two holidays.</summary>
    public static BusinessCalendar BerlinOffice() =>
        new("berlin-office", Berlin, Weekdays(WorkingHours.Parse("08:00-12:00, 13:00-17:00")),
            [new CalendarDay(new DateOnly(2026, 4, 3), WorkingHours.None, "Good Friday"), new CalendarDay(new DateOnly(2026, 12, 24), WorkingHours.Parse("08:00-12:00"), "Christmas Eve")]);

    /// <summary>Night shifts around the changes of the clock: 22:00 to 06:00 every day.</summary>
    public static BusinessCalendar BerlinNights() =>
        new("berlin-nights", Berlin, Enum.GetValues<DayOfWeek>().ToDictionary(d => d, _ => WorkingHours.Parse("00:00-06:00, 22:00-24:00")));

    public static BusinessCalendar BerlinAroundTheClock() =>
        new("berlin-24x7", Berlin, Enum.GetValues<DayOfWeek>().ToDictionary(d => d, _ => WorkingHours.AllDay));

    /// <summary>The service desk in Shanghai, Monday to Friday 09:00-18:00, with the 2026 holidays and make-up days shipped in workflows/.</summary>
    public static BusinessCalendar ChinaServiceDesk()
    {
        var imported = CalendarImport.FromCsv(File.ReadAllText(Path.Combine(Repository.Root, "workflows", "calendars", "china-mainland-2026.csv")), ServiceDeskDay);
        Assert.Empty(imported.Problems);
        return new("service-desk-cn", Shanghai, Weekdays(ServiceDeskDay), imported.Days);
    }

    public static Dictionary<DayOfWeek, WorkingHours> Weekdays(WorkingHours hours) =>
        Enum.GetValues<DayOfWeek>().ToDictionary(d => d, d => d is DayOfWeek.Saturday or DayOfWeek.Sunday ? WorkingHours.None : hours);
}
