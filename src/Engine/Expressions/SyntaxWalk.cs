using Jint.Parser.Ast;

namespace WeOps.Engine.Expressions;

/// <summary>A node of a Jint syntax tree met by <see cref="SyntaxWalk"/>.</summary>
/// <param name="Known">False for a node type the walk does not know, whose children it could not visit.</param>
internal readonly record struct SyntaxVisit(SyntaxNode Node, int Depth, bool Known);

/// <summary>Visits the nodes of a Jint syntax tree that are evaluated when it runs; names that are not
/// evaluated (property names, labels) are left out.</summary>
internal static class SyntaxWalk
{
    public static IEnumerable<SyntaxVisit> Nodes(Program program)
    {
        // Iterative, so a deeply nested tree cannot exhaust the stack of the thread that walks it.
        var pending = new Stack<(SyntaxNode? Node, int Depth)>();
        var children = new List<SyntaxNode?>();
        pending.Push((program, 0));
        while (pending.Count > 0)
        {
            var (node, depth) = pending.Pop();
            if (node is null) continue;

            children.Clear();
            var known = AddChildren(node, children);
            yield return new SyntaxVisit(node, depth, known);
            for (var i = children.Count - 1; i >= 0; i--) pending.Push((children[i], depth + 1));
        }
    }

    private static bool AddChildren(SyntaxNode node, List<SyntaxNode?> children)
    {
        switch (node)
        {
            case Program p: children.AddRange(p.Body); break;
            case Identifier or Literal or ThisExpression or EmptyStatement or DebuggerStatement or BreakStatement or ContinueStatement: break;
            case ArrayExpression a: children.AddRange(a.Elements); break;
            case AssignmentExpression a: children.AddRange([a.Left, a.Right]); break;
            case BinaryExpression b: children.AddRange([b.Left, b.Right]); break;
            case LogicalExpression l: children.AddRange([l.Left, l.Right]); break;
            case BlockStatement b: children.AddRange(b.Body); break;
            case CallExpression c: children.Add(c.Callee); children.AddRange(c.Arguments); break;
            case NewExpression n: children.Add(n.Callee); children.AddRange(n.Arguments); break;
            case CatchClause c: children.AddRange([c.Param, c.Body]); break;
            case ConditionalExpression c: children.AddRange([c.Test, c.Consequent, c.Alternate]); break;
            case ExpressionStatement e: children.Add(e.Expression); break;
            case IfStatement i: children.AddRange([i.Test, i.Consequent, i.Alternate]); break;
            case LabelledStatement l: children.Add(l.Body); break;
            case MemberExpression m:
                children.Add(m.Object);
                if (m.Computed) children.Add(m.Property);
                break;
            case ObjectExpression o: children.AddRange(o.Properties.Select(p => p.Value)); break;
            case ReturnStatement r: children.Add(r.Argument); break;
            case SequenceExpression s: children.AddRange(s.Expressions); break;
            case SwitchStatement s: children.Add(s.Discriminant); children.AddRange(s.Cases); break;
            case SwitchCase s: children.Add(s.Test); children.AddRange(s.Consequent); break;
            case ThrowStatement t: children.Add(t.Argument); break;
            case TryStatement t:
                children.Add(t.Block);
                children.AddRange(t.GuardedHandlers);
                children.AddRange(t.Handlers);
                children.Add(t.Finalizer);
                break;
            case UnaryExpression u: children.Add(u.Argument); break; // also UpdateExpression
            case VariableDeclaration v: children.AddRange(v.Declarations); break;
            case VariableDeclarator v: children.AddRange([v.Id, v.Init]); break;
            case WithStatement w: children.AddRange([w.Object, w.Body]); break;
            case FunctionDeclaration f: children.Add(f.Id); children.AddRange(f.Parameters); children.Add(f.Body); break;
            case FunctionExpression f: children.Add(f.Id); children.AddRange(f.Parameters); children.Add(f.Body); break;
            case ForStatement f: children.AddRange([f.Init, f.Test, f.Update, f.Body]); break;
            case ForInStatement f: children.AddRange([f.Left, f.Right, f.Body]); break;
            case WhileStatement w: children.AddRange([w.Test, w.Body]); break;
            case DoWhileStatement d: children.AddRange([d.Body, d.Test]); break;
            default: return false;
        }

        return true;
    }
}
