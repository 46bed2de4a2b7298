using System.Text.Json.Serialization;

namespace WeOps.Engine.Validation;

[JsonConverter(typeof(JsonStringEnumConverter<Severity>))]
public enum Severity
{
    /// <summary>The process cannot be published or run.</summary>
    [JsonStringEnumMemberName("error")] Error,

    /// <summary>The process runs, but probably not as its author meant.</summary>
    [JsonStringEnumMemberName("warning")] Warning,
}

/// <summary>Something wrong with a process file, said so a process author can fix it: <see cref="Message"/> in
/// English, <see cref="Code"/> and <see cref="Args"/> for a page that says it in the reader's language.</summary>
/// <param name="ElementId">The BPMN element at fault; null for the file as a whole.</param>
public sealed record ValidationProblem(string? ElementId, Severity Severity, string Message)
{
    private static readonly IReadOnlyDictionary<string, string> NoArgs = new Dictionary<string, string>();

    /// <summary>Line in the source file, when known.</summary>
    public int? Line { get; init; }

    /// <summary>What kind of problem this is (<see cref="ProblemCodes"/>); stable across releases.</summary>
    public string Code { get; init; } = ProblemCodes.FileProblem.Code;

    /// <summary>The values the message is made of, by the placeholder names of the code's text.</summary>
    public IReadOnlyDictionary<string, string> Args { get; init; } = NoArgs;

    /// <summary>A problem of the kind <paramref name="code"/>, its message filled from <paramref name="args"/>.</summary>
    public static ValidationProblem Of(ProblemCode code, Severity severity, string? elementId, IReadOnlyDictionary<string, string> args, int? line = null) =>
        new(elementId, severity, code.Format(args)) { Code = code.Code, Args = args, Line = line };

    /// <summary>A problem met while reading the file, said in English only (<see cref="ProblemCodes.FileProblem"/>).</summary>
    public static ValidationProblem Error(string? elementId, string message, int? line = null) =>
        new(elementId, Severity.Error, message) { Line = line, Args = FileArgs(message) };

    /// <inheritdoc cref="Error"/>
    public static ValidationProblem Warning(string? elementId, string message, int? line = null) =>
        new(elementId, Severity.Warning, message) { Line = line, Args = FileArgs(message) };

    /// <summary>Equal when every field is, the arguments compared by content.</summary>
    public bool Equals(ValidationProblem? other) =>
        other is not null && ElementId == other.ElementId && Severity == other.Severity && Message == other.Message && Line == other.Line
        && Code == other.Code && Args.Count == other.Args.Count
        && Args.All(a => other.Args.TryGetValue(a.Key, out var value) && value == a.Value);

    public override int GetHashCode() => HashCode.Combine(ElementId, Severity, Message, Line, Code);

    public override string ToString() =>
        $"{Severity.ToString().ToLowerInvariant()} {Code} {(ElementId is null ? "" : $"[{ElementId}] ")}{Message}";

    private static Dictionary<string, string> FileArgs(string message) => new(StringComparer.Ordinal) { ["message"] = message };
}
