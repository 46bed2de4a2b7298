using Jint.Parser.Ast;

namespace WeOps.Engine.Expressions;

/// <summary>What a parsed program can do, read from its syntax tree once so each run can decide cheaply which
/// variables to hand it and where to run it.</summary>
/// <param name="Globals">Names the program may read as variables (a superset: local names are included).</param>
/// <param name="UsesThis">The program uses <c>this</c>, through which any global can be reached by name.</param>
/// <param name="CanRecurseOrLoop">It defines functions or loops, so it can run long and nest deeply.</param>
/// <param name="UsesRegularExpressions">It holds a regular expression literal, or names <c>RegExp</c>,
/// <c>match</c> or <c>search</c>.</param>
/// <param name="HasRegularExpressionLiteral">It holds a regular expression literal.</param>
internal sealed record ProgramShape(
    IReadOnlySet<string> Globals,
    bool UsesThis,
    bool CanRecurseOrLoop,
    bool UsesRegularExpressions,
    bool HasRegularExpressionLiteral,
    int NodeCount,
    int Depth)
{
    public static ProgramShape Of(Program program)
    {
        var globals = new HashSet<string>(StringComparer.Ordinal);
        bool usesThis = false, recursesOrLoops = false, regex = false, regexLiteral = false;
        int count = 0, depth = 0;
        foreach (var visit in SyntaxWalk.Nodes(program))
        {
            count++;
            depth = Math.Max(depth, visit.Depth);
            switch (visit.Node)
            {
                case Identifier id:
                    globals.Add(id.Name);
                    regex |= id.Name == "RegExp";
                    break;
                case Literal { Type: SyntaxNodes.RegularExpressionLiteral }:
                    regex = regexLiteral = true;
                    break;
                case MemberExpression { Computed: false, Property: Identifier { Name: "match" or "search" } }:
                    regex = true;
                    break;
                case ThisExpression:
                    usesThis = true;
                    break;
                case FunctionDeclaration or FunctionExpression or ForStatement or ForInStatement or WhileStatement or DoWhileStatement:
                    recursesOrLoops = true;
                    break;
            }

            // A node the walk does not know: assume the worst of it.
            if (!visit.Known) usesThis = recursesOrLoops = regex = regexLiteral = true;
        }

        return new ProgramShape(globals, usesThis, recursesOrLoops, regex, regexLiteral, count, depth);
    }
}
