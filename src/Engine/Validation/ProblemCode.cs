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
        return Placeholder().Replace(Text, m => args.TryGetValue(m.Groups["name"].Value, out var value) ? value : m.Value);
    }

    [GeneratedRegex(@"\{(?<name>[a-zA-Z]+)\}")]
    private static partial Regex Placeholder();
}
