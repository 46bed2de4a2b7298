namespace WeOps.Engine.Expressions;

/// <summary>What one evaluation may use before it is stopped. Each limit holds for the direct path too (see
/// <see cref="DirectExpression"/>), and a message that reports one names its configuration key
/// (<c>Expressions:Timeout</c> and so on; see ADR 0016).</summary>
/// <param name="Timeout">Wall-clock time for one evaluation, checked inside long built-in calls too.</param>
/// <param name="MaxStatements">JavaScript statements one piece of code may run (at most 174,762: the stack of a script thread is sized from it).</param>
/// <param name="MaxRecursion">How deeply JavaScript function calls may nest (at most 10,000).</param>
/// <param name="MaxResultBytes">Largest value an evaluation may give back, as UTF-8 JSON; for a script, each
/// changed variable separately.</param>
/// <param name="MaxMemoryBytes">Bytes one piece of code may allocate while it runs.</param>
public sealed record ExpressionLimits(TimeSpan Timeout, int MaxStatements, int MaxRecursion, int MaxResultBytes, long MaxMemoryBytes = ExpressionLimits.DefaultMaxMemoryBytes)
{
    private const long DefaultMaxMemoryBytes = 64L * 1024 * 1024;

    public static readonly ExpressionLimits Default = new(TimeSpan.FromSeconds(2), 100_000, 256, 1024 * 1024);

    /// <summary>The configuration keys, as messages and the README name them.</summary>
    public const string TimeoutKey = "Expressions:Timeout";
    public const string MaxStatementsKey = "Expressions:MaxStatements";
    public const string MaxRecursionKey = "Expressions:MaxRecursion";
    public const string MaxResultBytesKey = "Expressions:MaxResultBytes";
    public const string MaxMemoryBytesKey = "Expressions:MaxMemoryBytes";
}
