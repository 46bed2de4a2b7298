using System.Globalization;
using System.Text;

namespace WeOps.Engine.Calendars;

/// <summary>A problem with one line of an imported file: where, a code a client translates, its arguments, English text.</summary>
public sealed record CalendarProblem(int Line, string Code, string Message, IReadOnlyList<string> Args);

/// <summary>The days read from a file and the lines that could not be read; nothing is applied while there are problems.</summary>
public sealed record CalendarImportResult(IReadOnlyList<CalendarDay> Days, IReadOnlyList<CalendarProblem> Problems)
{
    public bool Ok => Problems.Count == 0;
}

/// <summary>Holidays and exceptions from the two files people have: a simple CSV, and iCalendar (.ics) as published by
/// holiday feeds and exported by mail clients.</summary>
public static class CalendarImport
{
    public const int MaxChars = 1_000_000;
    public const int MaxDays = 5_000;
    public const int MaxRangeDays = 366;

    /// <summary>
    /// One day or range per line: <c>date,hours,name</c>. <c>date</c> is <c>2026-02-15</c> or
    /// <c>2026-02-15..2026-02-23</c>; <c>hours</c> is <c>holiday</c> (or 休), <c>working</c> (or 班: the
    /// <paramref name="workday"/> hours, for a make-up working day) or periods such as <c>09:00-12:00 13:00-15:00</c>;
    /// <c>name</c> is optional. Blank lines, lines starting with <c>#</c> and a header line before the first day (starting with <c>date,</c>) are skipped.
    /// </summary>
    public static CalendarImportResult FromCsv(string text, WorkingHours workday)
    {
        var days = new List<CalendarDay>();
        var problems = new List<CalendarProblem>();
        if (Oversized(text, problems)) return new([], problems);
        var lineNo = 0;
        var read = false;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line.StartsWith('#') || (!read && line.StartsWith("date,", StringComparison.OrdinalIgnoreCase))) continue;
            read = true;
            var cells = SplitCsv(line);
            if (cells.Count < 2)
            {
                problems.Add(new(lineNo, "calendar.csvColumns", $"Line {lineNo} needs at least a date and 'holiday', 'working' or hours.", [lineNo.ToString(CultureInfo.InvariantCulture)]));
                continue;
            }

            if (!TryDates(cells[0], out var first, out var last, out var dateProblem))
            {
                problems.Add(new(lineNo, dateProblem.Code, $"Line {lineNo}: {dateProblem.Message}", [lineNo.ToString(CultureInfo.InvariantCulture), cells[0]]));
                continue;
            }

            WorkingHours hours;
            try
            {
                hours = cells[1].Trim().ToLowerInvariant() switch
                {
                    "holiday" or "off" or "休" => WorkingHours.None,
                    "working" or "workday" or "班" => workday,
                    var h => WorkingHours.Parse(h),
                };
            }
            catch (CalendarException e)
            {
                problems.Add(new(lineNo, e.Code, $"Line {lineNo}: {e.Message}", [lineNo.ToString(CultureInfo.InvariantCulture), .. e.Args]));
                continue;
            }

