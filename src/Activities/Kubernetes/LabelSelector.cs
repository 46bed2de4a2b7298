using System.Text;
using System.Text.RegularExpressions;

namespace WeOps.Activities.Kubernetes;

/// <summary>One requirement of a label selector: <c>key</c>, <c>!key</c>, <c>key=v</c>, <c>key!=v</c>,
/// <c>key in (a,b)</c>, <c>key notin (a,b)</c>, <c>key&gt;n</c>, <c>key&lt;n</c>.</summary>
public sealed record LabelRequirement(string Key, LabelOperator Operator, IReadOnlyList<string> Values)
{
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var has = labels.TryGetValue(Key, out var value);
        return Operator switch
        {
            LabelOperator.Exists => has,
            LabelOperator.DoesNotExist => !has,
            LabelOperator.Equals or LabelOperator.In => has && Values.Contains(value!),
            LabelOperator.NotEquals or LabelOperator.NotIn => !has || !Values.Contains(value!),
            LabelOperator.GreaterThan => has && long.TryParse(value, out var g) && g > long.Parse(Values[0]),
            LabelOperator.LessThan => has && long.TryParse(value, out var l) && l < long.Parse(Values[0]),
            _ => false,
        };
    }
}

public enum LabelOperator { Exists, DoesNotExist, Equals, NotEquals, In, NotIn, GreaterThan, LessThan }

/// <summary>A parsed label selector, the grammar of <c>kubectl get -l</c>. Parsing checks keys and
/// values as the API server does, so a mistyped selector fails here with the reason.</summary>
public sealed partial class LabelSelector
{
    private LabelSelector(IReadOnlyList<LabelRequirement> requirements) => Requirements = requirements;

    public IReadOnlyList<LabelRequirement> Requirements { get; }

    public bool Matches(IReadOnlyDictionary<string, string> labels) => Requirements.All(r => r.Matches(labels));

    /// <summary>Parses <paramref name="text"/>; <see cref="FormatException"/> naming the problem. An empty selector matches everything.</summary>
    public static LabelSelector Parse(string text)
    {
        if (text.Length > 4096) throw new FormatException("the label selector is longer than 4096 characters.");
        var tokens = Tokenize(text);
        var requirements = new List<LabelRequirement>();
        var i = 0;
        while (i < tokens.Count)
        {
            requirements.Add(Requirement(tokens, ref i));
            if (i == tokens.Count) break;
            if (tokens[i] != ",") throw new FormatException($"expected ',' after a requirement, found '{tokens[i]}'.");
            i++;
            if (i == tokens.Count) throw new FormatException("the selector ends with ','.");
        }

        return new LabelSelector(requirements);
    }

    private static LabelRequirement Requirement(List<string> tokens, ref int i)
    {
        if (tokens[i] == "!")
        {
            i++;
            var negated = Key(Next(tokens, ref i, "a key after '!'"));
            return new LabelRequirement(negated, LabelOperator.DoesNotExist, []);
        }

        var key = Key(Next(tokens, ref i, "a key"));
        if (i == tokens.Count || tokens[i] == ",") return new LabelRequirement(key, LabelOperator.Exists, []);
        var op = tokens[i++];
        switch (op)
        {
            case "=" or "==" or "!=":
                var value = i < tokens.Count && tokens[i] != "," ? Value(tokens[i++], key) : "";
                return new LabelRequirement(key, op == "!=" ? LabelOperator.NotEquals : LabelOperator.Equals, [value]);
            case ">" or "<":
                var number = Next(tokens, ref i, $"a number after '{key} {op}'");
                if (!long.TryParse(number, out _)) throw new FormatException($"'{number}' after '{key} {op}' is not a whole number.");
                return new LabelRequirement(key, op == ">" ? LabelOperator.GreaterThan : LabelOperator.LessThan, [number]);
            case "in" or "notin":
                if (Next(tokens, ref i, $"'(' after '{key} {op}'") != "(") throw new FormatException($"expected '(' after '{key} {op}'.");
                var values = new List<string>();
                while (true)
                {
                    var item = Next(tokens, ref i, "a value or ')'");
                    if (item == ")" && values.Count == 0) throw new FormatException($"'{key} {op} ()' needs at least one value.");
                    if (item is "," or ")") throw new FormatException($"expected a value in '{key} {op} (...)', found '{item}'.");
                    values.Add(Value(item, key));
                    var separator = Next(tokens, ref i, "',' or ')'");
                    if (separator == ")") break;
                    if (separator != ",") throw new FormatException($"expected ',' or ')' in '{key} {op} (...)', found '{separator}'.");
                }

                return new LabelRequirement(key, op == "in" ? LabelOperator.In : LabelOperator.NotIn, values);
            default:
                throw new FormatException($"'{op}' after '{key}' is not an operator (=, ==, !=, in, notin, >, <).");
        }
    }

    private static string Next(List<string> tokens, ref int i, string expected) =>
        i < tokens.Count ? tokens[i++] : throw new FormatException($"the selector ends where {expected} was expected.");

    private static string Key(string key)
    {
        var slash = key.IndexOf('/');
        var prefix = slash < 0 ? null : key[..slash];
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (prefix is not null && (prefix.Length is 0 or > 253 || !Prefix().IsMatch(prefix)))
            throw new FormatException($"'{key}': the prefix must be a DNS subdomain (lower-case letters, digits, '-', '.').");
        if (name.Length is 0 or > 63 || !Name().IsMatch(name))
            throw new FormatException($"'{key}' is not a label key: at most 63 letters, digits, '-', '_', '.', starting and ending with a letter or digit.");
        return key;
    }

    private static string Value(string value, string key)
    {
        if (value.Length > 63 || (value.Length > 0 && !Name().IsMatch(value)))
            throw new FormatException($"'{value}' (for '{key}') is not a label value: at most 63 letters, digits, '-', '_', '.', starting and ending with a letter or digit.");
        return value;
    }

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is ',' or '(' or ')' or '>' or '<')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else if (c == '!')
            {
                var two = i + 1 < text.Length && text[i + 1] == '=';
                tokens.Add(two ? "!=" : "!");
                i += two ? 2 : 1;
            }
            else if (c == '=')
            {
                var two = i + 1 < text.Length && text[i + 1] == '=';
                tokens.Add(two ? "==" : "=");
                i += two ? 2 : 1;
            }
            else if (IsWordChar(c))
            {
                var word = new StringBuilder();
                while (i < text.Length && IsWordChar(text[i])) word.Append(text[i++]);
                tokens.Add(word.ToString());
            }
            else
            {
                throw new FormatException($"unexpected character '{c}' at position {i + 1}.");
            }
        }

        return tokens;
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/';

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\z")]
    private static partial Regex Prefix();

    [GeneratedRegex(@"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?\z")]
    private static partial Regex Name();
}
