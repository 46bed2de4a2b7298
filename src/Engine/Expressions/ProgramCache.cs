using System.Collections.Concurrent;

namespace WeOps.Engine.Expressions;

/// <summary>Parsed programs by source text, shared by all evaluators in the process. Bounded: when full it is
/// emptied, which costs one parse per program still in use.</summary>
internal sealed class ProgramCache(int capacity)
{
    public static readonly ProgramCache Shared = new(4096);

    private readonly ConcurrentDictionary<(bool IsScript, string Text), ParsedProgram> programs = new();

    public ParsedProgram Expression(string expression) => GetOrParse(false, expression);

    public ParsedProgram Script(string script) => GetOrParse(true, script);

    private ParsedProgram GetOrParse(bool isScript, string text)
    {
        if (programs.TryGetValue((isScript, text), out var known)) return known;

        var parsed = isScript ? ParsedProgram.ParseScript(text) : ParsedProgram.ParseExpression(text);
        // Count takes every lock of the dictionary: fine here, where a parse has just been paid for anyway.
        if (programs.Count >= capacity) programs.Clear();
        return programs.GetOrAdd((isScript, text), parsed);
    }
}
