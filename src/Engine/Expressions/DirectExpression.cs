using System.Globalization;
using System.Text.Json.Nodes;
using Acornima;
using Acornima.Ast;

namespace WeOps.Engine.Expressions;

/// <summary>An expression simple enough to evaluate straight on the JSON variables, without building an engine:
/// most conditions and input templates (<c>result % 2 == 0</c>, <c>alert.labels.severity</c>) are. Literals,
/// variables, member access with a name or a whole-number index, comparisons, arithmetic, <c>!</c>, <c>&amp;&amp;</c>, <c>??</c>,
/// <c>||</c> and <c>?:</c>, each only on the operand types where its result is plain to see. Whatever else a
/// run meets (a missing variable, a string plus a number, a property objects inherit) makes
/// <see cref="TryEvaluate"/> give up, and the caller runs the code in an engine instead, which then gives the
/// value or the error JavaScript gives. Its work is bounded by the limits too: its code is at most as large as code
/// that runs inline (see <see cref="ParsedProgram"/>), and a text it builds longer than the result limit makes it
/// give up, so that the engine's time and memory limits see any runaway concatenation.</summary>
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
    /// <param name="maxTextLength">Longest text an operation may build; a longer one needs an engine.</param>
    public bool TryEvaluate(IReadOnlyDictionary<string, JsonNode?> variables, int maxTextLength, out DirectValue value)
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

        return root.TryEvaluate(new Scope(variables, maxTextLength), out value);
    }

    private static Node? Compile(Expression expression, HashSet<string> globals)
    {
        switch (expression)
        {
            case NullLiteral:
                return new Constant(DirectValue.Null);
            case BooleanLiteral { Value: var flag }:
                return new Constant(DirectValue.Of(flag));
            case NumericLiteral { Value: var number }:
                return new Constant(DirectValue.Of(number));
            case StringLiteral { Value: var text }:
                return new Constant(DirectValue.Of(text));
            case Identifier { Name: var name }:
                // A built-in global (undefined, NaN, Math) is not read from the variables, nor reliably replaced
                // by one of the same name.
                if (Sandbox.BuiltInGlobals.Contains(name)) return null;
                globals.Add(name);
                return new Global(name);
            // a?.b is a chain expression around the member: left to the engine.
            case MemberExpression { Optional: false } member:
                var (property, index) = MemberName(member);
                return property is not null && Compile(member.Object, globals) is { } target ? new Member(target, property, index) : null;
            case LogicalExpression logical when logical.Operator is Operator.LogicalAnd or Operator.LogicalOr or Operator.NullishCoalescing:
                return Compile(logical.Left, globals) is { } first && Compile(logical.Right, globals) is { } second
                    ? new Logical(logical.Operator, first, second)
                    : null;
            case NonLogicalBinaryExpression binary when IsDirect(binary.Operator):
                return Compile(binary.Left, globals) is { } left && Compile(binary.Right, globals) is { } right
                    ? new Binary(binary.Operator, left, right)
                    : null;
            // An update (x++) is a unary expression too, and writes.
            case NonUpdateUnaryExpression unary when unary.Operator is Operator.LogicalNot or Operator.UnaryNegation or Operator.UnaryPlus:
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
        { Computed: true, Property: StringLiteral { Value: var name } } => (name, -1),
        { Computed: true, Property: NumericLiteral { Value: var number } }
            when number >= 0 && number <= int.MaxValue && number == Math.Floor(number)
            => (((int)number).ToString(CultureInfo.InvariantCulture), (int)number),
        _ => (null, -1),
    };

    private static bool IsDirect(Operator op) => op is Operator.Addition or Operator.Subtraction
        or Operator.Multiplication or Operator.Division or Operator.Remainder
        or Operator.Equality or Operator.Inequality or Operator.StrictEquality or Operator.StrictInequality
        or Operator.LessThan or Operator.LessThanOrEqual or Operator.GreaterThan or Operator.GreaterThanOrEqual;

    /// <summary>What one direct evaluation reads, and the longest text it may build.</summary>
    private readonly record struct Scope(IReadOnlyDictionary<string, JsonNode?> Variables, int MaxTextLength);

    private abstract class Node
    {
        public abstract bool TryEvaluate(in Scope scope, out DirectValue value);
    }

    private sealed class Constant(DirectValue constant) : Node
    {
        public override bool TryEvaluate(in Scope scope, out DirectValue value)
        {
            value = constant;
            return true;
        }
    }

    /// <summary>A variable; one that is not there is a ReferenceError, left to the engine.</summary>
    private sealed class Global(string name) : Node
    {
        public override bool TryEvaluate(in Scope scope, out DirectValue value)
        {
            if (scope.Variables.TryGetValue(name, out var node))
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
        public override bool TryEvaluate(in Scope scope, out DirectValue value)
        {
            value = default;
            if (!target.TryEvaluate(scope, out var owner)) return false;
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

    private sealed class Binary(Operator op, Node left, Node right) : Node
    {
        public override bool TryEvaluate(in Scope scope, out DirectValue value)
        {
            value = default;
            return left.TryEvaluate(scope, out var a) && right.TryEvaluate(scope, out var b) && TryApply(a, b, scope.MaxTextLength, out value);
        }

        private bool TryApply(DirectValue a, DirectValue b, int maxTextLength, out DirectValue value)
        {
            value = default;
            bool numbers = a.Kind == DirectKind.Number && b.Kind == DirectKind.Number;
            bool texts = a.Kind == DirectKind.String && b.Kind == DirectKind.String;
            switch (op)
            {
                case Operator.StrictEquality or Operator.StrictInequality when a.IsPrimitive && b.IsPrimitive:
                    value = DirectValue.Of(StrictlyEqual(a, b) == (op == Operator.StrictEquality));
                    return true;
                // Loose equality converts between types: only where it does not is it strict equality.
                case Operator.Equality or Operator.Inequality
                    when (a.Kind == b.Kind && a.IsPrimitive) || (a.IsNullOrUndefined && b.IsNullOrUndefined):
                    value = DirectValue.Of((a.IsNullOrUndefined || StrictlyEqual(a, b)) == (op == Operator.Equality));
                    return true;
                case Operator.LessThan when numbers: value = DirectValue.Of(a.Number < b.Number); return true;
                case Operator.LessThanOrEqual when numbers: value = DirectValue.Of(a.Number <= b.Number); return true;
                case Operator.GreaterThan when numbers: value = DirectValue.Of(a.Number > b.Number); return true;
                case Operator.GreaterThanOrEqual when numbers: value = DirectValue.Of(a.Number >= b.Number); return true;
                // Strings compare by UTF-16 code unit.
                case Operator.LessThan when texts: value = DirectValue.Of(string.CompareOrdinal(a.Text, b.Text) < 0); return true;
                case Operator.LessThanOrEqual when texts: value = DirectValue.Of(string.CompareOrdinal(a.Text, b.Text) <= 0); return true;
                case Operator.GreaterThan when texts: value = DirectValue.Of(string.CompareOrdinal(a.Text, b.Text) > 0); return true;
                case Operator.GreaterThanOrEqual when texts: value = DirectValue.Of(string.CompareOrdinal(a.Text, b.Text) >= 0); return true;
                case Operator.Addition when numbers: value = DirectValue.Of(a.Number + b.Number); return true;
                case Operator.Addition when texts && a.Text.Length + (long)b.Text.Length <= maxTextLength: value = DirectValue.Of(string.Concat(a.Text, b.Text)); return true;
                case Operator.Subtraction when numbers: value = DirectValue.Of(a.Number - b.Number); return true;
                case Operator.Multiplication when numbers: value = DirectValue.Of(a.Number * b.Number); return true;
                case Operator.Division when numbers: value = DirectValue.Of(a.Number / b.Number); return true;
                // C#'s remainder is JavaScript's: the sign of the dividend, NaN for x % 0 and for an infinite x.
                case Operator.Remainder when numbers: value = DirectValue.Of(a.Number % b.Number); return true;
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

    /// <summary>&amp;&amp;, || and ??: the operand that decided, unconverted; the other side is not evaluated.</summary>
    private sealed class Logical(Operator op, Node left, Node right) : Node
    {
        public override bool TryEvaluate(in Scope scope, out DirectValue value)
        {
            if (!left.TryEvaluate(scope, out value)) return false;
            var decided = op switch
            {
                Operator.LogicalAnd => !value.IsTruthy,
                Operator.LogicalOr => value.IsTruthy,
                _ => !value.IsNullOrUndefined,
            };
            return decided || right.TryEvaluate(scope, out value);
        }
    }

    private sealed class Unary(Operator op, Node argument) : Node
    {
        public override bool TryEvaluate(in Scope scope, out DirectValue value)
        {
            if (!argument.TryEvaluate(scope, out var operand))
            {
                value = default;
                return false;
            }

            switch (op)
            {
                case Operator.LogicalNot:
                    value = DirectValue.Of(!operand.IsTruthy);
                    return true;
                // On anything but a number, + and - convert it first.
                case Operator.UnaryNegation when operand.Kind == DirectKind.Number:
                    value = DirectValue.Of(-operand.Number);
                    return true;
                case Operator.UnaryPlus when operand.Kind == DirectKind.Number:
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
        public override bool TryEvaluate(in Scope scope, out DirectValue value)
        {
            if (!test.TryEvaluate(scope, out var condition))
            {
                value = default;
                return false;
            }

            return (condition.IsTruthy ? consequent : alternate).TryEvaluate(scope, out value);
        }
    }
}
