namespace WeOps.Engine.Calendars;

/// <summary>A calendar that cannot be built as given: a code a client translates, its arguments, and an English message.</summary>
public sealed class CalendarException(string code, string message, params string[] args) : Exception(message)
{
    public string Code { get; } = code;

    public IReadOnlyList<string> Args { get; } = args;
}
