using System.Globalization;

namespace WeOps.Engine.Calendars;

/// <summary>The working periods of one day in local time, each [start, end) with end at most 24:00, sorted and apart.</summary>
public sealed record WorkingHours
{
    public static readonly WorkingHours None = new([]);
    public static readonly WorkingHours AllDay = new([new WorkingPeriod(TimeSpan.Zero, TimeSpan.FromHours(24))]);

    private WorkingHours(IReadOnlyList<WorkingPeriod> periods) => Periods = periods;

    public IReadOnlyList<WorkingPeriod> Periods { get; }

    public bool IsWorking => Periods.Count > 0;

    public TimeSpan Length => Periods.Aggregate(TimeSpan.Zero, (sum, p) => sum + (p.End - p.Start));

    /// <summary>Periods as given; refuses empty, reversed, overlapping or out-of-day ones, naming the first.</summary>
    public static WorkingHours Of(IEnumerable<WorkingPeriod> periods)
    {
        var sorted = periods.OrderBy(p => p.Start).ToList();
        foreach (var p in sorted)
        {
            if (p.Start < TimeSpan.Zero || p.End > TimeSpan.FromHours(24) || p.End <= p.Start)
                throw new CalendarException("calendar.hoursInvalid", $"The working period {p} must start before it ends, within 00:00-24:00.", p.ToString());
        }

        for (var i = 1; i < sorted.Count; i++)
        {
            if (sorted[i].Start < sorted[i - 1].End)
                throw new CalendarException("calendar.hoursOverlap", $"The working periods {sorted[i - 1]} and {sorted[i]} overlap.", sorted[i - 1].ToString(), sorted[i].ToString());
        }

        return sorted.Count == 0 ? None : new WorkingHours(sorted);
    }

    /// <summary>Reads "09:00-12:00, 13:00-18:00" (commas or spaces between periods; "24:00" ends a day); empty is a day off.</summary>
    public static WorkingHours Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return None;
        var periods = new List<WorkingPeriod>();
        foreach (var part in text.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-');
            if (dash <= 0 || !TryTime(part[..dash], out var start) || !TryTime(part[(dash + 1)..], out var end))
                throw new CalendarException("calendar.hoursUnreadable", $"'{part}' is not a working period such as 09:00-18:00.", part);
            periods.Add(new WorkingPeriod(start, end));
        }

        return Of(periods);
    }

    public override string ToString() => IsWorking ? string.Join(", ", Periods) : "";

    private static bool TryTime(string text, out TimeSpan time)
    {
        time = default;
        var t = text.Trim();
        if (t == "24:00") { time = TimeSpan.FromHours(24); return true; }
        if (!TimeOnly.TryParseExact(t, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var only)) return false;
        time = only.ToTimeSpan();
        return true;
    }
}

/// <summary>One working period of a day, local time from midnight: [Start, End).</summary>
public readonly record struct WorkingPeriod(TimeSpan Start, TimeSpan End)
{
    public override string ToString() => $"{Format(Start)}-{Format(End)}";

    private static string Format(TimeSpan t) => $"{(int)t.TotalHours:00}:{t.Minutes:00}";
}
