using WeOps.Engine.Validation;

namespace WeOps.Engine.Tests.Validation;

/// <summary>Stands in for the Jint-backed <c>JavaScriptSyntax</c>, which is tested with the expressions.
/// Here the validator only has to hand each text to the right check and report the answer, so any
/// text containing <c>@@</c> counts as a syntax error and everything else parses.</summary>
internal sealed class RejectingExpressionSyntax : IExpressionSyntax
{
    public const string Marker = "@@";

    public string? CheckExpression(string expression) => Check(expression);

    public string? CheckTemplate(string template) => Check(template);

    public string? CheckScript(string script) => Check(script);

    private static string? Check(string text) =>
        text.Contains(Marker, StringComparison.Ordinal) ? "Unexpected token '@' at 1:1" : null;
}
