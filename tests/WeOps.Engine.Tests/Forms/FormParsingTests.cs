using WeOps.Engine.Forms;
using WeOps.Engine.Model;
using WeOps.Engine.Parsing;
using WeOps.Engine.Validation;
using static WeOps.Engine.Tests.Parsing.BpmnText;

namespace WeOps.Engine.Tests.Forms;

/// <summary><c>ops:form</c>: a form-js schema embedded in a user task or a none start event, read with the process;
/// a form that cannot be shown is an error naming the element and the field.</summary>
public sealed class FormParsingTests
{
    private const string Triage = """
        {"type":"default","components":[
          {"type":"text","text":"# Triage"},
          {"type":"select","key":"impact","label":"Impact","validate":{"required":true},
           "values":[{"label":"High","value":"high"},{"label":"Low","value":"low"}]},
          {"type":"number","key":"hosts","label":"Hosts","validate":{"min":1,"max":10}},
          {"type":"select","key":"assignee","label":"Assignee","valuesKey":"assigneeOptions","properties":{"picker":"users"}},
          {"type":"group","components":[{"type":"textarea","key":"notes","label":"Notes","validate":{"maxLength":200}}]}
        ]}
        """;

    private static string UserTask(string form, string attributes = "") => Process($$"""
        <bpmn:startEvent id="start"/>
        <bpmn:userTask id="triage" name="Triage" {{attributes}}><bpmn:extensionElements><ops:form><![CDATA[{{form}}]]></ops:form></bpmn:extensionElements></bpmn:userTask>
        <bpmn:endEvent id="end"/>
        {{Flows("start>triage>end")}}
        """);

    private static IEnumerable<ValidationProblem> Errors(BpmnDocument document) => document.Problems.Where(p => p.Severity == Severity.Error);

