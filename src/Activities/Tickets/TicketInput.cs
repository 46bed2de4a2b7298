using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WeOps.Activities.Tickets;

/// <summary>Checks ticket input from outside (API bodies, executor inputs) and turns it into typed
/// values, collecting every problem with the field it concerns.</summary>
public static partial class TicketInput
{
    public const int MaxTitle = 500;
    public const int MaxText = 20000;
    public const int MaxName = 200;
    public const int MaxNote = 2000;
    public const int MaxAffected = 100;
    public const int MaxFieldsJson = 65536;

    public static bool IsNumber(string? text) => text is not null && NumberPattern().IsMatch(text);

    public static NewTicket ReadNew(string? type, string? title, string? description, JsonNode? impact, JsonNode? urgency,
        string? requester, string? assignee, string? group, JsonNode? affected, JsonNode? fields)
    {
        var problems = new List<(string, string)>();
        var machine = TicketStateMachines.ForType(type?.Trim());
        if (machine is null)
            problems.Add(("type", $"one of {string.Join(", ", TicketStateMachines.Types)}."));
        var checkedTitle = Line(title, "title", MaxTitle, problems, required: true);
        var checkedDescription = Text(description, "description", MaxText, problems);
        var impactLevel = Level(impact, "impact", problems);
        var urgencyLevel = Level(urgency, "urgency", problems);
        var ticket = new NewTicket(machine!, checkedTitle ?? "", checkedDescription, impactLevel ?? 3, urgencyLevel ?? 3,
            Line(requester, "requester", MaxName, problems), Line(assignee, "assignee", MaxName, problems), Line(group, "group", MaxName, problems),
            Affected(affected, problems) ?? TicketAffected.None, Fields(fields, problems) ?? []);
        if (machine is not null) TypeFields(machine.Type, ticket.Fields, problems);
        return problems.Count > 0 ? throw new TicketInputException(problems) : ticket;
    }

    public static TicketChanges ReadChanges(string? title, string? description, JsonNode? impact, JsonNode? urgency,
        string? assignee, string? group, JsonNode? affected, JsonNode? fields, bool clearAssignee = false)
    {
        var problems = new List<(string, string)>();
        if (clearAssignee && !string.IsNullOrWhiteSpace(assignee))
            problems.Add(("clearAssignee", "cannot go with an assignee: either name who works on it or take it off them."));
        var changes = new TicketChanges(
            title is null ? null : Line(title, "title", MaxTitle, problems, required: true),
            Text(description, "description", MaxText, problems),
            impact is null ? null : Level(impact, "impact", problems),
            urgency is null ? null : Level(urgency, "urgency", problems),
            Line(assignee, "assignee", MaxName, problems),
            Line(group, "group", MaxName, problems),
            Affected(affected, problems),
            Fields(fields, problems),
            clearAssignee);
        return problems.Count > 0 ? throw new TicketInputException(problems) : changes;
    }

    public static string Comment(string? text)
    {
        var problems = new List<(string, string)>();
        var comment = Text(text, "text", MaxText, problems);
        if (problems.Count == 0 && comment is null) problems.Add(("text", "required: the comment's text."));
        return problems.Count > 0 ? throw new TicketInputException(problems) : comment!;
    }

    public static string? Note(string? text)
    {
        var problems = new List<(string, string)>();
        var note = Text(text, "note", MaxNote, problems);
        return problems.Count > 0 ? throw new TicketInputException(problems) : note;
    }

