using System.Globalization;
using System.Text.Json.Nodes;
using Jint.Parser.Ast;

namespace WeOps.Engine.Expressions;

/// <summary>An expression simple enough to evaluate straight on the JSON variables, without building an engine:
/// most conditions and input templates (<c>result % 2 == 0</c>, <c>alert.labels.severity</c>) are. Literals,
/// variables, member access with a name or a whole-number index, comparisons, arithmetic, <c>!</c>, <c>&amp;&amp;</c>,
/// <c>||</c> and <c>?:</c>, each only on the operand types where its result is plain to see. Whatever else a
/// run meets (a missing variable, a string plus a number, a property objects inherit) makes
/// <see cref="TryEvaluate"/> give up, and the caller runs the code in an engine instead, which then gives the
/// value or the error JavaScript gives.</summary>
internal sealed class DirectExpression
{
    private readonly Node root;
    private readonly string[] globals;

    private DirectExpression(Node root, string[] globals)
    {
        this.root = root;
        this.globals = globals;
    }

    /// <summary>The expression of a parsed expression statement, or null when it is not in the subset.</summary>
    public static DirectExpression? Compile(Expression expression)
    {
        var globals = new HashSet<string>(StringComparer.Ordinal);
        return Compile(expression, globals) is { } root ? new DirectExpression(root, [.. globals]) : null;
    }

    /// <summary>The value, or false when this run needs an engine to be sure of it.</summary>
    public bool TryEvaluate(IReadOnlyDictionary<string, JsonNode?> variables, out DirectValue value)
    {
        // An engine converts every variable the code names before running it, and refuses one nested too
        // deeply even where the code would not read it.
        foreach (var name in globals)
        {
            if (variables.TryGetValue(name, out var node) && !JsonInterop.FitsVariableDepth(node))
            {
                value = default;
                return false;
            }
        }

        return root.TryEvaluate(variables, out value);
    }

    private static Node? Compile(Expression expression, HashSet<string> globals)
    {
        switch (expression)
        {
            case Literal { Type: SyntaxNodes.Literal } literal:
                return literal.Value switch
                {
                    null => new Constant(DirectValue.Null),
                    bool flag => new Constant(DirectValue.Of(flag)),
                    double number => new Constant(DirectValue.Of(number)),
                    string text => new Constant(DirectValue.Of(text)),
                    _ => null,
                };
            case Identifier { Name: var name }:
                // A built-in global (undefined, NaN, Math) is not read from the variables, nor reliably replaced
                // by one of the same name.
                if (Sandbox.BuiltInGlobals.Contains(name)) return null;
                globals.Add(name);
                return new Global(name);
            case MemberExpression member:
                var (property, index) = MemberName(member);
                return property is not null && Compile(member.Object, globals) is { } target ? new Member(target, property, index) : null;
            case BinaryExpression binary when IsDirect(binary.Operator):
                return Compile(binary.Left, globals) is { } left && Compile(binary.Right, globals) is { } right
                    ? new Binary(binary.Operator, left, right)
                    : null;
            case LogicalExpression logical:
                return Compile(logical.Left, globals) is { } first && Compile(logical.Right, globals) is { } second
                    ? new Logical(logical.Operator == LogicalOperator.LogicalAnd, first, second)
                    : null;
            // An update (x++) is a unary expression too, and writes.
            case UnaryExpression unary when unary is not UpdateExpression
                && unary.Operator is UnaryOperator.LogicalNot or UnaryOperator.Minus or UnaryOperator.Plus:
                return Compile(unary.Argument, globals) is { } argument ? new Unary(unary.Operator, argument) : null;
            case ConditionalExpression conditional:
                return Compile(conditional.Test, globals) is { } test
                    && Compile(conditional.Consequent, globals) is { } consequent
                    && Compile(conditional.Alternate, globals) is { } alternate
                    ? new Conditional(test, consequent, alternate)
                    : null;
            default:
                return null;
        }
    }

