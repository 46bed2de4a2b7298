using System.Text.RegularExpressions;

namespace WeOps.Engine.Validation;

/// <summary>A kind of validation problem: a stable code a page translates by, and the English text with
/// <c>{name}</c> placeholders its arguments fill.</summary>
public sealed partial record ProblemCode(string Code, string Text)
{
    /// <summary>The placeholder names of <see cref="Text"/>, in order of first use.</summary>
    public IReadOnlyList<string> Placeholders => Placeholder().Matches(Text).Select(m => m.Groups["name"].Value).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The text with each placeholder replaced by its argument; one without an argument stays as written.</summary>
    public string Format(IReadOnlyDictionary<string, string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        // A scan rather than a regular expression: a file with thousands of problems formats each of them.
        var text = new System.Text.StringBuilder(Text.Length + 64);
        var at = 0;
        while (at < Text.Length)
        {
            var open = Text.IndexOf('{', at);
            var close = open < 0 ? -1 : Text.IndexOf('}', open + 1);
            if (close < 0)
            {
                text.Append(Text, at, Text.Length - at);
                break;
            }

            var name = Text.AsSpan(open + 1, close - open - 1);
            text.Append(Text, at, open - at);
            if (IsName(name) && args.TryGetValue(name.ToString(), out var value)) text.Append(value);
            else text.Append(Text, open, close - open + 1);
            at = close + 1;
        }

        return text.ToString();
    }

    private static bool IsName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty) return false;
        foreach (var c in name)
        {
            if (!char.IsAsciiLetter(c)) return false;
        }

        return true;
    }

    [GeneratedRegex(@"\{(?<name>[a-zA-Z]+)\}")]
    private static partial Regex Placeholder();
}
