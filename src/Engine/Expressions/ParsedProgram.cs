using System.Globalization;
using Jint.Native;
using Jint.Parser;
using Jint.Parser.Ast;

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

    private readonly Program? shared;

    private ParsedProgram(string source, Program program, ProgramShape shape, bool isExpression)
    {
        Source = source;
        Shape = shape;
        // Jint caches the RegExp object of a regular expression literal in the syntax tree, bound to the engine
        // that ran it first: a shared tree would carry that object, and whatever a script stored on it, into
        // every later run and across threads. Such programs are parsed again for each run.
        if (!shape.HasRegularExpressionLiteral) shared = ReadOnlyForRuns(program);
        RunsInline = !shape.CanRecurseOrLoop && !shape.UsesRegularExpressions
            && shape.NodeCount <= InlineMaxNodes && shape.Depth <= InlineMaxDepth;
        // Bounded like inline code, so that evaluating it directly cannot exhaust the stack either.
        if (isExpression && RunsInline) Direct = DirectExpression.Compile(((ExpressionStatement)program.Body.First()).Expression);
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

    public ProgramShape Shape { get; } = null!;

    /// <summary>Safe to run on the caller's thread; otherwise it runs on a script thread with a large stack.</summary>
    public bool RunsInline { get; }

    /// <summary>The expression in the form evaluated without an engine, when it is simple enough.</summary>
    public DirectExpression? Direct { get; }

    /// <summary>A syntax tree to execute now: the shared one, or a fresh one when sharing is not safe. Only called
    /// on a thread that may parse <see cref="Source"/> (a script thread, unless the program runs inline).</summary>
    public Program ProgramForRun() => shared ?? new JavaScriptParser().Parse(Source);

    /// <summary>Jint writes caches into the syntax tree as it runs: the value of each literal, and the argument
    /// array of a call whose arguments are all literals. Filling the first now, on this one thread, and turning
    /// the second off leaves the tree read-only for the runs that share it (the one other write, a statement's
    /// label set, always stores the same text). Null when a literal holds a value this does not know.</summary>
    private static Program? ReadOnlyForRuns(Program program)
    {
        foreach (var visit in SyntaxWalk.Nodes(program))
        {
            switch (visit.Node)
            {
                case Literal { Type: SyntaxNodes.Literal, Cached: false } literal:
                    literal.CachedValue = literal.Value switch
                    {
                        null => JsValue.Null,
                        string text => new JsValue(text),
                        bool flag => flag ? JsValue.True : JsValue.False,
                        double or int or long => new JsValue(Convert.ToDouble(literal.Value, CultureInfo.InvariantCulture)),
                        _ => null,
                    };
                    if (literal.CachedValue is null) return null;
                    literal.Cached = true;
                    break;
                case CallExpression call:
                    call.CanBeCached = false;
                    break;
            }
        }

        return program;
    }

    public static ParsedProgram ParseExpression(string expression)
    {
        if (string.IsNullOrWhiteSpace(expression))
            return new ParsedProgram(expression, new SyntaxProblem(0, "the expression is empty"));

        // The line break lets a trailing // comment end before the closing parenthesis.
        return Parse("(" + expression + "\n)", expression.Length, codeOffset: 1);
    }

    public static ParsedProgram ParseScript(string script) => Parse(script, script.Length, codeOffset: 0);

    /// <param name="codeOffset">Where the author's code starts in <paramref name="source"/>: 1 for a wrapped
    /// expression, which must then stay one expression ("a); b; (c" would not).</param>
    private static ParsedProgram Parse(string source, int codeLength, int codeOffset)
    {
        if (codeLength > MaxSourceLength)
            return new ParsedProgram(source, new SyntaxProblem(0, $"it is longer than {MaxSourceLength} characters"));

        Program program;
        try
        {
            program = codeLength <= InlineParseLength
                ? new JavaScriptParser().Parse(source)
                : ScriptThread.Run(() => new JavaScriptParser().Parse(source), ParseStackBytes, ParseWaitLimit);
        }
        catch (ParserException e)
        {
            // Stumbling on the ")" that closes a wrapped expression means the expression just ended.
            var index = Math.Max(0, e.Index - codeOffset);
            var description = index >= codeLength && codeOffset > 0 && e.Description == "Unexpected token )"
                ? "Unexpected end of input"
                : e.Description;
            return new ParsedProgram(source, new SyntaxProblem(Math.Min(index, codeLength), description));
        }
        catch (TimeoutException)
        {
            return new ParsedProgram(source, new SyntaxProblem(0, "it took too long to parse"));
        }

        if (codeOffset > 0 && !(program.Body.Count == 1 && program.Body.First() is ExpressionStatement))
            return new ParsedProgram(source, new SyntaxProblem(0, "it is more than one expression"));

        return new ParsedProgram(source, program, ProgramShape.Of(program), isExpression: codeOffset > 0);
    }
}