    /// <summary>The property a member expression reads: <c>a.b</c> and <c>a['b']</c> name it, <c>a[0]</c> indexes
    /// it (and names it "0" on an object). Null for any other: a computed name, a fractional or huge index.</summary>
    private static (string? Name, int Index) MemberName(MemberExpression member) => member switch
    {
        { Computed: false, Property: Identifier { Name: var name } } => (name, -1),
        { Computed: true, Property: Literal { Type: SyntaxNodes.Literal, Value: string name } } => (name, -1),
        { Computed: true, Property: Literal { Type: SyntaxNodes.Literal, Value: double number } }
            when number >= 0 && number <= int.MaxValue && number == Math.Floor(number)
            => (((int)number).ToString(CultureInfo.InvariantCulture), (int)number),
        _ => (null, -1),
    };

    private static bool IsDirect(BinaryOperator op) => op is BinaryOperator.Plus or BinaryOperator.Minus
        or BinaryOperator.Times or BinaryOperator.Divide or BinaryOperator.Modulo
        or BinaryOperator.Equal or BinaryOperator.NotEqual or BinaryOperator.StrictlyEqual or BinaryOperator.StricltyNotEqual
        or BinaryOperator.Less or BinaryOperator.LessOrEqual or BinaryOperator.Greater or BinaryOperator.GreaterOrEqual;

    private abstract class Node
    {
        public abstract bool TryEvaluate(IReadOnlyDictionary<string, JsonNode?> variables, out DirectValue value);
    }

    private sealed class Constant(DirectValue constant) : Node
    {
        public override bool TryEvaluate(IReadOnlyDictionary<string, JsonNode?> variables, out DirectValue value)
        {
            value = constant;
            return true;
        }
    }

    /// <summary>A variable; one that is not there is a ReferenceError, left to the engine.</summary>
    private sealed class Global(string name) : Node
    {
        public override bool TryEvaluate(IReadOnlyDictionary<string, JsonNode?> variables, out DirectValue value)
        {
            if (variables.TryGetValue(name, out var node))
            {
                value = JsonInterop.ToDirectValue(node);
                return true;
            }

            value = default;
            return false;
        }
    }

    /// <summary>An own property of an object, or an item of an array within its length. Anything else may
    /// reach a prototype (<c>s.length</c>, <c>a.map</c>) or throw (a property of null).</summary>
    private sealed class Member(Node target, string name, int index) : Node
    {
        public override bool TryEvaluate(IReadOnlyDictionary<string, JsonNode?> variables, out DirectValue value)
        {
            value = default;
            if (!target.TryEvaluate(variables, out var owner)) return false;
            switch (owner.Kind)
            {
                case DirectKind.Array when index >= 0 && index < owner.Array.Count:
                    value = JsonInterop.ToDirectValue(owner.Array[index]);
                    return true;
                // Such an object matches names its engine copy would not.
                case DirectKind.Object when owner.Object.Options?.PropertyNameCaseInsensitive == true:
                    return false;
                case DirectKind.Object when owner.Object.TryGetPropertyValue(name, out var node):
                    value = JsonInterop.ToDirectValue(node);
                    return true;
                case DirectKind.Object:
                    return !Sandbox.InheritedNames.Contains(name);
                default:
                    return false;
            }
        }
    }

    private sealed class Binary(BinaryOperator op, Node left, Node right) : Node
    {
        public override bool TryEvaluate(IReadOnlyDictionary<string, JsonNode?> variables, out DirectValue value)
        {
            value = default;
            return left.TryEvaluate(variables, out var a) && right.TryEvaluate(variables, out var b) && TryApply(a, b, out value);
        }

