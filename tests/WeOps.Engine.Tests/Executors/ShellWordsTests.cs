using System.Diagnostics;
using System.Text.Json.Nodes;
using WeOps.Engine.Executors;
using WeOps.Engine.Expressions;
using WeOps.Engine.Tests.Expressions;

namespace WeOps.Engine.Tests.Executors;

/// <summary>A template filled for a shell input: every <c>${expr}</c> becomes one quoted word, whatever it holds,
/// on the direct path and in the engine alike; <c>${raw(expr)}</c> splices its text as it is.</summary>
public sealed class ShellWordsTests
{
    private static readonly IReadOnlyDictionary<string, JsonNode?> Vars = Variables.From("""
        {"service": "nginx; touch /tmp/pwned", "quote": "it's", "lines": "one\ntwo", "subshell": "$(id)",
         "backticks": "`id`", "empty": "", "nothing": null, "count": 5, "ratio": 0.5, "ok": true,
         "hosts": ["a b", "c"], "labels": {"k": "v w"}, "plain": "nginx", "flags": "-q --now", "dollar": "${HOME}"}
        """);

    private static readonly ExpressionEvaluator Usual = new();
    private static readonly ExpressionEvaluator EngineOnly = new() { Paths = ExpressionPaths.EngineOnly };

    private static string Fill(ExpressionEvaluator evaluator, string template) =>
        evaluator.EvaluateTemplate(template, Vars, ShellWords.Encoding)!.GetValue<string>();

    [Theory]
    [InlineData("systemctl status ${service}", "systemctl status 'nginx; touch /tmp/pwned'")]
    [InlineData("echo ${quote}", "echo 'it'\\''s'")]
    [InlineData("echo ${lines}", "echo 'one\ntwo'")]
    [InlineData("echo ${subshell}", "echo '$(id)'")]
    [InlineData("echo ${backticks}", "echo '`id`'")]
    [InlineData("echo ${dollar}", "echo '${HOME}'")]
    [InlineData("test -n ${empty}", "test -n ''")]
    [InlineData("test -n ${nothing}", "test -n ''")]
    [InlineData("test -n ${labels.missing}", "test -n ''")]
    [InlineData("sleep ${count}", "sleep 5")]
    [InlineData("sleep ${ratio}", "sleep 0.5")]
    [InlineData("echo ${ok}", "echo true")]
    [InlineData("echo ${hosts}", "echo '[\"a b\",\"c\"]'")]
    [InlineData("echo ${labels}", "echo '{\"k\":\"v w\"}'")]
    [InlineData("systemctl restart ${plain}", "systemctl restart nginx")]
    [InlineData("echo ${service + '!'}", "echo 'nginx; touch /tmp/pwned!'")]
    [InlineData("echo ${plain}${plain}", "echo nginxnginx")]
    [InlineData("echo '$${literal}' ${plain}", "echo '${literal}' nginx")]
    [InlineData("echo plain text; ls -l", "echo plain text; ls -l")]
    public void Each_spliced_value_is_written_as_one_shell_word(string template, string expected)
    {
        Assert.Equal(expected, Fill(Usual, template));
        Assert.Equal(expected, Fill(EngineOnly, template));
    }

    [Theory]
    [InlineData("${service}", "'nginx; touch /tmp/pwned'")]
    [InlineData("${count}", "5")]
    [InlineData("${hosts}", "'[\"a b\",\"c\"]'")]
    [InlineData("${nothing}", "''")]
    public void A_value_that_is_the_whole_template_is_one_word_too_and_stays_text(string template, string expected)
    {
        var filled = Usual.EvaluateTemplate(template, Vars, ShellWords.Encoding);

        Assert.Equal(expected, filled!.GetValue<string>());
        Assert.Equal(expected, Fill(EngineOnly, template));
    }

    [Theory]
    [InlineData("systemctl ${raw(flags)} restart ${plain}", "systemctl -q --now restart nginx")]
    [InlineData("${raw(service)}", "nginx; touch /tmp/pwned")]
    [InlineData("echo ${ raw( quote ) } ${quote}", "echo it's 'it'\\''s'")]
    [InlineData("echo ${raw(hosts.map(function (h) { return '(' + h + ')'; }).join(' '))}", "echo (a b) (c)")]
    [InlineData("echo ${raw(')' + plain)}", "echo )nginx")]
    [InlineData("echo ${raw(nothing)}", "echo ")]
    public void A_raw_splice_is_written_as_it_is(string template, string expected)
    {
        Assert.Equal(expected, Fill(Usual, template));
        Assert.Equal(expected, Fill(EngineOnly, template));
    }

