namespace WeOps.Engine.Calendars;

/// <summary>A dated exception to the week: a holiday, or a day whose hours differ (a make-up working day on a weekend,
/// a short day), with the name people know it by.</summary>
public sealed record CalendarDay(DateOnly Date, WorkingHours Hours, string? Name = null)
{
    public bool IsHoliday => !Hours.IsWorking;
}
