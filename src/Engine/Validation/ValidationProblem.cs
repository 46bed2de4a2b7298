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

/// <summary>Something wrong with a process file, said so a process author can fix it.</summary>
/// <param name="ElementId">The BPMN element at fault; null for the file as a whole.</param>
public sealed record ValidationProblem(string? ElementId, Severity Severity, string Message)
{
    /// <summary>Line in the source file, when known.</summary>
    public int? Line { get; init; }

    public static ValidationProblem Error(string? elementId, string message, int? line = null) =>
        new(elementId, Severity.Error, message) { Line = line };

    public static ValidationProblem Warning(string? elementId, string message, int? line = null) =>
        new(elementId, Severity.Warning, message) { Line = line };

    public override string ToString() =>
        $"{Severity.ToString().ToLowerInvariant()} {(ElementId is null ? "" : $"[{ElementId}] ")}{Message}";
}
