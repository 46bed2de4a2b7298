using System.Text;
using System.Text.RegularExpressions;

namespace WeOps.Engine.Executors;

/// <summary>Quoting for a POSIX shell (the one that runs a command on a remote host): a value built from
/// variables becomes exactly one word there, whatever it holds.</summary>
public static partial class PosixShell
{
    /// <summary><paramref name="value"/> as one shell word: left bare when it holds only characters
    /// the shell gives no meaning to, else in single quotes (which end only at the next quote).</summary>
    /// <exception cref="ArgumentException">The value holds a NUL character, which no shell word can carry.</exception>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Contains('\0'))
            throw new ArgumentException("A value passed to the remote shell cannot contain a NUL character.", nameof(value));
        if (value.Length > 0 && SafeWord().IsMatch(value))
            return value;
        var quoted = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            // A single quote cannot appear inside single quotes: close, add an escaped one, reopen.
            if (c == '\'') quoted.Append("'\\''");
            else quoted.Append(c);
        }

        return quoted.Append('\'').ToString();
    }

    /// <summary>Whether <paramref name="name"/> can be an environment variable name in the shell.</summary>
    public static bool IsVariableName(string name) => VariableName().IsMatch(name);

    // \z, not $: $ also matches before a final newline, and "nginx\n" left bare would end the command there.
    [GeneratedRegex(@"^[A-Za-z0-9_@%+=:,./-]+\z")]
    private static partial Regex SafeWord();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*\z")]
    private static partial Regex VariableName();
}
