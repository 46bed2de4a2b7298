using System.Text.Json.Nodes;
using WeOps.Engine.Executors;
using WeOps.Engine.Parsing;
using WeOps.Engine.Validation;
using static WeOps.Engine.Tests.Parsing.BpmnText;
using static WeOps.Engine.Tests.Validation.Validate;

namespace WeOps.Engine.Tests.Validation;

public sealed class ActivityRulesTests
{
    /// <summary>start → the element "t" → end.</summary>
    private static BpmnDocument Around(string element) =>
        Body($"""<bpmn:startEvent id="start"/>{element}<bpmn:endEvent id="end"/>""" + Flows("start>t>end"));

    private static string Service(string extensions, string attributes = "") =>
        $"""<bpmn:serviceTask id="t" name="Deploy"{attributes}><bpmn:extensionElements>{extensions}</bpmn:extensionElements></bpmn:serviceTask>""";

    private static string Deploy(string inputs) => Service($"""<ops:task type="test.deploy"/><ops:input name="service" value="api"/>{inputs}""");

    [Fact]
    public void Service_task_without_ops_task_is_an_error()
    {
        var document = Around("""<bpmn:serviceTask id="t" name="Restart nginx"/>""");

        var problem = Single(document, "t", Severity.Error, ProblemCodes.ServiceNoType, "Restart nginx");
        Assert.Equal("Restart nginx: choose what this service task runs.", problem.Message);
    }

    [Fact]
    public void Unknown_executor_type_is_an_error_naming_it_and_the_known_types()
    {
        var document = Around(Service("""<ops:task type="ssh.exce"/>"""));

        var problem = Single(document, "t", Severity.Error, ProblemCodes.ExecutorUnknown, "Deploy");
        Assert.Equal("ssh.exce", problem.Args["type"]);
        Assert.Equal("Deploy runs 'ssh.exce', which this server does not know. Known steps: noop, test.deploy.", problem.Message);
    }

    [Fact]
    public void Known_executor_types_are_listed_up_to_ten()
    {
        var catalog = new ExecutorCatalog(Enumerable.Range(1, 12).Select(i => new NamedExecutor($"x{i:00}")));
        var validator = new ProcessValidator(catalog, new RejectingExpressionSyntax());

        var document = validator.Validate(BpmnParser.Parse(Process(
            $"""<bpmn:startEvent id="start"/>{Service("""<ops:task type="nope"/>""")}<bpmn:endEvent id="end"/>""" + Flows("start>t>end"))));

        var problem = Single(document, "t", Severity.Error, ProblemCodes.ExecutorUnknown, "Deploy");
        Assert.Equal("x01, x02, x03, x04, x05, x06, x07, x08, x09, x10 (+2)", problem.Args["known"]);
    }

