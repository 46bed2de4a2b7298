namespace WeOps.Engine.Expressions;

/// <summary>What one evaluation may use before it is stopped.</summary>
/// <param name="Timeout">Wall-clock time for one evaluation.</param>
/// <param name="MaxStatements">JavaScript statements one evaluation may run (at most 1,000,000).</param>
/// <param name="MaxRecursion">How deeply JavaScript function calls may nest (at most 10,000).</param>
/// <param name="MaxResultBytes">Largest value an evaluation may give back, as UTF-8 JSON; for a script, each
/// changed variable separately.</param>
public sealed record ExpressionLimits(TimeSpan Timeout, int MaxStatements, int MaxRecursion, int MaxResultBytes)
{
    public static readonly ExpressionLimits Default = new(TimeSpan.FromSeconds(2), 100_000, 256, 1024 * 1024);
}
