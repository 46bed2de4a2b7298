using WeOps.Engine.Expressions;

namespace WeOps.Engine.Executors;

/// <summary>The template encoding of inputs that a shell reads (<see cref="InputSyntax.Shell"/>): each value
/// spliced with <c>${expr}</c> becomes exactly one word, quoted by <see cref="PosixShell.Quote"/>, whatever it
/// holds: <c>nginx; touch x</c> stays the argument <c>'nginx; touch x'</c>, an empty value the empty word
/// <c>''</c>, an object or array its JSON in one word. A quoted word only holds where the shell reads words, so
/// a value is refused inside quotes, after a backslash, in a comment or after a here-document.</summary>
public sealed class ShellWords : TemplateEncoding
{
    public static readonly ShellWords Encoding = new();

    private enum Context
    {
        Word,
        SingleQuotes,
        DoubleQuotes,
        Comment,
    }

    private ShellWords()
    {
    }

    /// <inheritdoc/>
    public override string Encode(string text) => PosixShell.Quote(text);

    /// <inheritdoc/>
    /// <remarks>Reads the quoting of the text before the value as a POSIX shell does. Inside '...' the value's own
    /// quotes would close the string, inside "..." its $(...) would run, in a comment its line break would end the
    /// comment, and in a here-document quotes mean nothing: there is no word to put it in.</remarks>
    public override string? Refusal(string before)
    {
        var context = Context.Word;
        var wordStart = true;
        for (var i = 0; i < before.Length; i++)
        {
            var c = before[i];
            switch (context)
            {
                case Context.Word when c == '\\':
                    if (i + 1 == before.Length) return "right after a backslash, which would take its opening quote as a character";
                    i++;
                    wordStart = false;
                    continue;
                case Context.Word when c == '\'':
                    context = Context.SingleQuotes;
                    break;
                case Context.Word when c == '"':
                    context = Context.DoubleQuotes;
                    break;
                case Context.Word when c == '#' && wordStart:
                    context = Context.Comment;
                    break;
                case Context.Word when c == '<' && i + 1 < before.Length && before[i + 1] == '<':
                    return "after a here-document (<<), where quotes mean nothing: pass the value in 'args' or 'env' and write \"$1\" or \"$NAME\"";
                case Context.SingleQuotes when c == '\'':
                case Context.DoubleQuotes when c == '"':
                    context = Context.Word;
                    break;
                case Context.DoubleQuotes when c == '\\':
                    i++;
                    break;
                case Context.Comment when c == '\n':
                    context = Context.Word;
                    break;
            }

            wordStart = char.IsWhiteSpace(c) || c is ';' or '&' or '|' or '(' or ')' or '<' or '>';
        }

        return context switch
        {
            Context.SingleQuotes => "inside '...', where its own quotes would end the string: write ${...} outside the quotes (it is quoted for you)",
            Context.DoubleQuotes => "inside \"...\", where a $(...) in it would still run: write ${...} outside the quotes (it is quoted for you)",
            Context.Comment => "inside a comment, which a line break in it would end",
            _ => null,
        };
    }
}
