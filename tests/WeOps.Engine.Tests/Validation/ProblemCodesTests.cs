using WeOps.Engine.Validation;
using static WeOps.Engine.Tests.Parsing.BpmnText;
using static WeOps.Engine.Tests.Validation.Validate;

namespace WeOps.Engine.Tests.Validation;

/// <summary>Every problem says what kind it is (a code of <see cref="ProblemCodes"/>) and carries the arguments its
/// English text is made of, so that a page can say it again in another language.</summary>
public sealed class ProblemCodesTests
{
    public static TheoryData<string> Folders => ["invalid", "import"];

    [Theory]
    [MemberData(nameof(Folders))]
    public void Every_problem_of_the_fixtures_has_a_known_code_and_its_message_is_the_code_text_filled_from_its_arguments(string folder)
    {
        var codes = ProblemCodes.All.ToDictionary(c => c.Code, StringComparer.Ordinal);
        var problems = Directory.GetFiles(FixturePath(folder), "*.bpmn").SelectMany(f => Validator.Validate(ParseFixture(folder, Path.GetFileName(f))).Problems).ToList();

        Assert.NotEmpty(problems);
        Assert.All(problems, p =>
        {
            Assert.True(codes.TryGetValue(p.Code, out var code), $"unknown code {p.Code}");
            Assert.All(code!.Placeholders, name => Assert.True(p.Args.ContainsKey(name), $"{p} has no argument '{name}'"));
            Assert.Equal(code.Format(p.Args), p.Message);
        });
    }

    [Fact]
    public void Problems_name_the_element_by_its_name_and_keep_its_id_apart()
    {
        var document = Body("""
            <bpmn:startEvent id="start"/><bpmn:serviceTask id="restart" name="Restart nginx"/><bpmn:serviceTask id="unnamed"/>
            """ + Flows("start>restart>unnamed"));

        var named = Single(document, "restart", Severity.Error, ProblemCodes.ServiceNoType, "Restart nginx");
        Assert.Equal("Restart nginx: choose what this service task runs.", named.Message);
        Assert.DoesNotContain("(restart)", named.Message, StringComparison.Ordinal);
        Assert.Equal("unnamed: choose what this service task runs.", Single(document, "unnamed", Severity.Error, ProblemCodes.ServiceNoType).Message);
    }

    [Fact]
    public void A_problem_of_reading_the_file_is_a_file_problem_with_its_text_as_the_argument()
    {
        var document = Xml("not xml at all");

        var problem = Assert.Single(document.Problems);
        Assert.Equal(ProblemCodes.FileProblem.Code, problem.Code);
        Assert.Equal(problem.Message, problem.Args["message"]);
    }

    [Fact]
    public void Messages_speak_of_the_drawing_not_of_the_file()
    {
        var document = Body("""
            <bpmn:startEvent id="start"/><bpmn:serviceTask id="t" name="Deploy"><bpmn:extensionElements><ops:task type="test.deploy"/></bpmn:extensionElements></bpmn:serviceTask>
            <bpmn:callActivity id="c" name="Roll back"/><bpmn:endEvent id="end"/>
            """ + Flows("start>t>c>end"));

        Assert.NotEmpty(document.Problems);
        Assert.All(document.Problems, p => Assert.DoesNotContain("ops:", p.Message, StringComparison.Ordinal));
    }
}
