using Acornima.Ast;

namespace WeOps.Engine.Expressions;

/// <summary>What a parsed program can do, read from its syntax tree once so each run can decide cheaply which
/// variables to hand it and where to run it.</summary>
/// <param name="Globals">Names the program may read as variables (a superset: local and property names are
/// included).</param>
/// <param name="UsesThis">The program uses <c>this</c> or <c>globalThis</c>, through which any global can be
/// reached by name.</param>
/// <param name="CanRecurseOrLoop">It defines functions, methods or classes, or loops, so it can run long and nest
/// deeply.</param>
/// <param name="UsesRegularExpressions">It holds a regular expression literal, or names <c>RegExp</c> or a string
/// method that makes one of its argument.</param>
/// <param name="LexicalGlobals">Names a script declares at its top level with <c>let</c>, <c>const</c> or
/// <c>class</c>: globals that are no property of the global object.</param>
internal sealed record ProgramShape(
    IReadOnlySet<string> Globals,
    IReadOnlySet<string> LexicalGlobals,
    bool UsesThis,
    bool CanRecurseOrLoop,
    bool UsesRegularExpressions,
    int NodeCount,
    int Depth)
{
    public static ProgramShape Of(Program program)
    {
        var globals = new HashSet<string>(StringComparer.Ordinal);
        bool usesThis = false, recursesOrLoops = false, regex = false;
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
                    usesThis |= id.Name == "globalThis";
                    break;
                case RegExpLiteral:
                    regex = true;
                    break;
                case MemberExpression { Computed: false, Property: Identifier { Name: "match" or "matchAll" or "search" } }:
                    regex = true;
                    break;
                case ThisExpression:
                    usesThis = true;
                    break;
                case FunctionDeclaration or FunctionExpression or ArrowFunctionExpression or ClassDeclaration or ClassExpression
                    or ForStatement or ForInStatement or ForOfStatement or WhileStatement or DoWhileStatement:
                    recursesOrLoops = true;
                    break;
            }
        }

        var lexical = new HashSet<string>(StringComparer.Ordinal);
        foreach (var statement in program.Body)
        {
            switch (statement)
            {
                case VariableDeclaration { Kind: not VariableDeclarationKind.Var } declaration:
                    foreach (var declarator in declaration.Declarations)
                    {
                        foreach (var visit in SyntaxWalk.Nodes(declarator.Id))
                        {
                            // Names bound by a destructuring pattern; a default value's names are no binding.
                            if (visit.Node is Identifier { Name: var name } && IsBound(declarator.Id, visit.Node)) lexical.Add(name);
                        }
                    }

                    break;
                case ClassDeclaration { Id: { } id }:
                    lexical.Add(id.Name);
                    break;
            }
        }

        return new ProgramShape(globals, lexical, usesThis, recursesOrLoops, regex, count, depth);
    }

    /// <summary>True when <paramref name="name"/>, found under <paramref name="pattern"/>, is a name the pattern
    /// binds rather than part of a default value or a computed key.</summary>
    private static bool IsBound(Node pattern, Node name) => pattern switch
    {
        Identifier => ReferenceEquals(pattern, name),
        ArrayPattern array => array.Elements.Any(e => e is not null && Contains(e, name) && IsBound(e, name)),
        ObjectPattern obj => obj.Properties.Any(p => p switch
        {
            Property property => Contains(property.Value, name) && IsBound(property.Value, name),
            RestElement rest => IsBound(rest.Argument, name),
            _ => false,
        }),
        AssignmentPattern assignment => IsBound(assignment.Left, name),
        RestElement rest => IsBound(rest.Argument, name),
        _ => false,
    };

    private static bool Contains(Node tree, Node node) => SyntaxWalk.Nodes(tree).Any(v => ReferenceEquals(v.Node, node));
}
