using System.Text.Json.Nodes;
using WeOps.Engine.Expressions;

namespace WeOps.Engine.Forms;

/// <summary>The data a form is shown with: each field's current variable, else its default (a <c>${expr}</c>
/// default evaluated against the instance's variables, within the expression limits), and the option lists
/// that fields name by <c>valuesKey</c>. Pickers' options are added by the caller, who knows the directory.</summary>
public static class FormData
{
    public static JsonObject For(FormSchema form, IReadOnlyDictionary<string, JsonNode?> variables, ExpressionEvaluator expressions)
    {
        var data = new JsonObject();
        foreach (var field in form.Fields)
        {
            if (field.ValuesKey is { } valuesKey && field.Picker == FormPicker.None && variables.TryGetValue(valuesKey, out var options))
                data[valuesKey] = options?.DeepClone();
            if (variables.TryGetValue(field.Key, out var current) && current is not null)
                data[field.Key] = current.DeepClone();
            else if (field.DefaultValue is JsonValue text && text.TryGetValue<string>(out var template) && ExpressionEvaluator.IsTemplate(template))
                data[field.Key] = Evaluate(expressions, template, variables);
            else if (field.DefaultValue is not null)
                data[field.Key] = field.DefaultValue.DeepClone();
        }

        return data;
    }

    /// <summary>A default that cannot be evaluated (a variable not set yet) leaves the field empty rather than
    /// keeping the person from working the task.</summary>
    private static JsonNode? Evaluate(ExpressionEvaluator expressions, string template, IReadOnlyDictionary<string, JsonNode?> variables)
    {
        try
        {
            return expressions.EvaluateTemplate(template, variables)?.DeepClone();
        }
        catch (ExpressionException)
        {
            return null;
        }
    }
}
