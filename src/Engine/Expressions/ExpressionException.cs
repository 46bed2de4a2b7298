namespace WeOps.Engine.Expressions;

/// <summary>An expression, template part or script that did not parse, failed, was stopped at a limit, or gave
/// a value JSON cannot hold. The message names the code (shortened) and the cause, in words a process author
/// can act on; it never holds a stack trace.</summary>
public sealed class ExpressionException : Exception
{
    public ExpressionException(string expression, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Expression = expression;
    }

    /// <summary>The code that failed, in full.</summary>
    public string Expression { get; }
}
