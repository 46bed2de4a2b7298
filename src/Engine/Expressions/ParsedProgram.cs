using Acornima;
using Acornima.Ast;
using Jint;
using JsEngine = Jint.Engine;

namespace WeOps.Engine.Expressions;

/// <summary>An expression or a script parsed once, with what its runs need to know about it, or the reason it
/// does not parse.</summary>
internal sealed class ParsedProgram
{
    /// <summary>Longer code is refused rather than parsed: the parser recurses once per level of nesting.</summary>
    public const int MaxSourceLength = 100_000;

    /// <summary>Code up to this length cannot nest deeply enough to exhaust an ordinary thread's stack in the
    /// parser; longer code is parsed on a script thread.</summary>
    private const int InlineParseLength = 1024;

    // Small, flat, loop-free code runs on the caller's thread: it cannot recurse, and what it builds is no
    // deeper than its own syntax tree.
    private const int InlineMaxNodes = 1000;
    private const int InlineMaxDepth = 200;

    private const int ParseStackBytes = 256 * 1024 * 1024;
    private static readonly TimeSpan ParseWaitLimit = TimeSpan.FromSeconds(30);

    // Regular expression literals are compiled when the code is prepared, with the default time limit as their
    // match timeout; such code runs on a script thread, which the caller stops waiting for at its own limit.
    private static readonly ScriptPreparationOptions Preparation = new()
    {
        ParsingOptions = ScriptParsingOptions.Default with { RegexTimeout = ExpressionLimits.Default.Timeout },
    };

    private ParsedProgram(string source, Prepared<Script> prepared, Script program, ProgramShape shape, bool isExpression)
    {
        Source = source;
        Prepared = prepared;
        Shape = shape;
        RunsInline = !shape.CanRecurseOrLoop && !shape.UsesRegularExpressions
            && shape.NodeCount <= InlineMaxNodes && shape.Depth <= InlineMaxDepth;
        // Bounded like inline code, so that evaluating it directly cannot exhaust the stack either.
        if (isExpression && RunsInline) Direct = DirectExpression.Compile(((ExpressionStatement)program.Body[0]).Expression);
    }

    private ParsedProgram(string source, SyntaxProblem problem)
    {
        Source = source;
        Problem = problem;
    }

    /// <summary>The text handed to the parser: an expression is wrapped in parentheses.</summary>
    public string Source { get; }

    /// <summary>Set when the code does not parse; the other members are not to be used then.</summary>
    public SyntaxProblem? Problem { get; }

    /// <summary>The program, prepared once for every engine that runs it: Jint's prepared scripts are read-only
    /// and safe to share between threads.</summary>
    public Prepared<Script> Prepared { get; }

    public ProgramShape Shape { get; } = null!;

    /// <summary>Safe to run on the caller's thread; otherwise it runs on a script thread with a large stack.</summary>
    public bool RunsInline { get; }

    /// <summary>The expression in the form evaluated without an engine, when it is simple enough.</summary>
    public DirectExpression? Direct { get; }

    public static ParsedProgram ParseExpression(string expression)
    {
        if (string.IsNullOrWhiteSpace(expression))
            return new ParsedProgram(expression, new SyntaxProblem(0, "the expression is empty"));

        // The line break lets a trailing // comment end before the closing parenthesis.
        return Parse("(" + expression + "\n)", expression, codeOffset: 1);
    }

    public static ParsedProgram ParseScript(string script) => Parse(script, script, codeOffset: 0);

    /// <param name="codeOffset">Where the author's code starts in <paramref name="source"/>: 1 for a wrapped
    /// expression, which must then stay one expression ("a); b; (c" would not).</param>
    private static ParsedProgram Parse(string source, string code, int codeOffset)
    {
        if (code.Length > MaxSourceLength)
            return new ParsedProgram(source, new SyntaxProblem(0, $"it is longer than {MaxSourceLength} characters"));

        Prepared<Script> prepared;
        try
        {
            prepared = code.Length <= InlineParseLength
                ? Prepare(source)
                : ScriptThread.Run(() => Prepare(source), ParseStackBytes, ParseWaitLimit);
        }
        catch (ScriptPreparationException e) when (e.InnerException is ParseErrorException parse)
        {
            return new ParsedProgram(source, ProblemAt(parse.Error, code, codeOffset));
        }
        catch (ParseErrorException e)
        {
            return new ParsedProgram(source, ProblemAt(e.Error, code, codeOffset));
        }
        catch (TimeoutException)
        {
            return new ParsedProgram(source, new SyntaxProblem(0, "it took too long to parse"));
        }

        // Set whenever preparation succeeds; Jint leaves it null only for a default instance.
        var program = prepared.Program ?? throw new InvalidOperationException("Jint prepared no program");
        if (codeOffset > 0 && !(program.Body.Count == 1 && program.Body[0] is ExpressionStatement))
            return new ParsedProgram(source, Dialect.Recognise(code, isExpression: true) is { } dialect
                ? new SyntaxProblem(0, dialect)
                : new SyntaxProblem(0, "it is more than one expression"));

        return new ParsedProgram(source, prepared, program, ProgramShape.Of(program), isExpression: codeOffset > 0);
    }

    private static Prepared<Script> Prepare(string source) => JsEngine.PrepareScript(source, options: Preparation);

    private static SyntaxProblem ProblemAt(ParseError error, string code, int codeOffset)
    {
        // Stumbling on the ")" that closes a wrapped expression means the expression just ended.
        var index = Math.Max(0, (error.IsIndexDefined ? error.Index : 0) - codeOffset);
        var description = index >= code.Length && codeOffset > 0 && error.Description.StartsWith("Unexpected token ')'", StringComparison.Ordinal)
            ? "Unexpected end of input"
            : error.Description;
        if (Dialect.Recognise(code, isExpression: codeOffset > 0) is { } dialect) description = $"{description}; {dialect}";
        return new SyntaxProblem(Math.Min(index, code.Length), description);
    }
}