        private bool TryApply(DirectValue a, DirectValue b, out DirectValue value)
        {
            value = default;
            bool numbers = a.Kind == DirectKind.Number && b.Kind == DirectKind.Number;
            bool texts = a.Kind == DirectKind.String && b.Kind == DirectKind.String;
            switch (op)
            {
                case BinaryOperator.StrictlyEqual or BinaryOperator.StricltyNotEqual when a.IsPrimitive && b.IsPrimitive:
                    value = DirectValue.Of(StrictlyEqual(a, b) == (op == BinaryOperator.StrictlyEqual));
                    return true;
                // Loose equality converts between types: only where it does not is it strict equality.
                case BinaryOperator.Equal or BinaryOperator.NotEqual
                    when (a.Kind == b.Kind && a.IsPrimitive) || (a.IsNullOrUndefined && b.IsNullOrUndefined):
                    value = DirectValue.Of((a.IsNullOrUndefined || StrictlyEqual(a, b)) == (op == BinaryOperator.Equal));
                    return true;
                case BinaryOperator.Less when numbers: value = DirectValue.Of(a.Number < b.Number); return true;
                case BinaryOperator.LessOrEqual when numbers: value = DirectValue.Of(a.Number <= b.Number); return true;
                case BinaryOperator.Greater when numbers: value = DirectValue.Of(a.Number > b.Number); return true;
                case BinaryOperator.GreaterOrEqual when numbers: value = DirectValue.Of(a.Number >= b.Number); return true;
                // Strings compare by UTF-16 code unit.
                case BinaryOperator.Less when texts: value = DirectValue.Of(string.CompareOrdinal(a.Text, b.Text) < 0); return true;
                case BinaryOperator.LessOrEqual when texts: value = DirectValue.Of(string.CompareOrdinal(a.Text, b.Text) <= 0); return true;
                case BinaryOperator.Greater when texts: value = DirectValue.Of(string.CompareOrdinal(a.Text, b.Text) > 0); return true;
                case BinaryOperator.GreaterOrEqual when texts: value = DirectValue.Of(string.CompareOrdinal(a.Text, b.Text) >= 0); return true;
                case BinaryOperator.Plus when numbers: value = DirectValue.Of(a.Number + b.Number); return true;
                case BinaryOperator.Plus when texts: value = DirectValue.Of(string.Concat(a.Text, b.Text)); return true;
                case BinaryOperator.Minus when numbers: value = DirectValue.Of(a.Number - b.Number); return true;
                case BinaryOperator.Times when numbers: value = DirectValue.Of(a.Number * b.Number); return true;
                case BinaryOperator.Divide when numbers: value = DirectValue.Of(a.Number / b.Number); return true;
                // C#'s remainder is JavaScript's: the sign of the dividend, NaN for x % 0 and for an infinite x.
                case BinaryOperator.Modulo when numbers: value = DirectValue.Of(a.Number % b.Number); return true;
                default:
                    return false;
            }
        }

        /// <summary>=== on two primitives.</summary>
        private static bool StrictlyEqual(DirectValue a, DirectValue b) => a.Kind == b.Kind && a.Kind switch
        {
            DirectKind.Number => a.Number == b.Number,
            DirectKind.String => string.Equals(a.Text, b.Text, StringComparison.Ordinal),
            DirectKind.Boolean => a.Boolean == b.Boolean,
            _ => true,
        };
    }

    /// <summary>&amp;&amp; and ||: the operand that decided, unconverted; the other side is not evaluated.</summary>
    private sealed class Logical(bool isAnd, Node left, Node right) : Node
    {
        public override bool TryEvaluate(IReadOnlyDictionary<string, JsonNode?> variables, out DirectValue value)
        {
            if (!left.TryEvaluate(variables, out value)) return false;
            return value.IsTruthy != isAnd || right.TryEvaluate(variables, out value);
        }
    }

    private sealed class Unary(UnaryOperator op, Node argument) : Node
    {
        public override bool TryEvaluate(IReadOnlyDictionary<string, JsonNode?> variables, out DirectValue value)
        {
            if (!argument.TryEvaluate(variables, out var operand))
            {
                value = default;
                return false;
            }

            switch (op)
            {
                case UnaryOperator.LogicalNot:
                    value = DirectValue.Of(!operand.IsTruthy);
                    return true;
                // On anything but a number, + and - convert it first.
                case UnaryOperator.Minus when operand.Kind == DirectKind.Number:
                    value = DirectValue.Of(-operand.Number);
                    return true;
                case UnaryOperator.Plus when operand.Kind == DirectKind.Number:
                    value = operand;
                    return true;
                default:
                    value = default;
                    return false;
            }
        }
    }

    private sealed class Conditional(Node test, Node consequent, Node alternate) : Node
    {
        public override bool TryEvaluate(IReadOnlyDictionary<string, JsonNode?> variables, out DirectValue value)
        {
            if (!test.TryEvaluate(variables, out var condition))
            {
                value = default;
                return false;
            }

            return (condition.IsTruthy ? consequent : alternate).TryEvaluate(variables, out value);
        }
    }
}
