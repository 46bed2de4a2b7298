using System.Text;

namespace WeOps.Engine.Expressions;

/// <summary>One piece of a template: literal text, or the JavaScript between "${" and its "}".</summary>
/// <param name="Start">Where the text of this part starts in the template.</param>
internal readonly record struct TemplatePart(string Text, bool IsCode, int Start);

/// <summary>A string value split into literal text and <c>${expr}</c> parts. "$${" stands for a literal "${".
/// The "}" that closes a part is found by reading JavaScript tokens, so object literals, strings, template literals,
/// comments and regular expressions holding braces do not end the part early.</summary>
internal sealed class Template
{
    private Template(string text, IReadOnlyList<TemplatePart> parts, SyntaxProblem? problem)
    {
        Text = text;
        Parts = parts;
        Problem = problem;
    }

    public string Text { get; }

    public IReadOnlyList<TemplatePart> Parts { get; }

    /// <summary>Set when a "${" is not closed; <see cref="Parts"/> is empty then.</summary>
    public SyntaxProblem? Problem { get; }

    /// <summary>The whole text is exactly one <c>${expr}</c>: its value keeps its JSON type.</summary>
    public bool IsLoneExpression =>
        Parts is [{ IsCode: true } part] && part.Start == 2 && part.Start + part.Text.Length + 1 == Text.Length;

    /// <summary>True when the text holds a "${" that is not escaped as "$${", closed or not: an unclosed one
    /// is a template with a syntax problem, not literal text.</summary>
    public static bool ContainsCode(string text)
    {
        var i = text.IndexOf('$');
        while (i >= 0 && i + 1 < text.Length)
        {
            if (text[i + 1] == '{') return true;
            // "$${" is an escaped "${": step over all three characters.
            i = text.IndexOf('$', string.CompareOrdinal(text, i, "$${", 0, 3) == 0 ? i + 3 : i + 1);
        }

        return false;
    }

    public static Template Parse(string text)
    {
        var parts = new List<TemplatePart>();
        var literal = new StringBuilder();
        var literalStart = 0;
        var i = 0;
        while (i < text.Length)
        {
            var dollar = text.IndexOf('$', i);
            if (dollar < 0)
            {
                literal.Append(text, i, text.Length - i);
                break;
            }

            literal.Append(text, i, dollar - i);
            if (string.CompareOrdinal(text, dollar, "$${", 0, 3) == 0)
            {
                literal.Append("${");
                i = dollar + 3;
            }
            else if (dollar + 1 < text.Length && text[dollar + 1] == '{')
            {
                var close = FindClosingBrace(text, dollar + 2);
                if (close < 0) return new Template(text, [], new SyntaxProblem(dollar, "'${' is not closed by a '}'"));

                if (literal.Length > 0) parts.Add(new TemplatePart(literal.ToString(), false, literalStart));
                literal.Clear();
                parts.Add(new TemplatePart(text[(dollar + 2)..close], true, dollar + 2));
                i = close + 1;
                literalStart = i;
            }
            else
            {
                literal.Append('$');
                i = dollar + 1;
            }
        }

        if (literal.Length > 0) parts.Add(new TemplatePart(literal.ToString(), false, literalStart));
        return new Template(text, parts, null);
    }

    private static int FindClosingBrace(string s, int start)
    {
        var depth = 0;
        var slashDivides = false;
        for (var i = start; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '\'' or '"':
                    i = SkipString(s, i);
                    if (i < 0) return -1;
                    slashDivides = true;
                    break;
                case '`':
                    i = SkipTemplateLiteral(s, i);
                    if (i < 0) return -1;
                    slashDivides = true;
                    break;
                case '/' when i + 1 < s.Length && s[i + 1] == '/':
                    i = s.IndexOfAny(['\n', '\r', '\u2028', '\u2029'], i);
                    if (i < 0) return -1;
                    break;
                case '/' when i + 1 < s.Length && s[i + 1] == '*':
                    var end = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    if (end < 0) return -1;
                    i = end + 1;
                    break;
                case '/' when !slashDivides:
                    i = SkipRegularExpression(s, i);
                    if (i < 0) return -1;
                    slashDivides = true;
                    break;
                case '{':
                    depth++;
                    slashDivides = false;
                    break;
                case '}':
                    if (depth == 0) return i;
                    depth--;
                    slashDivides = true;
                    break;
                case ')' or ']':
                    slashDivides = true;
                    break;
                default:
                    if (char.IsWhiteSpace(c)) break;
                    if (IsWordChar(c))
                    {
                        var wordEnd = i;
                        while (wordEnd < s.Length && IsWordChar(s[wordEnd])) wordEnd++;
                        slashDivides = !KeywordsBeforeAnExpression.Contains(s[i..wordEnd]);
                        i = wordEnd - 1;
                    }
                    else
                    {
                        slashDivides = false;
                    }

                    break;
            }
        }

        return -1;
    }

    private static readonly HashSet<string> KeywordsBeforeAnExpression =
        ["return", "typeof", "instanceof", "in", "new", "delete", "void", "throw", "case", "do", "else"];

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '$' or '.';

    private static int SkipString(string s, int open)
    {
        for (var i = open + 1; i < s.Length; i++)
        {
            if (s[i] == '\\') i++;
            else if (s[i] == s[open]) return i;
            else if (s[i] is '\n' or '\r') return -1;
        }

        return -1;
    }

    /// <summary>The closing backtick of a JavaScript template literal, whose <c>${...}</c> substitutions hold code
    /// with braces of its own.</summary>
    private static int SkipTemplateLiteral(string s, int open)
    {
        for (var i = open + 1; i < s.Length; i++)
        {
            if (s[i] == '\\') i++;
            else if (s[i] == '`') return i;
            else if (s[i] == '$' && i + 1 < s.Length && s[i + 1] == '{')
            {
                i = FindClosingBrace(s, i + 2);
                if (i < 0) return -1;
            }
        }

        return -1;
    }

    private static int SkipRegularExpression(string s, int open)
    {
        var inClass = false;
        for (var i = open + 1; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '\\') i++;
            else if (c is '\n' or '\r') return -1;
            else if (inClass) inClass = c != ']';
            else if (c == '[') inClass = true;
            else if (c == '/')
            {
                while (i + 1 < s.Length && char.IsLetter(s[i + 1])) i++;
                return i;
            }
        }

        return -1;
    }
}
