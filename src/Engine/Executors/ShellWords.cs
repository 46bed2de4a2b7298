using WeOps.Engine.Expressions;

namespace WeOps.Engine.Executors;

/// <summary>The template encoding of inputs that a shell reads (<see cref="InputSyntax.Shell"/>): each value
/// spliced with <c>${expr}</c> becomes exactly one word, quoted by <see cref="PosixShell.Quote"/>, whatever it
/// holds: <c>nginx; touch x</c> stays the argument <c>'nginx; touch x'</c>, an empty value the empty word
/// <c>''</c>, an object or array its JSON in one word.</summary>
public sealed class ShellWords : TemplateEncoding
{
    public static readonly ShellWords Encoding = new();

    private ShellWords()
    {
    }

    /// <inheritdoc/>
    public override string Encode(string text) => PosixShell.Quote(text);
}
