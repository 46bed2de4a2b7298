using System.Text.RegularExpressions;
using WeOps.Activities.Inventory;

namespace WeOps.Activities.Ssh;

/// <summary>One term of a <see cref="TagFilter"/>: a plain tag (<c>web</c>) or a key and value
/// (<c>env:prod</c>), possibly negated (<c>!env:staging</c>).</summary>
public sealed record TagTerm(bool Negated, string Tag)
{
    public bool Matches(Host host) => host.Tags.Any(t => string.Equals(TagFilter.Normalize(t), Tag, StringComparison.OrdinalIgnoreCase)) != Negated;

    public override string ToString() => (Negated ? "!" : "") + Tag;
}

/// <summary>Hosts chosen by their tags: <c>tags: web+prod !env:staging</c> selects the hosts tagged
/// <c>web</c> and <c>prod</c> and not <c>env:staging</c>. Terms are separated by <c>+</c> or
/// whitespace and all must hold; tags compare without regard to case.</summary>
public sealed partial record TagFilter(string Text, IReadOnlyList<TagTerm> Terms)
{
    public const string Prefix = "tags:";

    public static bool IsFilter(string text) => text.TrimStart().StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    public bool Matches(Host host) => Terms.All(t => t.Matches(host));

    /// <summary>Reads a filter written <c>tags: TERM+TERM !TERM</c>.</summary>
    /// <exception cref="FormatException">The text is not a filter; the message names the bad term.</exception>
    public static TagFilter Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (!IsFilter(trimmed))
            throw new FormatException($"'{Shorten(trimmed)}' is not a tag filter: it must start with '{Prefix}'.");
        var body = Normalize(trimmed[Prefix.Length..]);
        var terms = new List<TagTerm>();
        foreach (var word in Separators().Split(body))
        {
            if (word.Length == 0) continue;
            terms.Add(ParseTerm(word, trimmed));
        }

        if (terms.Count == 0)
            throw new FormatException($"The tag filter '{Shorten(trimmed)}' has no terms; write e.g. 'tags: web+env:prod'.");
        return new TagFilter(trimmed, terms);
    }

    /// <summary>Spaces after a colon belong to the tag (<c>env: prod</c> is <c>env:prod</c>).</summary>
    internal static string Normalize(string tag) => SpaceAfterColon().Replace(tag.Trim(), ":");

    private static TagTerm ParseTerm(string word, string filter)
    {
        var negated = word.StartsWith('!');
        var tag = negated ? word[1..] : word;
        string Problem(string what) => $"The tag filter '{Shorten(filter)}' has a bad term '{Shorten(word)}': {what}.";
        if (tag.Length == 0)
            throw new FormatException(Problem("'!' must be followed by a tag, with no space between"));
        if (tag.Contains('!'))
            throw new FormatException(Problem("'!' may only start a term"));
        var parts = tag.Split(':');
        if (parts.Length > 2)
            throw new FormatException(Problem("a term is a tag or key:value, with one ':'"));
        if (parts[0].Length == 0)
            throw new FormatException(Problem("there is no key before ':'"));
        if (parts.Length == 2 && parts[1].Length == 0)
            throw new FormatException(Problem("there is no value after ':'"));
        if (parts.Any(p => !TagCharacters().IsMatch(p)))
            throw new FormatException(Problem("tags hold letters, digits, '_', '.', '-' and '/' only"));
        return new TagTerm(negated, tag);
    }

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "…" : text;

    [GeneratedRegex(@"[+\s]+")]
    private static partial Regex Separators();

    [GeneratedRegex(@":\s+")]
    private static partial Regex SpaceAfterColon();

    [GeneratedRegex(@"^[\p{L}\p{N}_./-]+$")]
    private static partial Regex TagCharacters();
}
