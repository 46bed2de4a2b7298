namespace WeOps.Engine.Calendars;

/// <summary>Working time: hours per weekday in a time zone, with dated exceptions (holidays, make-up working days,
/// changed hours). Adds business durations to instants and measures the business time between two instants.
/// Working periods are mapped to instants through the zone, so a day that loses or gains an hour to daylight saving
/// works what the clock on the wall shows; adding a duration and measuring it back always agree.</summary>
public sealed class BusinessCalendar
{
    /// <summary>Ten years of days without a working minute stop a search: a calendar that never works is refused.</summary>
    private const int MaxDaysSearched = 3660;

    private readonly IReadOnlyDictionary<DayOfWeek, WorkingHours> week;
    private readonly IReadOnlyDictionary<DateOnly, CalendarDay> days;

    public BusinessCalendar(string name, TimeZoneInfo zone, IReadOnlyDictionary<DayOfWeek, WorkingHours> week, IEnumerable<CalendarDay>? days = null)
    {
        Name = name;
        Zone = zone;
        this.week = Enum.GetValues<DayOfWeek>().ToDictionary(d => d, d => week.GetValueOrDefault(d) ?? WorkingHours.None);
        var byDate = new Dictionary<DateOnly, CalendarDay>();
        foreach (var day in days ?? [])
        {
            if (!byDate.TryAdd(day.Date, day))
                throw new CalendarException("calendar.dayTwice", $"{day.Date:yyyy-MM-dd} is given twice.", day.Date.ToString("yyyy-MM-dd"));
        }

        this.days = byDate;
        if (!this.week.Values.Any(h => h.IsWorking))
            throw new CalendarException("calendar.noWorkingDay", $"The calendar '{name}' has no working hours on any weekday.", name);
    }

    /// <summary>Every hour of every day, in UTC: the clock of tickets without a business calendar.</summary>
    public static BusinessCalendar AroundTheClock { get; } =
        new("24x7", TimeZoneInfo.Utc, Enum.GetValues<DayOfWeek>().ToDictionary(d => d, _ => WorkingHours.AllDay));

    public string Name { get; }

    public TimeZoneInfo Zone { get; }

    public IReadOnlyCollection<CalendarDay> Days => days.Values.OrderBy(d => d.Date).ToList();

    /// <summary>The hours of a weekday before exceptions.</summary>
    public WorkingHours HoursOf(DayOfWeek day) => week[day];

    /// <summary>The hours of a date, its exception first.</summary>
    public WorkingHours HoursOn(DateOnly date) => days.TryGetValue(date, out var day) ? day.Hours : week[date.DayOfWeek];

    /// <summary>The exception of a date, if it has one.</summary>
    public CalendarDay? DayOn(DateOnly date) => days.GetValueOrDefault(date);

    public bool IsWorking(DateTimeOffset at) =>
        PeriodsOf(LocalDate(at)).Any(p => p.Start <= at && at < p.End);

    /// <summary>The instant <paramref name="duration"/> of working time after <paramref name="start"/>. A duration that
    /// ends with a working period ends at that period's end (17:00, not the next morning); zero gives the first working
    /// instant at or after the start.</summary>
    public DateTimeOffset Add(DateTimeOffset start, TimeSpan duration)
    {
        if (duration < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(duration), "A business duration is not negative.");
        var left = duration;
        var date = LocalDate(start).AddDays(-1);
        for (var searched = 0; searched < MaxDaysSearched; searched++, date = date.AddDays(1))
        {
            foreach (var period in PeriodsOf(date))
            {
                if (period.End <= start) continue;
                var from = period.Start > start ? period.Start : start;
                var available = period.End - from;
                if (left <= available) return from + left;
                left -= available;
            }
        }

        throw new CalendarException("calendar.noWorkingTime", $"The calendar '{Name}' has no working time within ten years of {start:O}.", Name);
    }

    /// <summary>The working time between two instants; negative when <paramref name="to"/> is before <paramref name="from"/>.</summary>
    public TimeSpan Measure(DateTimeOffset from, DateTimeOffset to)
    {
        if (to < from) return -Measure(to, from);
        var total = TimeSpan.Zero;
        var last = LocalDate(to).AddDays(1);
        for (var date = LocalDate(from).AddDays(-1); date <= last; date = date.AddDays(1))
        {
            foreach (var period in PeriodsOf(date))
            {
                var a = period.Start > from ? period.Start : from;
                var b = period.End < to ? period.End : to;
                if (b > a) total += b - a;
            }
        }

        return total;
    }

    /// <summary>A date's working periods as instants.</summary>
    public IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> PeriodsOf(DateOnly date)
    {
        foreach (var period in HoursOn(date).Periods)
            yield return (Instant(date, period.Start), Instant(date, period.End));
    }

    private DateOnly LocalDate(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Zone).DateTime);

    /// <summary>A local wall-clock time as an instant. A time the clocks skip (spring forward) is the first instant
    /// after the gap; a time they show twice (fall back) is its first occurrence.</summary>
    private DateTimeOffset Instant(DateOnly date, TimeSpan time)
    {
        var local = date.ToDateTime(TimeOnly.MinValue).Add(time);
        while (Zone.IsInvalidTime(local)) local = local.AddMinutes(1);
        var offset = Zone.IsAmbiguousTime(local) ? Zone.GetAmbiguousTimeOffsets(local).Max() : Zone.GetUtcOffset(local);
        return new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), offset);
    }
}
