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

    [Theory]
    [InlineData("not xml at all", "file.not-well-formed", "line=1 column=1 reason=Data at the root level is invalid.")]
    [InlineData("<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\">\n  <bpmn:process id=\"p\">\n</bpmn:definitions>", "file.not-well-formed", "line=3 column=3 reason=The 'bpmn:process' start tag on line 2 position 4 does not match the end tag of 'bpmn:definitions'.")]
    [InlineData("<!DOCTYPE html>\n<html/>", "file.dtd-refused", "")]
    [InlineData("<html xmlns=\"urn:x\"/>", "file.not-bpmn", "root=html namespace=urn:x expected=http://www.omg.org/spec/BPMN/20100524/MODEL")]
    [InlineData("<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\"/>", "file.no-process", "")]
    [InlineData(" ", "file.empty", "")]
    public void A_file_that_cannot_be_read_gets_the_code_of_what_stopped_the_reader_with_its_arguments(string xml, string code, string args)
    {
        var problem = Assert.Single(Xml(xml).Problems);

        Assert.Equal(code, problem.Code);
        Assert.Equal(args, string.Join(' ', problem.Args.Select(a => $"{a.Key}={a.Value}")));
        Assert.Equal(ProblemCodes.All.Single(c => c.Code == code).Format(problem.Args), problem.Message);
    }

    [Fact]
    public void A_file_over_a_limit_gets_the_code_of_that_limit_with_the_limit_and_where_reading_stopped()
    {
        var deep = Xml("<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\">" + string.Concat(Enumerable.Repeat("<a>", 120)) + string.Concat(Enumerable.Repeat("</a>", 120)) + "</bpmn:definitions>");
        var tooDeep = Assert.Single(deep.Problems);
        Assert.Equal(ProblemCodes.FileTooDeep.Code, tooDeep.Code);
        Assert.Equal(("100", "101", "<a>", "1"), (tooDeep.Args["max"], tooDeep.Args["level"], tooDeep.Args["element"], tooDeep.Args["line"]));

        var large = Assert.Single(Xml(new string(' ', WeOps.Engine.Parsing.BpmnParser.MaxBytes + 1)).Problems);
        Assert.Equal((ProblemCodes.FileTooLarge.Code, "5"), (large.Code, large.Args["max"]));
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
