using System.Text.RegularExpressions;

namespace WeOps.Engine.Expressions;

/// <summary>Recognises code written in another expression language than JavaScript, the way files from other
/// engines hold it: FEEL (Camunda 8, <c>= a + 1</c>), JUEL (Camunda 7, <c>#{a}</c>, <c>not a</c>,
/// <c>a eq b</c>) and Groovy scripts. Only asked once the code has failed to parse, so that the message can say
/// what the text is and how JavaScript writes it.</summary>
internal static partial class Dialect
{
    private const string JavaScript = "expressions and scripts here are JavaScript (ES2023)";

    /// <summary>A sentence naming the language the code looks written in, or null.</summary>
    public static string? Recognise(string code, bool isExpression)
    {
        var text = code.Trim();
        if (isExpression && text.StartsWith('=') && !text.StartsWith("==", StringComparison.Ordinal))
            return $"this is a FEEL expression (it starts with '='), but {JavaScript}: write it without the '='";
        if (text.Contains("#{", StringComparison.Ordinal))
            return $"'#{{...}}' is a JUEL expression, but {JavaScript}: write '${{...}}' or the bare expression";
        if (JuelOperator().Match(text) is { Success: true } juel)
            return $"'{juel.Groups["op"].Value}' is a JUEL operator, but {JavaScript}: write '{JavaScriptFor(juel.Groups["op"].Value)}'";
        if (GroovyScript().IsMatch(text))
            return $"this looks like Groovy, but {JavaScript}: declare with let or const, print nothing, and use arrow functions for closures";
        return null;
    }

    private static string JavaScriptFor(string juel) => juel switch
    {
        "not" => "!",
        "and" => "&&",
        "or" => "||",
        "eq" => "==",
        "ne" => "!=",
        "lt" => "<",
        "gt" => ">",
        "le" => "<=",
        "ge" => ">=",
        "div" => "/",
        "mod" => "%",
        _ => "a comparison with null or ''", // empty
    };

    // A JUEL word operator between or before operands; quoted text is left alone by requiring an operand shape.
    [GeneratedRegex(@"(^|[\s(])(?<op>not|empty)\s+[\w$(]|[\w$)\]'""]\s+(?<op>and|or|eq|ne|lt|gt|le|ge|div|mod)\s+[\w$(!'""-]", RegexOptions.CultureInvariant)]
    private static partial Regex JuelOperator();

    [GeneratedRegex(@"(^|\n)\s*(def\s+\w|println\b|import\s+[\w.]+\s*$)|\.each\s*\{|\{\s*\w+\s*->|\bit\.\w+", RegexOptions.CultureInvariant | RegexOptions.Multiline)]
    private static partial Regex GroovyScript();
}
