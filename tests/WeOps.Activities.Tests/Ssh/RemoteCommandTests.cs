using System.Text.Json.Nodes;
using WeOps.Activities.Ssh;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Tests.Ssh;

public sealed class RemoteCommandTests
{
    [Fact]
    public void Arguments_are_appended_to_the_command_each_quoted()
    {
        var built = RemoteCommand.Build("systemctl restart", null, ["nginx", "; rm -rf /"], null, false, ScriptShell.Sh);

        Assert.Equal("systemctl restart nginx '; rm -rf /'", built.CommandLine);
        Assert.Null(built.StandardInput);
    }

    [Fact]
    public void Environment_is_exported_first_with_quoted_values()
    {
        var env = new Dictionary<string, JsonNode?> { ["APP_ENV"] = "prod x", ["RETRIES"] = 3, ["EMPTY"] = null };

        var built = RemoteCommand.Build("deploy", null, null, env, false, ScriptShell.Sh);

        Assert.Equal("export APP_ENV='prod x' RETRIES=3 EMPTY=''; deploy", built.CommandLine);
    }

    [Fact]
    public void A_script_goes_to_stdin_of_the_chosen_shell_with_the_arguments_as_positional_parameters()
    {
        var built = RemoteCommand.Build(null, "echo \"$1\"\r\necho done", ["a b"], null, false, ScriptShell.Bash);

        Assert.Equal("exec bash -s -- 'a b'", built.CommandLine);
        Assert.Equal("echo \"$1\"\necho done\n", built.StandardInput);
    }

    [Fact]
    public void Sudo_runs_the_whole_line_in_one_quoted_shell()
    {
        var built = RemoteCommand.Build("id -u", null, ["it's"], null, true, ScriptShell.Sh);

        Assert.Equal("sudo -n -- sh -c 'id -u '\\''it'\\''\\'\\'''\\''s'\\'''", built.CommandLine);
    }

    [Theory]
    [InlineData(null, null, "one of them is required")]
    [InlineData("  ", "", "one of them is required")]
    [InlineData("uptime", "uptime", "not both")]
    public void Exactly_one_of_command_and_script_is_needed(string? command, string? script, string message)
    {
        var e = Assert.Throws<ExecutorInputException>(() => RemoteCommand.Build(command, script, null, null, false, ScriptShell.Sh));

        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData("BAD-NAME", "env name 'BAD-NAME'")]
    [InlineData("X;reboot", "env name 'X;reboot'")]
    [InlineData("1ST", "env name '1ST'")]
    public void Bad_environment_names_are_refused(string name, string message)
    {
        var env = new Dictionary<string, JsonNode?> { [name] = "v" };

        var e = Assert.Throws<ExecutorInputException>(() => RemoteCommand.Build("true", null, null, env, false, ScriptShell.Sh));

        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void An_environment_value_that_is_not_a_scalar_is_refused_without_showing_it()
    {
        var env = new Dictionary<string, JsonNode?> { ["TOKEN"] = new JsonObject { ["secret"] = "s3cr3t" } };

        var e = Assert.Throws<ExecutorInputException>(() => RemoteCommand.Build("true", null, null, env, false, ScriptShell.Sh));

        Assert.Contains("env 'TOKEN'", e.Message);
        Assert.DoesNotContain("s3cr3t", e.Message);
    }

    [Fact]
    public void A_NUL_in_an_argument_is_refused()
    {
        var e = Assert.Throws<ExecutorInputException>(() => RemoteCommand.Build("echo", null, ["a\0b"], null, false, ScriptShell.Sh));

        Assert.Contains("args[0]", e.Message);
    }
}
