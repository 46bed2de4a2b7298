using System.Text.Json.Nodes;
using WeOps.Engine.Expressions;
using WeOps.Engine.Forms;

namespace WeOps.Engine.Tests.Forms;

/// <summary>Submitted values checked against a form: each failure keyed by the field, its message naming the label.</summary>
public sealed class FormSubmissionTests
{
    private static readonly FormSchema Form = FormSchemaReader.Read("""
        {"components":[
          {"type":"select","key":"impact","label":"Impact","validate":{"required":true},"values":[{"label":"High","value":"high"},{"label":"Low","value":"low"}]},
          {"type":"number","key":"hosts","label":"Hosts","validate":{"min":1,"max":10}},
          {"type":"textfield","key":"ticket","label":"Ticket","validate":{"pattern":"^INC-[0-9]+$","maxLength":20}},
          {"type":"checklist","key":"regions","label":"Regions","values":[{"label":"EU","value":"eu"},{"label":"US","value":"us"}]},
          {"type":"select","key":"owner","label":"Owner","valuesKey":"ownerOptions","properties":{"picker":"users"}},
          {"type":"datetime","key":"window","label":"Window","subtype":"datetime"},
          {"type":"textfield","key":"summary","label":"Summary","defaultValue":"${title + ' (' + impact + ')'}"},
          {"type":"checkbox","key":"confirmed","label":"Confirmed"}
        ]}
        """, out _)!;

    private static IReadOnlyDictionary<string, string[]> Errors(string values, JsonObject? data = null) =>
        FormSubmission.Check(Form, JsonNode.Parse(values)!.AsObject(), data).Errors;

    [Fact]
    public void A_missing_required_field_names_its_label()
    {
        var errors = Errors("{}");

        Assert.Equal(["Impact is required."], Assert.Single(errors).Value);
        Assert.Equal("impact", errors.Keys.Single());
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_refused()
    {
        var errors = Errors("""{"impact":"high","hosts":"many","confirmed":"yes"}""");

        Assert.Equal("Hosts must be a number.", errors["hosts"][0]);
        Assert.Equal("Confirmed must be true or false.", errors["confirmed"][0]);
    }

    [Fact]
    public void Options_min_max_pattern_and_dates_are_checked()
    {
        var errors = Errors("""{"impact":"huge","hosts":11,"ticket":"CHG-1","regions":["eu","asia"],"window":"next week"}""");

        Assert.Equal(["impact", "hosts", "ticket", "regions", "window"], errors.Keys);
        Assert.Contains("Impact must be one of its options", errors["impact"][0], StringComparison.Ordinal);
        Assert.Equal("Hosts must be at most 10.", errors["hosts"][0]);
        Assert.Contains("Ticket does not have the expected form", errors["ticket"][0], StringComparison.Ordinal);
        Assert.Contains("\"asia\" is not", errors["regions"][0], StringComparison.Ordinal);
        Assert.StartsWith("Window must be a date and time", errors["window"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_field_required_on_an_outcome_is_required_only_when_the_task_is_completed_with_that_outcome()
    {
        var work = FormSchemaReader.Read("""
            {"components":[
              {"type":"radio","key":"outcome","label":"Outcome","values":[{"label":"Resolved","value":"resolve"},{"label":"Escalate","value":"escalate"}]},
              {"type":"textarea","key":"escalationReason","label":"Why escalate","properties":{"requiredOn":"escalate"}}
            ]}
            """, out var problems)!;

        Assert.Empty(problems);
        Assert.Empty(FormSubmission.Check(work, JsonNode.Parse("""{"outcome":"resolve"}""")!.AsObject()).Errors);
        var errors = FormSubmission.Check(work, JsonNode.Parse("""{"outcome":"escalate","escalationReason":""}""")!.AsObject()).Errors;
        Assert.Equal(["Why escalate is required to escalate."], errors["escalationReason"]);
    }

    [Fact]
    public void A_picker_accepts_only_the_options_it_was_shown_with()
    {
        var data = new JsonObject { ["ownerOptions"] = new JsonArray(new JsonObject { ["label"] = "Alice", ["value"] = "alice" }) };

        Assert.Empty(Errors("""{"impact":"low","owner":"alice"}""", data));
        Assert.Contains("owner", Errors("""{"impact":"low","owner":"mallory"}""", data).Keys);
    }

    [Fact]
    public void Valid_values_become_variables_with_numbers_as_numbers()
    {
        var check = FormSubmission.Check(Form, JsonNode.Parse("""{"impact":"high","hosts":"3","window":"2026-12-08T22:00:00Z","extra":1}""")!.AsObject());

        Assert.True(check.IsValid);
        Assert.Equal(3d, check.Variables["hosts"]!.GetValue<double>());
        Assert.Equal(1, (int)check.Variables["extra"]!);
    }

    [Fact]
    public void Defaults_come_from_variables_and_expressions()
    {
        var variables = new Dictionary<string, JsonNode?> { ["title"] = "Disk full", ["impact"] = "high" };

        var data = FormData.For(Form, variables, new ExpressionEvaluator());

        Assert.Equal("high", (string?)data["impact"]);
        Assert.Equal("Disk full (high)", (string?)data["summary"]);
    }
}