    private static string? Line(string? value, string field, int max, List<(string, string)> problems, bool required = false)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            if (required) problems.Add((field, "required."));
            return null;
        }

        if (text.Length > max) problems.Add((field, $"at most {max} characters."));
        else if (text.Any(char.IsControl)) problems.Add((field, "one line without control characters."));
        return text;
    }

    private static string? Text(string? value, string field, int max, List<(string, string)> problems)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (value.Length > max) problems.Add((field, $"at most {max} characters."));
        else if (value.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'))) problems.Add((field, "text without control characters."));
        return value.Trim();
    }

    private static int? Level(JsonNode? value, string field, List<(string, string)> problems)
    {
        if (value is null) return null;
        var level = TicketPolicy.ParseLevel(value);
        if (level is null) problems.Add((field, "1, 2 or 3, or high, medium or low."));
        return level;
    }

    private static TicketAffected? Affected(JsonNode? value, List<(string, string)> problems)
    {
        if (value is null) return null;
        if (value is not JsonObject affected || affected.Any(p => p.Key is not ("hosts" or "services")))
        {
            problems.Add(("affected", "an object with 'hosts' and 'services', each a list of names."));
            return null;
        }

        return new TicketAffected(Names(affected["hosts"], "affected.hosts", problems), Names(affected["services"], "affected.services", problems));
    }

    private static List<string> Names(JsonNode? value, string field, List<(string, string)> problems)
    {
        if (value is null) return [];
        if (value is not JsonArray items || items.Count > MaxAffected)
        {
            problems.Add((field, $"a list of at most {MaxAffected} names."));
            return [];
        }

        var names = new List<string>();
        foreach (var item in items)
        {
            var name = item is JsonValue v && v.TryGetValue<string>(out var s) ? s.Trim() : null;
            if (string.IsNullOrEmpty(name) || name.Length > MaxName || name.Any(char.IsControl))
            {
                problems.Add((field, $"each a name of 1 to {MaxName} characters on one line."));
                return [];
            }

            if (!names.Contains(name, StringComparer.Ordinal)) names.Add(name);
        }

        return names;
    }

    private static JsonObject? Fields(JsonNode? value, List<(string, string)> problems)
    {
        if (value is null) return null;
        if (value is not JsonObject fields)
        {
            problems.Add(("fields", "an object of free fields."));
            return null;
        }

        if (fields.ToJsonString().Length > MaxFieldsJson)
        {
            problems.Add(("fields", $"at most {MaxFieldsJson} characters as JSON."));
            return null;
        }

        return fields.DeepClone().AsObject();
    }

    /// <summary>The free fields a type's form names are checked where they are given: a change's risk and
    /// implementation window, a release's version and planned date.</summary>
    private static void TypeFields(string type, JsonObject fields, List<(string, string)> problems)
    {
        switch (type)
        {
            case "change":
                if (fields["risk"] is { } risk && !(risk is JsonValue r && r.TryGetValue<string>(out var level) && level is "low" or "medium" or "high"))
                    problems.Add(("fields.risk", "low, medium or high."));
                // The change processes write a window that opens at once as a duration from now (PT0S).
                var start = Time(fields, "windowStart", problems, durationAllowed: true);
                var end = Time(fields, "windowEnd", problems);
                if (start is not null && end is not null && end <= start)
                    problems.Add(("fields.windowEnd", "after the window's start."));
                break;
            case "release":
                if (fields["version"] is { } version && !(version is JsonValue v && v.TryGetValue<string>(out var text) && text.Trim().Length is > 0 and <= 100
                        && !text.Any(char.IsControl)))
                    problems.Add(("fields.version", "a version of 1 to 100 characters on one line, e.g. 2.4.0."));
                Time(fields, "plannedAt", problems);
                break;
        }
    }

    private static DateTimeOffset? Time(JsonObject fields, string name, List<(string, string)> problems, bool durationAllowed = false)
    {
        if (fields[name] is not { } value) return null;
        if (value is JsonValue v && v.TryGetValue<string>(out var text))
        {
            if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var time))
                return time;
            // A duration from now says when the window opens, not where: it has no order to check against the end.
            if (durationAllowed && text.StartsWith('P') && IsDuration(text)) return null;
        }

        problems.Add(($"fields.{name}", durationAllowed
            ? "a date and time, e.g. 2026-12-24T22:00:00Z, or a duration from now, e.g. PT0S."
            : "a date and time, e.g. 2026-12-24T22:00:00Z."));
        return null;
    }

    private static bool IsDuration(string text)
    {
        try
        {
            return System.Xml.XmlConvert.ToTimeSpan(text) >= TimeSpan.Zero;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    [GeneratedRegex("^(INC|CHG|PRB|REL)-[0-9]{6,12}\\z")]
    private static partial Regex NumberPattern();
}
