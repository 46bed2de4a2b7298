using System.Globalization;
using System.Text;

namespace WeOps.Decisions.Feel;

internal enum TokenKind { Number, String, Name, Symbol, At, End }

internal sealed record Token(TokenKind Kind, string Text, int Start, int End, object? Value = null);

/// <summary>Splits FEEL text into tokens; names of several words are joined later by the parser.</summary>
internal static class Lexer
{
    private static readonly string[] Symbols = ["..", "**", "!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "/", "(", ")", "[", "]", "{", "}", ",", ":", ".", "?"];

    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                while (i < text.Length && text[i] != '\n') i++;
                continue;
            }
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var close = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = close < 0 ? text.Length : close + 2;
                continue;
            }
            var start = i;
            if (char.IsDigit(c) || (c == '.' && i + 1 < text.Length && char.IsDigit(text[i + 1])))
            {
                while (i < text.Length && char.IsDigit(text[i])) i++;
                if (i + 1 < text.Length && text[i] == '.' && char.IsDigit(text[i + 1]))
                {
                    i++;
                    while (i < text.Length && char.IsDigit(text[i])) i++;
                }
                if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
                {
                    var j = i + 1;
                    if (j < text.Length && (text[j] == '+' || text[j] == '-')) j++;
                    if (j < text.Length && char.IsDigit(text[j]))
                    {
                        i = j;
                        while (i < text.Length && char.IsDigit(text[i])) i++;
                    }
                }
                var raw = text[start..i];
                var value = decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                    ? d
                    : throw new FeelSyntaxException($"number {raw} is out of range", start);
                tokens.Add(new Token(TokenKind.Number, raw, start, i, value));
                continue;
            }
            if (c == '"')
            {
                tokens.Add(ReadString(text, ref i));
                continue;
            }
            if (c == '@' && i + 1 < text.Length && text[i + 1] == '"')
            {
                i++;
                var s = ReadString(text, ref i);
                tokens.Add(new Token(TokenKind.At, s.Text, start, i, s.Value));
                continue;
            }
            if (IsNameStart(c))
            {
                while (i < text.Length && IsNamePart(text[i])) i++;
                tokens.Add(new Token(TokenKind.Name, text[start..i], start, i));
                continue;
            }
            var symbol = Symbols.FirstOrDefault(s => string.CompareOrdinal(text, i, s, 0, s.Length) == 0);
            if (symbol is not null)
            {
                i += symbol.Length;
                tokens.Add(new Token(TokenKind.Symbol, symbol, start, i));
                continue;
            }
            // Characters such as ' or & only occur inside names the parser knows from the model.
            i++;
            tokens.Add(new Token(TokenKind.Symbol, text[start..i], start, i));
        }
        tokens.Add(new Token(TokenKind.End, "", text.Length, text.Length));
        return tokens;
    }

    public static bool IsNameStart(char c) => char.IsLetter(c) || char.IsSurrogate(c) || c == '_' || c == '$' || char.GetUnicodeCategory(c) == UnicodeCategory.OtherLetter;

    public static bool IsNamePart(char c) => IsNameStart(c) || char.IsDigit(c) || c == '\u00B7' || char.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    private static Token ReadString(string text, ref int i)
    {
        var start = i;
        i++;
        var sb = new StringBuilder();
        while (i < text.Length && text[i] != '"')
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                var e = text[i + 1];
                i += 2;
                switch (e)
                {
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case '\'': sb.Append('\''); break;
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case 'u' when i + 4 <= text.Length:
                        sb.Append((char)int.Parse(text.AsSpan(i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        i += 4;
                        break;
                    case 'U' when i + 6 <= text.Length:
                        sb.Append(char.ConvertFromUtf32(int.Parse(text.AsSpan(i, 6), NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
                        i += 6;
                        break;
                    default: sb.Append('\\').Append(e); break;
                }
                continue;
            }
            sb.Append(text[i]);
            i++;
        }
        if (i >= text.Length) throw new FeelSyntaxException("string is not closed", start);
        i++;
        return new Token(TokenKind.String, text[start..i], start, i, sb.ToString());
    }
}

/// <summary>FEEL text that does not parse, with the offset where reading stopped.</summary>
public sealed class FeelSyntaxException(string message, int position) : Exception($"{message} (at {position})")
{
    public int Position { get; } = position;
}