    [Fact]
    public void Missing_required_input_is_an_error_naming_it()
    {
        var document = Around(Service("""<ops:task type="test.deploy"/>"""));

        var problem = Single(document, "t", Severity.Error, ProblemCodes.InputMissing, "Deploy");
        Assert.Equal("service", problem.Args["input"]);
        Assert.Equal("test.deploy", problem.Args["executorType"]);
        Assert.StartsWith("Deploy: the test.deploy step needs 'service' (The service to deploy", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ops:", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Required_input_with_a_default_may_be_left_out()
    {
        NoProblems(Around(Deploy("")));
    }

    [Fact]
    public void Required_input_given_as_an_expression_is_accepted()
    {
        NoProblems(Around(Service("""<ops:task type="test.deploy"/><ops:input name="service" value="${alert.labels.service}"/>""")));
    }

    [Fact]
    public void Noop_executor_takes_its_optional_input_or_none()
    {
        NoProblems(Around(Service("""<ops:task type="noop"/>""")));
        NoProblems(Around(Service("""<ops:task type="noop"/><ops:input name="result" value="{&quot;ok&quot;: true}"/>""")));
    }

    [Theory]
    [InlineData("port", "eighty", "a whole number")]
    [InlineData("dryRun", "yes", "true or false")]
    [InlineData("mode", "canary", "one of rolling, blueGreen")]
    [InlineData("wait", "5 minutes", "a duration such as PT5M")]
    [InlineData("hosts", "web1", "a list such as [\"a\", \"b\"]")]
    [InlineData("labels", "team=ops", "a JSON object")]
    public void Literal_input_that_does_not_fit_its_type_is_an_error(string input, string value, string expectation)
    {
        var document = Around(Deploy($"""<ops:input name="{input}" value="{value}"/>"""));

        var code = input == "mode" ? ProblemCodes.InputNotAnOption : ProblemCodes.InputWrongValue;
        var problem = Single(document, "t", Severity.Error, code, "Deploy");
        Assert.Equal(input, problem.Args["input"]);
        Assert.Equal($"\"{value}\"", problem.Args["value"]);
        Assert.Contains($"must be {expectation};", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("port", "8080")]
    [InlineData("dryRun", "true")]
    [InlineData("mode", "BlueGreen")]
    [InlineData("wait", "PT5M")]
    [InlineData("hosts", "[&quot;web1&quot;, &quot;web2&quot;]")]
    [InlineData("labels", "{&quot;team&quot;: &quot;ops&quot;}")]
    [InlineData("port", "${ports[0]}")]
    [InlineData("dryRun", "${env != 'prod'}")]
    public void Literal_that_fits_or_an_expression_is_accepted(string input, string value)
    {
        NoProblems(Around(Deploy($"""<ops:input name="{input}" value="{value}"/>""")));
    }

    [Fact]
    public void Input_the_executor_does_not_declare_is_a_warning()
    {
        var document = Around(Deploy("""<ops:input name="servce" value="api"/>"""));

        var problem = Single(document, "t", Severity.Warning, ProblemCodes.InputUnknown, "Deploy");
        Assert.Equal("servce", problem.Args["input"]);
        Assert.StartsWith("service, replicas, port", problem.Args["inputs"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_raw_splice_into_a_shell_input_is_a_warning_naming_the_element_the_input_and_the_splice()
    {
        var document = Around(Deploy("""<ops:input name="command" value="systemctl ${raw(flags)} restart ${service}"/>"""));

        var problem = Single(document, "t", Severity.Warning, ProblemCodes.RawInShell, "Deploy");
        Assert.StartsWith("Deploy: 'command' of the test.deploy step puts \"${raw(flags)}\" into the shell command unquoted", problem.Message, StringComparison.Ordinal);
        Assert.Single(document.Problems);
    }

    [Fact]
    public void Each_raw_splice_of_a_shell_input_is_named_and_quoted_splices_pass_silently()
    {
        NoProblems(Around(Deploy("""<ops:input name="command" value="systemctl restart ${service} ${alert.labels.unit}"/>""")));

        var document = Around(Deploy("""<ops:input name="command" value="${raw(a)} x ${ raw( b ) }"/>"""));

        Assert.Equal(["t Warning", "t Warning"], Keys(document));
        Assert.Contains(document.Problems, p => p.Code == ProblemCodes.RawInShell.Code && p.Args["splice"] == "\"${raw(a)}\"");
        Assert.Contains(document.Problems, p => p.Code == ProblemCodes.RawInShell.Code && p.Args["splice"] == "\"${raw(b)}\"");
    }

    [Fact]
    public void A_value_spliced_inside_quotes_of_a_shell_input_is_an_error_naming_it()
    {
        var document = Around(Deploy("""<ops:input name="command" value="echo &quot;${service}&quot;"/>"""));

        var problem = Single(document, "t", Severity.Error, ProblemCodes.SpliceRefused, "Deploy");
        Assert.Equal("\"${service}\"", problem.Args["splice"]);
        Assert.StartsWith("inside \"...\"", problem.Args["reason"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_raw_splice_into_a_url_input_is_a_warning_naming_it()
    {
        NoProblems(Around(Deploy("""<ops:input name="url" value="${base}/items/${id}"/>""")));

        var document = Around(Deploy("""<ops:input name="url" value="https://api.example.com/${raw(path)}"/>"""));

        var problem = Single(document, "t", Severity.Warning, ProblemCodes.RawInUrl, "Deploy");
        Assert.Equal(("url", "\"${raw(path)}\""), (problem.Args["input"], problem.Args["splice"]));
    }

    [Fact]
    public void A_raw_splice_into_an_input_that_is_not_a_shell_command_is_an_error()
    {
        var document = Around(Deploy("""<ops:input name="port" value="${raw(port)}"/>"""));

        var problem = Single(document, "t", Severity.Error, ProblemCodes.RawInText, "Deploy");
        Assert.Equal(("port", "\"${raw(port)}\""), (problem.Args["input"], problem.Args["splice"]));
    }

    [Fact]
    public void Input_and_output_values_that_do_not_parse_are_errors_naming_them()
    {
        var document = Around(Deploy("""<ops:input name="port" value="${@@}"/><ops:output name="url" value="http://${@@host}"/>"""));

        Assert.Equal(["t Error", "t Error"], Keys(document));
        Assert.Contains(document.Problems, p => p.Code == ProblemCodes.InputTemplateInvalid.Code && p.Args["input"] == "port"
            && p.Message.StartsWith("Deploy: the value of 'port' \"${@@}\" is not a valid template", StringComparison.Ordinal));
        Assert.Contains(document.Problems, p => p.Code == ProblemCodes.OutputTemplateInvalid.Code && p.Args["output"] == "url");
    }

    [Fact]
    public void Script_task_without_a_script_is_an_error()
    {
        Single(Around("""<bpmn:scriptTask id="t"/>"""), "t", Severity.Error, ProblemCodes.ScriptMissing);
    }

    [Theory]
    [InlineData("groovy")]
    [InlineData("python")]
    public void Script_in_another_language_is_an_error(string format)
    {
        var document = Around($"""<bpmn:scriptTask id="t" scriptFormat="{format}"><bpmn:script>x = 1</bpmn:script></bpmn:scriptTask>""");

        Assert.Equal(format, Single(document, "t", Severity.Error, ProblemCodes.ScriptNotJavaScript).Args["format"]);
    }

    [Theory]
    [InlineData("""scriptFormat="JavaScript" """)]
    [InlineData("""scriptFormat="js" """)]
    [InlineData("""scriptFormat="ECMAScript" """)]
    [InlineData("""scriptFormat="" """)]
    [InlineData("")]
    public void JavaScript_script_formats_are_accepted(string attribute)
    {
        NoProblems(Around($"""<bpmn:scriptTask id="t" {attribute}><bpmn:script>x = 1</bpmn:script></bpmn:scriptTask>"""));
    }

    [Fact]
    public void Script_that_does_not_parse_is_an_error_with_the_parser_message()
    {
        var document = Around("""<bpmn:scriptTask id="t"><bpmn:script>x = @@</bpmn:script></bpmn:scriptTask>""");

        var problem = Single(document, "t", Severity.Error, ProblemCodes.ScriptInvalid);
        Assert.EndsWith("Unexpected token '@' at 1:1", problem.Args["error"], StringComparison.Ordinal);
    }

    [Fact]
    public void Multi_instance_without_collection_or_cardinality_is_an_error()
    {
        var document = Around("""<bpmn:userTask id="t"><bpmn:multiInstanceLoopCharacteristics/></bpmn:userTask>""");

        Single(document, "t", Severity.Error, ProblemCodes.LoopNothingToRepeat);
    }

    [Theory]
    [InlineData("""<bpmn:extensionElements><ops:loop collection="${@@}"/></bpmn:extensionElements><bpmn:multiInstanceLoopCharacteristics/>""", "loop collection")]
    [InlineData("""<bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>${@@}</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>""", "loop cardinality")]
    [InlineData("""<bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>3</bpmn:loopCardinality><bpmn:completionCondition>${@@}</bpmn:completionCondition></bpmn:multiInstanceLoopCharacteristics>""", "completion condition")]
    public void Loop_expressions_that_do_not_parse_are_errors(string content, string what)
    {
        var document = Around($"""<bpmn:userTask id="t">{content}</bpmn:userTask>""");

        var problem = Single(document, "t", Severity.Error, what == "completion condition" ? ProblemCodes.ExpressionInvalid : ProblemCodes.TemplateInvalid);
        Assert.Equal((what, "\"${@@}\""), (problem.Args["part"], problem.Args["text"]));
    }

    [Theory]
    [InlineData("""<bpmn:extensionElements><ops:loop collection="hosts.@@"/></bpmn:extensionElements><bpmn:multiInstanceLoopCharacteristics/>""", "loop collection")]
    [InlineData("""<bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>count @@ 2</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>""", "loop cardinality")]
    public void Loop_collection_or_cardinality_without_braces_is_checked_as_the_expression_the_engine_runs(string content, string what)
    {
        var document = Around($"""<bpmn:userTask id="t">{content}</bpmn:userTask>""");

        Assert.Equal(what, Single(document, "t", Severity.Error, ProblemCodes.ExpressionInvalid).Args["part"]);
    }

    [Fact]
    public void Call_activity_without_a_process_key_is_an_error()
    {
        Single(Around("""<bpmn:callActivity id="t"/>"""), "t", Severity.Error, ProblemCodes.CallNoProcess);
    }

    [Fact]
    public void Send_task_that_sends_nothing_is_an_error()
    {
        Single(Around("""<bpmn:sendTask id="t"/>"""), "t", Severity.Error, ProblemCodes.SendNothing);
    }

    [Fact]
    public void User_task_assignee_that_does_not_parse_is_an_error()
    {
        var document = Around("""<bpmn:userTask id="t"><bpmn:extensionElements><ops:assignment assignee="${@@}"/></bpmn:extensionElements></bpmn:userTask>""");

        Assert.Equal("assignee", Single(document, "t", Severity.Error, ProblemCodes.TemplateInvalid).Args["part"]);
    }

    /// <summary>An executor known only by its type, to fill a catalog.</summary>
    private sealed class NamedExecutor(string type) : IExecutor
    {
        public ExecutorDescriptor Descriptor { get; } = new(type, type, "Test", null, [], []);

        public Task<JsonNode?> ExecuteAsync(JsonObject inputs, ExecutorContext context, CancellationToken cancellationToken) =>
            Task.FromResult<JsonNode?>(null);
    }
}
