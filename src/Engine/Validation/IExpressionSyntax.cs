namespace WeOps.Engine.Validation;

/// <summary>Checks the syntax of the JavaScript a process holds, without running it. Each method
/// returns what is wrong, or null when the text parses.</summary>
public interface IExpressionSyntax
{
    /// <summary>A boolean or value expression, e.g. a condition; <c>${...}</c> around it is accepted.</summary>
    string? CheckExpression(string expression);

    /// <summary>A string that may hold <c>${expr}</c> parts.</summary>
    string? CheckTemplate(string template);

    /// <summary>A script task's script.</summary>
    string? CheckScript(string script);
}
