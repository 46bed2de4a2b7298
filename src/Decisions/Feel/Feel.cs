using System.Collections.Concurrent;

namespace WeOps.Decisions.Feel;

/// <summary>Parses FEEL expressions and unary tests, keeping each parse for the next evaluation of the same text.</summary>
public static class FeelParser
{
    private const int CacheLimit = 20_000;
    private static readonly ConcurrentDictionary<string, Node> Cache = new(StringComparer.Ordinal);

    /// <summary>Parses an expression; <paramref name="knownNames"/> are the names in scope, needed for names with spaces or operators.</summary>
    public static Node Expression(string text, IEnumerable<string>? knownNames = null) => Parse(text, knownNames, unaryTests: false);

    /// <summary>Parses the unary tests of a decision table input entry or an allowed-values list.</summary>
    public static Node UnaryTests(string text, IEnumerable<string>? knownNames = null) => Parse(text, knownNames, unaryTests: true);

    private static Node Parse(string text, IEnumerable<string>? knownNames, bool unaryTests)
    {
        // Only names the lexer cannot read as plain words change the parse, so only those are part of the cache key.
        var names = (knownNames ?? []).Concat(Builtins.FunctionNames).Where(n => IsIrregular(n) && text.Contains(n, StringComparison.Ordinal)).Distinct().ToList();
        var key = (unaryTests ? "t\u0001" : "e\u0001") + text + "\u0001" + string.Join("\u0001", names);
        if (Cache.TryGetValue(key, out var node)) return node;
        node = unaryTests ? Parser.ParseUnaryTests(text, names) : Parser.ParseExpression(text, names);
        if (Cache.Count < CacheLimit) Cache[key] = node;
        return node;
    }

    private static bool IsIrregular(string name) =>
        name.Contains(' ', StringComparison.Ordinal) || !name.All(Lexer.IsNamePart) || name.Length == 0 || !Lexer.IsNameStart(name[0]);

    /// <summary>Whether an input value passes unary tests parsed by <see cref="UnaryTests"/>.</summary>
    public static bool? Matches(Node tests, object? input, Scope scope) =>
        tests is UnaryTests t ? t.Matches(input, scope) : WeOps.Decisions.Feel.UnaryTests.Accept(tests.Eval(scope), input);
}
