using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Ssh;

/// <summary>The shell that reads a script from stdin on the remote host.</summary>
public enum ScriptShell
{
    [OptionLabel("sh", "sh")]
    Sh,

    [OptionLabel("bash", "bash")]
    Bash,
}

/// <summary>What ssh is asked to run on the remote host, and what it sends on stdin.</summary>
public sealed record RemoteCommand(string CommandLine, string? StandardInput)
{
    /// <summary>Builds the command line: environment exports, then the command with each argument quoted
    /// (or the shell reading the script from stdin, the arguments becoming <c>$1</c>...), the whole run
    /// through <c>sudo -n</c> when asked.</summary>
    /// <exception cref="ExecutorInputException">Neither or both of command and script, a bad variable
    /// name or value, or an argument no shell word can carry.</exception>
    public static RemoteCommand Build(string? command, string? script, IReadOnlyList<string>? args, IReadOnlyDictionary<string, JsonNode?>? env, bool sudo, ScriptShell shell)
    {
        var hasCommand = !string.IsNullOrWhiteSpace(command);
        var hasScript = !string.IsNullOrWhiteSpace(script);
        if (hasCommand == hasScript)
            throw new ExecutorInputException("ssh.exec: give either 'command' or 'script', " + (hasCommand ? "not both." : "one of them is required."));

        var line = new StringBuilder();
        if (env is { Count: > 0 })
        {
            line.Append("export");
            foreach (var (name, value) in env)
            {
                if (!PosixShell.IsVariableName(name))
                    throw new ExecutorInputException($"ssh.exec: env name '{Shorten(name)}' is not a variable name ([A-Za-z_][A-Za-z0-9_]*).");
                // The value is never echoed: it may be a secret.
                line.Append(' ').Append(name).Append('=').Append(Word(EnvValue(name, value), $"env '{name}'"));
            }

            line.Append("; ");
        }

        line.Append(hasCommand ? command!.Trim() : $"exec {(shell == ScriptShell.Bash ? "bash" : "sh")} -s --");
        for (var i = 0; i < (args?.Count ?? 0); i++)
            line.Append(' ').Append(Word(args![i], $"args[{i}]"));

        var text = line.ToString();
        if (sudo) text = "sudo -n -- sh -c " + PosixShell.Quote(text);
        return new RemoteCommand(text, hasScript ? Normalize(script!) : null);
    }

    private static string EnvValue(string name, JsonNode? value) => value?.GetValueKind() switch
    {
        null => "",
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.ToJsonString(),
        _ => throw new ExecutorInputException($"ssh.exec: env '{name}' must be a string, number or boolean."),
    };

    private static string Word(string value, string what)
    {
        if (value.Contains('\0'))
            throw new ExecutorInputException($"ssh.exec: {what} contains a NUL character, which a remote shell cannot receive.");
        return PosixShell.Quote(value);
    }

    // A script saved on Windows would hand every line a trailing CR; the shell must see a final newline.
    private static string Normalize(string script)
    {
        var text = script.Replace("\r\n", "\n", StringComparison.Ordinal);
        return text.EndsWith('\n') ? text : text + "\n";
    }

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