    [Fact]
    public void A_user_task_form_is_read_with_its_fields()
    {
        var document = BpmnParser.Parse(UserTask(Triage));

        Assert.Empty(document.Problems);
        var form = ((TaskNode)document.Main!.Node("triage")).UserTask!.Form!;
        Assert.Equal(["impact", "hosts", "assignee", "notes"], form.Fields.Select(f => f.Key));
        var impact = form.Fields[0];
        Assert.Equal((FormFieldKind.Select, "Impact", true), (impact.Kind, impact.Label, impact.Required));
        Assert.Equal(["high", "low"], impact.Values.Select(v => v.Value!.ToString()));
        Assert.Equal((1d, 10d), (form.Fields[1].Min, form.Fields[1].Max));
        Assert.Equal((FormPicker.Users, "assigneeOptions"), (form.Fields[2].Picker, form.Fields[2].ValuesKey));
        Assert.Equal(200, form.Fields[3].MaxLength);
        Assert.Contains("\"Triage\"", form.Json.Replace("# Triage", "\"Triage\"", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void A_none_start_event_carries_a_start_form()
    {
        var document = BpmnParser.Parse(Process($$"""
            <bpmn:startEvent id="start"><bpmn:extensionElements><ops:form>{"components":[{"type":"textfield","key":"title","label":"Title"}]}</ops:form></bpmn:extensionElements></bpmn:startEvent>
            <bpmn:endEvent id="end"/>
            {{Flows("start>end")}}
            """));

        Assert.Empty(document.Problems);
        Assert.Equal("title", Assert.Single(((StartEvent)document.Main!.Node("start")).Form!.Fields).Key);
    }

    [Fact]
    public void Bad_json_is_an_error_naming_the_element()
    {
        var document = BpmnParser.Parse(UserTask("""{"components":[{"type":"textfield",}]}"""));

        var problem = Assert.Single(Errors(document));
        Assert.Equal("triage", problem.ElementId);
        Assert.Contains("not valid JSON", problem.Message, StringComparison.Ordinal);
        Assert.Null(((TaskNode)document.Main!.Node("triage")).UserTask!.Form);
    }

    [Fact]
    public void An_unknown_component_type_is_an_error_naming_the_field()
    {
        var document = BpmnParser.Parse(UserTask("""{"components":[{"type":"signature","key":"signedBy","label":"Signature"}]}"""));

        var problem = Assert.Single(Errors(document));
        Assert.Equal("triage", problem.ElementId);
        Assert.Contains("field \"signedBy\"", problem.Message, StringComparison.Ordinal);
        Assert.Contains("\"signature\"", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_field_without_a_key_is_an_error_naming_the_component()
    {
        var document = BpmnParser.Parse(UserTask("""{"components":[{"type":"textfield","id":"Field_1","label":"Title"}]}"""));

        var problem = Assert.Single(Errors(document));
        Assert.Contains("component \"Field_1\" has no \"key\"", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_required_on_that_is_no_decision_nor_an_outcome_option_is_an_error_naming_the_choices()
    {
        var document = BpmnParser.Parse(UserTask("""
            {"components":[
              {"type":"radio","key":"outcome","values":[{"label":"Resolved","value":"resolve"},{"label":"Escalate","value":"escalate"}]},
              {"type":"textarea","key":"reason","properties":{"requiredOn":"escalate"}},
              {"type":"textarea","key":"notes","properties":{"requiredOn":"close"}}]}
            """));

        var problem = Assert.Single(Errors(document));
        Assert.Contains("field \"notes\": properties.requiredOn \"close\" is not approve, reject or an option of the \"outcome\" field (approve, reject, escalate, resolve)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_picker_without_a_values_key_is_an_error()
    {
        var document = BpmnParser.Parse(UserTask("""{"components":[{"type":"select","key":"owner","properties":{"picker":"users"}}]}"""));

        Assert.Contains(Errors(document), p => p.Message.Contains("field \"owner\": a picker needs a \"valuesKey\"", StringComparison.Ordinal));
    }

    [Fact]
    public void A_form_over_256_KB_is_refused()
    {
        var big = $$"""{"components":[{"type":"text","text":"{{new string('x', FormSchema.MaxBytes)}}"}]}""";

        var problem = Assert.Single(Errors(BpmnParser.Parse(UserTask(big))));
        Assert.Equal("triage", problem.ElementId);
        Assert.Contains("at most 262,144 are allowed", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_camunda_form_key_is_a_warning_naming_it()
    {
        var document = BpmnParser.Parse(Process($$"""
            <bpmn:startEvent id="start"/>
            <bpmn:userTask id="review" camunda:formKey="embedded:app:forms/review.html"/>
            <bpmn:endEvent id="end"/>
            {{Flows("start>review>end")}}
            """));

        var problem = Assert.Single(document.Problems);
        Assert.Equal(("review", Severity.Warning), (problem.ElementId, problem.Severity));
        Assert.Contains("camunda:formKey=\"embedded:app:forms/review.html\"", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zeebe_form_definition_is_a_warning_naming_it()
    {
        var document = BpmnParser.Parse(Process($$"""
            <bpmn:startEvent id="start"/>
            <bpmn:userTask id="review"><bpmn:extensionElements><zeebe:formDefinition xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" formId="review-form"/></bpmn:extensionElements></bpmn:userTask>
            <bpmn:endEvent id="end"/>
            {{Flows("start>review>end")}}
            """));

        Assert.Contains(document.Problems, p => p.ElementId == "review" && p.Severity == Severity.Warning && p.Message.Contains("zeebe:formDefinition \"review-form\"", StringComparison.Ordinal));
    }
}

/// <summary>Every user task and approval of the shipped processes is worked through a form.</summary>
public sealed class ShippedFormsTests
{
    [Fact]
    public void Every_shipped_user_task_has_a_form()
    {
        var root = AppContext.BaseDirectory;
        while (!Directory.Exists(Path.Combine(root, "workflows"))) root = Path.GetDirectoryName(root)!;
        var withoutForm = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "workflows"), "*.bpmn", SearchOption.AllDirectories))
        {
            var document = BpmnParser.Parse(File.ReadAllText(file));
            Assert.DoesNotContain(document.Problems, p => p.Message.Contains("ops:form", StringComparison.Ordinal));
            withoutForm.AddRange(document.Processes.SelectMany(p => p.Nodes).OfType<TaskNode>()
                .Where(t => t.Kind == TaskKind.User && t.UserTask?.Form is null).Select(t => $"{Path.GetFileName(file)}#{t.Id}"));
        }

        Assert.Empty(withoutForm);
    }
}
