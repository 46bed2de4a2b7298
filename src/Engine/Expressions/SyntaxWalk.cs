using Acornima.Ast;

namespace WeOps.Engine.Expressions;

/// <summary>A node of a syntax tree met by <see cref="SyntaxWalk"/>, and how deep it sits.</summary>
internal readonly record struct SyntaxVisit(Node Node, int Depth);

/// <summary>Visits every node of a syntax tree, parents before children.</summary>
internal static class SyntaxWalk
{
    public static IEnumerable<SyntaxVisit> Nodes(Node root)
    {
        // Iterative, so a deeply nested tree cannot exhaust the stack of the thread that walks it.
        var pending = new Stack<(Node Node, int Depth)>();
        var children = new List<Node>();
        pending.Push((root, 0));
        while (pending.Count > 0)
        {
            var (node, depth) = pending.Pop();
            yield return new SyntaxVisit(node, depth);

            children.Clear();
            foreach (var child in node.ChildNodes)
            {
                if (child is not null) children.Add(child);
            }

            for (var i = children.Count - 1; i >= 0; i--) pending.Push((children[i], depth + 1));
        }
    }
}
