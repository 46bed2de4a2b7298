using System.Text;
using System.Text.RegularExpressions;
using WeOps.Engine.Model;

namespace WeOps.Engine.Parsing;

/// <summary>Reads Alertmanager's matcher syntax: <c>alertname="DiskFull", severity=~"critical|warning"</c>,
/// optionally inside braces; values double-quoted (with <c>\"</c>, <c>\\</c> and <c>\n</c> escapes) or
/// bare up to the next comma.</summary>
public static class MatcherSyntax
{
    public const int MaxMatchers = 50;
    public const int MaxValueLength = 1000;

    public static bool TryParse(string text, out IReadOnlyList<LabelMatcher> matchers, out string? error)
    {
        var reader = new Reader(text.Trim());
        var list = new List<LabelMatcher>();
        matchers = list;
        error = reader.ReadAll(list);
        return error is null;
    }

    private sealed class Reader(string text)
    {
        private int at;

        public string? ReadAll(List<LabelMatcher> list)
        {
            var end = text.Length;
            if (text.StartsWith('{'))
            {
                if (!text.EndsWith('}')) return "it opens a brace '{' but does not close it";
                at = 1;
                end = text.Length - 1;
            }

            while (true)
            {
                SkipSpace(end);
                if (at >= end) break;
                if (list.Count == MaxMatchers) return $"it has more than {MaxMatchers} matchers";
                var problem = ReadMatcher(end, list);
                if (problem is not null) return problem;
                SkipSpace(end);
                if (at >= end) break;
                if (text[at] != ',') return $"expected a comma after matcher {list.Count} at character {at + 1}, found '{text[at]}'";
                at++;
            }

            return list.Count == 0 ? "it has no matcher; write at least one, such as alertname=\"DiskFull\"" : null;
        }

        private string? ReadMatcher(int end, List<LabelMatcher> list)
        {
            var start = at;
            string label;
            if (text[at] == '"')
            {
                var quoted = ReadQuoted(end, out label);
                if (quoted is not null) return quoted;
            }
            else
            {
                while (at < end && (char.IsAsciiLetterOrDigit(text[at]) || text[at] == '_')) at++;
                label = text[start..at];
                if (label.Length == 0) return $"expected a label name at character {start + 1}, found '{text[start]}'";
                if (char.IsAsciiDigit(label[0])) return $"the label name '{label}' starts with a digit";
            }

            SkipSpace(end);
            MatchOperator op;
            if (Next("=~")) op = MatchOperator.Regex;
            else if (Next("!~")) op = MatchOperator.NotRegex;
            else if (Next("!=")) op = MatchOperator.NotEqual;
            else if (Next("=")) op = MatchOperator.Equal;
            else return $"the matcher on '{label}' has no operator: use =, !=, =~ or !~";

            SkipSpace(end);
            string value;
            if (at < end && text[at] == '"')
            {
                var quoted = ReadQuoted(end, out value);
                if (quoted is not null) return quoted;
            }
            else
            {
                var valueStart = at;
                while (at < end && text[at] != ',') at++;
                value = text[valueStart..at].Trim();
                if (value.Contains('"', StringComparison.Ordinal)) return $"the value of '{label}' has a stray quote; quote the whole value";
            }

            if (value.Length > MaxValueLength) return $"the value of '{label}' has {value.Length} characters; at most {MaxValueLength}";
            try
            {
                list.Add(new LabelMatcher(label, op, value));
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException)
            {
                return $"the regular expression of '{label}' (\"{value}\") is not valid here: {Reason(e)}";
            }

            return null;
        }

        private string? ReadQuoted(int end, out string value)
        {
            var open = at;
            at++;
            var builder = new StringBuilder();
            while (at < end && text[at] != '"')
            {
                if (text[at] == '\\' && at + 1 < end)
                {
                    at++;
                    builder.Append(text[at] == 'n' ? '\n' : text[at]);
                }
                else
                {
                    builder.Append(text[at]);
                }

                at++;
            }

            value = builder.ToString();
            if (at >= end) return $"the quote opened at character {open + 1} is not closed";
            at++;
            return null;
        }

        private bool Next(string token)
        {
            if (string.CompareOrdinal(text, at, token, 0, token.Length) != 0) return false;
            at += token.Length;
            return true;
        }

        private void SkipSpace(int end)
        {
            while (at < end && char.IsWhiteSpace(text[at])) at++;
        }

        private static string Reason(Exception e) => e switch
        {
            RegexParseException parse => parse.Message,
            NotSupportedException => "backreferences and lookarounds are not supported (Alertmanager's RE2 has none either)",
            _ => e.Message,
        };
    }
}