            var name = cells.Count > 2 ? string.Join(",", cells.Skip(2)).Trim() : null;
            AddRange(days, problems, lineNo, first, last, hours, string.IsNullOrEmpty(name) ? null : name);
        }

        return new(days, problems);
    }

    /// <summary>
    /// Every VEVENT is a holiday from DTSTART to DTEND (exclusive, as all-day events are written; one day without DTEND),
    /// named by its SUMMARY; it is a working day instead (with <paramref name="workday"/> hours) when its CATEGORIES holds
    /// <c>working</c> or <c>workday</c>, when <c>X-WEOPS-DAY</c> is <c>working</c>, or when its SUMMARY says 补班 or 上班
    /// as Chinese holiday feeds write make-up days. <c>X-WEOPS-HOURS</c> gives a day's own hours. Recurring events are refused.
    /// </summary>
    public static CalendarImportResult FromIcs(string text, WorkingHours workday)
    {
        var days = new List<CalendarDay>();
        var problems = new List<CalendarProblem>();
        if (Oversized(text, problems)) return new([], problems);
        var lines = Unfold(text);
        if (!lines.Any(l => l.Text.Equals("BEGIN:VCALENDAR", StringComparison.OrdinalIgnoreCase)))
        {
            problems.Add(new(1, "calendar.icsNotCalendar", "The file is not an iCalendar file (no BEGIN:VCALENDAR).", []));
            return new([], problems);
        }

        Dictionary<string, (string Value, string Params)>? ev = null;
        var evLine = 0;
        foreach (var (lineNo, line) in lines)
        {
            if (line.Equals("BEGIN:VEVENT", StringComparison.OrdinalIgnoreCase))
            {
                ev = new(StringComparer.OrdinalIgnoreCase);
                evLine = lineNo;
                continue;
            }

            if (line.Equals("END:VEVENT", StringComparison.OrdinalIgnoreCase) && ev is not null)
            {
                ReadEvent(ev, evLine, workday, days, problems);
                ev = null;
                continue;
            }

            if (ev is null) continue;
            var colon = line.IndexOf(':');
            if (colon <= 0) continue;
            var head = line[..colon];
            var semi = head.IndexOf(';');
            var property = semi < 0 ? head : head[..semi];
            ev[property] = (Unescape(line[(colon + 1)..]), semi < 0 ? "" : head[(semi + 1)..]);
        }

        return new(days, problems);
    }

    private static void ReadEvent(Dictionary<string, (string Value, string Params)> ev, int line, WorkingHours workday, List<CalendarDay> days, List<CalendarProblem> problems)
    {
        var at = line.ToString(CultureInfo.InvariantCulture);
        if (ev.ContainsKey("RRULE") || ev.ContainsKey("RDATE"))
        {
            problems.Add(new(line, "calendar.icsRecurring", $"The event at line {line} repeats (RRULE/RDATE); list each day instead.", [at]));
            return;
        }

        if (!ev.TryGetValue("DTSTART", out var start) || !TryIcsDate(start.Value, out var first))
        {
            problems.Add(new(line, "calendar.icsDate", $"The event at line {line} has no date WeOps can read in DTSTART.", [at]));
            return;
        }

        var last = first;
        if (ev.TryGetValue("DTEND", out var end))
        {
            if (!TryIcsDate(end.Value, out var endDate))
            {
                problems.Add(new(line, "calendar.icsDate", $"The event at line {line} has no date WeOps can read in DTEND.", [at]));
                return;
            }

            // All-day events end on the day after; a timed event ends on its own day.
            var allDay = end.Params.Contains("VALUE=DATE", StringComparison.OrdinalIgnoreCase) || !end.Value.Contains('T');
            last = allDay ? endDate.AddDays(-1) : endDate;
            if (last < first) last = first;
        }

        var summary = ev.TryGetValue("SUMMARY", out var s) ? s.Value.Trim() : null;
        var categories = ev.TryGetValue("CATEGORIES", out var c) ? c.Value : "";
        var marked = ev.TryGetValue("X-WEOPS-DAY", out var x) ? x.Value.Trim() : "";
        var working = marked.Equals("working", StringComparison.OrdinalIgnoreCase)
            || categories.Split(',').Any(k => k.Trim().Equals("working", StringComparison.OrdinalIgnoreCase) || k.Trim().Equals("workday", StringComparison.OrdinalIgnoreCase))
            || (summary is not null && (summary.Contains("补班", StringComparison.Ordinal) || summary.Contains("上班", StringComparison.Ordinal)));
        WorkingHours hours;
        try
        {
            hours = ev.TryGetValue("X-WEOPS-HOURS", out var h) ? WorkingHours.Parse(h.Value) : working ? workday : WorkingHours.None;
        }
        catch (CalendarException e)
        {
            problems.Add(new(line, e.Code, $"The event at line {line}: {e.Message}", [at, .. e.Args]));
            return;
        }

        AddRange(days, problems, line, first, last, hours, string.IsNullOrEmpty(summary) ? null : summary);
    }

    private static void AddRange(List<CalendarDay> days, List<CalendarProblem> problems, int line, DateOnly first, DateOnly last, WorkingHours hours, string? name)
    {
        var at = line.ToString(CultureInfo.InvariantCulture);
        if (last.DayNumber - first.DayNumber >= MaxRangeDays)
        {
            problems.Add(new(line, "calendar.rangeTooLong", $"Line {line}: a range may span at most {MaxRangeDays} days.", [at, MaxRangeDays.ToString(CultureInfo.InvariantCulture)]));
            return;
        }

        for (var d = first; d <= last; d = d.AddDays(1))
        {
            if (days.Count >= MaxDays)
            {
                problems.Add(new(line, "calendar.tooManyDays", $"A file may give at most {MaxDays} days.", [at, MaxDays.ToString(CultureInfo.InvariantCulture)]));
                return;
            }

            if (days.Exists(existing => existing.Date == d))
            {
                problems.Add(new(line, "calendar.dayTwice", $"Line {line}: {d:yyyy-MM-dd} is given twice.", [at, d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)]));
                continue;
            }

            days.Add(new CalendarDay(d, hours, name));
        }
    }

    private static bool Oversized(string text, List<CalendarProblem> problems)
    {
        if (text.Length <= MaxChars) return false;
        problems.Add(new(0, "calendar.fileTooLarge", $"The file has more than {MaxChars:N0} characters.", [MaxChars.ToString(CultureInfo.InvariantCulture)]));
        return true;
    }

    private static bool TryDates(string cell, out DateOnly first, out DateOnly last, out (string Code, string Message) problem)
    {
        var parts = cell.Trim().Split("..", 2, StringSplitOptions.TrimEntries);
        last = default;
        problem = ("calendar.dateUnreadable", $"'{cell}' is not a date (2026-02-15) or a range (2026-02-15..2026-02-23).");
        if (!DateOnly.TryParseExact(parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out first)) return false;
        if (parts.Length == 1) { last = first; return true; }
        if (!DateOnly.TryParseExact(parts[1], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out last)) return false;
        if (last >= first) return true;
        problem = ("calendar.rangeReversed", $"The range '{cell}' ends before it starts.");
        return false;
    }

    private static bool TryIcsDate(string value, out DateOnly date) =>
        DateOnly.TryParseExact(value.Length >= 8 ? value[..8] : value, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>RFC 5545 3.1: a line starting with a space or tab continues the one before.</summary>
    private static List<(int Line, string Text)> Unfold(string text)
    {
        var result = new List<(int, string)>();
        var lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var line = raw.TrimEnd('\r');
            if ((line.StartsWith(' ') || line.StartsWith('\t')) && result.Count > 0)
            {
                var (n, before) = result[^1];
                result[^1] = (n, before + line[1..]);
            }
            else if (line.Length > 0)
            {
                result.Add((lineNo, line));
            }
        }

        return result;
    }

    private static string Unescape(string value) =>
        value.Replace("\\n", "\n", StringComparison.OrdinalIgnoreCase).Replace("\\,", ",", StringComparison.Ordinal)
            .Replace("\\;", ";", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);

    private static List<string> SplitCsv(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else cell.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(ch);
        }

        cells.Add(cell.ToString());
        return cells;
    }
}
