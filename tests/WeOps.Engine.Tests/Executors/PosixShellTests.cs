using System.Diagnostics;
using WeOps.Engine.Executors;

namespace WeOps.Engine.Tests.Executors;

public sealed class PosixShellTests
{
    public static TheoryData<string> Hostile => new()
    {
        "; rm -rf /",
        "a b\tc",
        "it's",
        "'",
        "''",
        "\"double\" and \\backslash\\",
        "$(id) `id` ${HOME} $HOME",
        "line one\nline two\n",
        "*?[a-z] ~root #comment",
        "&& || | > < & !",
        "ünïcödé ✓ 🚀",
        "-n",
        "",
        "nginx\n",
        "\n",
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void A_quoted_value_reaches_a_real_shell_as_one_unchanged_argument(string value)
    {
        // printf prints its first argument only: any split would lose text, any expansion change it.
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("printf '%s|' " + PosixShell.Quote(value));
        using var shell = Process.Start(start)!;
        var output = shell.StandardOutput.ReadToEnd();
        shell.WaitForExit();

        Assert.Equal(value + "|", output);
    }

    [Theory]
    [InlineData("nginx", "nginx")]
    [InlineData("/var/log/app.log", "/var/log/app.log")]
    [InlineData("a b", "'a b'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("", "''")]
    [InlineData("$HOME", "'$HOME'")]
    [InlineData("nginx\n", "'nginx\n'")]
    public void Quote_leaves_plain_words_bare_and_single_quotes_the_rest(string value, string expected)
    {
        Assert.Equal(expected, PosixShell.Quote(value));
    }

    [Fact]
    public void Quote_refuses_a_NUL_character()
    {
        var e = Assert.Throws<ArgumentException>(() => PosixShell.Quote("a\0b"));
        Assert.Contains("NUL", e.Message);
    }

    [Theory]
    [InlineData("PATH", true)]
    [InlineData("_x1", true)]
    [InlineData("1x", false)]
    [InlineData("A-B", false)]
    [InlineData("A B", false)]
    [InlineData("X;rm", false)]
    [InlineData("", false)]
    [InlineData("PATH\n", false)]
    public void Variable_names_are_checked(string name, bool valid)
    {
        Assert.Equal(valid, PosixShell.IsVariableName(name));
    }
}
