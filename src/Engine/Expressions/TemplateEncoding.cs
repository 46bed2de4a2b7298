using System.Text;

namespace WeOps.Engine.Expressions;

/// <summary>How the values of a template's <c>${expr}</c> parts are written into its text when that text is read by
/// something with a syntax of its own, such as a shell command line (see
/// <see cref="ExpressionEvaluator.EvaluateTemplate"/>). Every value is encoded, a value that is the whole template
/// included (one at the very start as <see cref="EncodeLeading"/> says), and refused where the syntax cannot hold it
/// (<see cref="Refusal"/>); a part written <c>${raw(expr)}</c> is the one way to splice a value as it is.
/// <see cref="Splices"/> lists the parts of a template so that the validator can name them.</summary>
public abstract class TemplateEncoding
{
    /// <summary>The name of the form that splices a value unencoded: <c>${raw(expr)}</c>.</summary>
    public const string RawName = "raw";

    /// <summary>What stands for an earlier value in <see cref="TemplateSplice.Before"/>: an encoded value is a plain
    /// piece of text wherever it lands, so a letter says as much about what follows as the value would.</summary>
    public const char EarlierValue = 'v';

    /// <summary><paramref name="text"/> (the value as a mixed template writes it: like String(x), objects and
    /// arrays as JSON, null and undefined as nothing) as it must appear in the text.</summary>
    /// <exception cref="ArgumentException">The text cannot be encoded; the message says why.</exception>
    public abstract string Encode(string text);

    /// <summary>The text of a value spliced at the very start of the template (<c>${base}/items</c>, or a lone
    /// <c>${expr}</c>); encoded like any other unless the syntax gives that place a meaning of its own.</summary>
    public virtual string EncodeLeading(string text) => Encode(text);

    /// <summary>Why no value may be spliced right after <paramref name="before"/> (the template's text up to the
    /// part, see <see cref="TemplateSplice.Before"/>), in words that follow "the value of ${...} is spliced"; null
    /// where an encoded value holds.</summary>
    public virtual string? Refusal(string before) => null;

    /// <summary>The <c>${expr}</c> parts of <paramref name="template"/>, in order. A template that does not parse has
    /// none (the syntax check reports it).</summary>
    public static IReadOnlyList<TemplateSplice> Splices(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var (parts, splices) = Read(Template.Parse(template).Parts);
        return [.. parts.Select((p, i) => (Part: p, Splice: splices[i])).Where(x => x.Part.IsCode)
            .Select(x => new TemplateSplice(x.Part.Text, x.Splice.Kind == SpliceKind.Raw, x.Splice.Before))];
    }

    /// <summary>The parts as they are evaluated under an encoding, and how each value is spliced: a
    /// <c>raw(expr)</c> part becomes <c>expr</c> (with its position) and is spliced raw.</summary>
    internal static (TemplatePart[] Parts, Splice[] Splices) Read(IReadOnlyList<TemplatePart> parts)
    {
        var read = new TemplatePart[parts.Count];
        var splices = new Splice[parts.Count];
        var before = new StringBuilder();
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            read[i] = part;
            if (!part.IsCode)
            {
                before.Append(part.Text);
                continue;
            }

            var kind = i == 0 ? SpliceKind.Leading : SpliceKind.Encoded;
            if (Unwrap(part.Text) is { } inner)
            {
                read[i] = part with { Text = inner.Code, Start = part.Start + inner.Offset };
                kind = SpliceKind.Raw;
            }

            splices[i] = new Splice(kind, before.ToString());
            before.Append(EarlierValue);
        }

        return (read, splices);
    }

    /// <summary>The text a part's value is written as.</summary>
    internal string Write(string text, Splice splice, string code, string template)
    {
        if (splice.Kind == SpliceKind.Raw) return text;
        try
        {
            if (Refusal(splice.Before) is { } why) throw new ArgumentException($"the value of ${{{code}}} is spliced {why}");
            return splice.Kind == SpliceKind.Leading ? EncodeLeading(text) : Encode(text);
        }
        catch (ArgumentException e)
        {
            throw ExpressionFailure.Failed("Template", template, e.Message, e);
        }
    }

    /// <summary>The expression inside <c>raw(...)</c>, and where it starts in <paramref name="code"/>, when the code
    /// is exactly one such call; else null. The closing parenthesis is found by counting, skipping string and
    /// template literals, so <c>raw(a) + raw(b)</c> is not one call.</summary>
    private static (string Code, int Offset)? Unwrap(string code)
    {
        var text = code.TrimEnd();
        var start = text.Length - text.TrimStart().Length;
        if (string.CompareOrdinal(text, start, RawName, 0, RawName.Length) != 0 || !text.EndsWith(')')) return null;
        var open = start + RawName.Length;
        while (open < text.Length && char.IsWhiteSpace(text[open])) open++;
        if (open >= text.Length || text[open] != '(') return null;

        var depth = 0;
        for (var i = open + 1; i < text.Length - 1; i++)
        {
            switch (text[i])
            {
                case '\'' or '"' or '`':
                    i = SkipQuoted(text, i);
                    if (i < 0) return null;
                    break;
                case '(':
                    depth++;
                    break;
                case ')':
                    if (--depth < 0) return null;
                    break;
            }
        }

        var inner = text[(open + 1)..^1];
        var lead = inner.Length - inner.TrimStart().Length;
        return depth == 0 && inner.Trim().Length > 0 ? (inner.Trim(), open + 1 + lead) : null;
    }

    private static int SkipQuoted(string text, int open)
    {
        for (var i = open + 1; i < text.Length; i++)
        {
            if (text[i] == '\\') i++;
            else if (text[i] == text[open]) return i;
        }

        return -1;
    }
}

/// <summary>One <c>${expr}</c> of a template under an encoding.</summary>
/// <param name="Code">The expression, inside <c>raw(...)</c> for a raw part.</param>
/// <param name="Before">The template's text before the part, each earlier value written as
/// <see cref="TemplateEncoding.EarlierValue"/>: what decides where the value lands.</param>
public sealed record TemplateSplice(string Code, bool Raw, string Before);

internal enum SpliceKind : byte
{
    Encoded,
    Leading,
    Raw,
}

/// <summary>How one value is written into an encoded template.</summary>
internal readonly record struct Splice(SpliceKind Kind, string Before);