    [Fact]
    public void Without_the_encoding_templates_are_filled_as_before()
    {
        Assert.Equal("systemctl status nginx; touch /tmp/pwned", Usual.EvaluateTemplate("systemctl status ${service}", Vars)!.GetValue<string>());
        Assert.Equal(5, Usual.EvaluateTemplate("${count}", Vars)!.GetValue<int>());
    }

    [Fact]
    public void A_NUL_character_is_an_expression_failure_naming_the_template()
    {
        var variables = Variables.From("""{"bad": "a\u0000b"}""");

        foreach (var evaluator in new[] { Usual, EngineOnly })
        {
            var e = Assert.Throws<ExpressionException>(() => evaluator.EvaluateTemplate("echo ${bad}", variables, ShellWords.Encoding));
            Assert.Contains("echo ${bad}", e.Message, StringComparison.Ordinal);
            Assert.Contains("NUL", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_raw_part_that_does_not_parse_is_reported_where_it_is_written()
    {
        var e = Assert.Throws<ExpressionException>(() => Usual.EvaluateTemplate("echo ${raw(a +)}", Vars, ShellWords.Encoding));

        Assert.Contains("echo ${raw(a +)}", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("echo ${raw(a)} ${b} ${raw( c.d )}", new[] { "a", "c.d" })]
    [InlineData("echo ${raw(a) + raw(b)}", new string[0])]
    [InlineData("echo ${rawText(a)} ${draw(b)} ${raw}", new string[0])]
    [InlineData("echo $${raw(a)}", new string[0])]
    [InlineData("echo ${raw(a}", new string[0])]
    public void Splices_names_the_parts_written_as_one_raw_call(string template, string[] expected) =>
        Assert.Equal(expected, TemplateEncoding.Splices(template).Where(s => s.Raw).Select(s => s.Code));

    [Theory]
    [InlineData("echo '${service}'", "inside '...'")]
    [InlineData("echo 'a' '${service}'", "inside '...'")]
    [InlineData("echo \"${service}\"", "inside \"...\"")]
    [InlineData("echo \"it's \\\"${service}\"", "inside \"...\"")]
    [InlineData("echo \\${service}", "right after a backslash")]
    [InlineData("echo ok # restarting ${service}", "inside a comment")]
    [InlineData("#!/bin/sh\n# ${service}", "inside a comment")]
    [InlineData("cat <<EOF\n${service}\nEOF", "after a here-document")]
    [InlineData("cat <<'EOF'\n${service}\nEOF", "after a here-document")]
    public void A_value_is_refused_where_a_quoted_word_would_not_hold(string template, string why)
    {
        foreach (var evaluator in new[] { Usual, EngineOnly })
        {
            var e = Assert.Throws<ExpressionException>(() => evaluator.EvaluateTemplate(template, Vars, ShellWords.Encoding));
            Assert.Contains("the value of ${service} is spliced " + why, e.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("echo 'a' ${plain} \"b\" ${plain}", "echo 'a' nginx \"b\" nginx")]
    [InlineData("echo it\\'s ${plain}", "echo it\\'s nginx")]
    [InlineData("echo ok # a comment\necho ${plain}", "echo ok # a comment\necho nginx")]
    [InlineData("echo a#b ${plain}", "echo a#b nginx")]
    [InlineData("echo ${plain}#${plain}", "echo nginx#nginx")]
    [InlineData("echo \"${raw(plain)}\"", "echo \"nginx\"")]
    public void A_value_outside_quotes_and_comments_is_spliced_and_raw_goes_anywhere(string template, string expected) =>
        Assert.Equal(expected, Fill(Usual, template));

    public static TheoryData<string> Hostile => new()
    {
        "nginx; touch /tmp/pwned",
        "it's",
        "'",
        "line one\nline two\n",
        "$(id) `id` ${HOME} $HOME",
        "&& || | > < & ! * ? [a] ~ #",
        "",
        "-n",
        "nginx\n",
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void A_spliced_value_reaches_a_real_shell_as_one_unchanged_argument(string value)
    {
        var variables = new Dictionary<string, JsonNode?> { ["value"] = value };
        var command = Usual.EvaluateTemplate("printf '%s|' ${value}", variables, ShellWords.Encoding)!.GetValue<string>();

        // printf repeats its format per argument: one "|" means one word, and the text shows nothing was expanded.
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var shell = Process.Start(start)!;
        var output = shell.StandardOutput.ReadToEnd();
        shell.WaitForExit();

        Assert.Equal(value + "|", output);
    }
}
