using System.Text.Json;
using System.Text.Json.Nodes;
using WeOps.Engine.Executors;
using WeOps.Engine.Expressions;
using WeOps.Engine.Model;

namespace WeOps.Engine.Validation;

/// <summary>What activities run: executors and their inputs, scripts, called processes, loops, and
/// the expressions in their mappings.</summary>
internal static class ActivityRules
{
    private const int MaxListedExecutors = 10;
    private static readonly string[] JavaScriptFormats = ["javascript", "js", "ecmascript"];

    public static void Check(ProcessCheck check)
    {
        foreach (var activity in check.Nodes.OfType<Activity>())
        {
            foreach (var input in activity.Inputs) check.CheckTemplate(activity, ProblemCodes.InputTemplateInvalid, ("input", input.Name), input.Value);
            foreach (var output in activity.Outputs) check.CheckTemplate(activity, ProblemCodes.OutputTemplateInvalid, ("output", output.Name), output.Value);
            if (activity.Loop is { } loop) CheckLoop(check, activity, loop);

            switch (activity)
            {
                case TaskNode task:
                    CheckTask(check, task);
                    break;
                case CallActivity { CalledProcessKey.Length: 0 } call:
                    check.Error(call, ProblemCodes.CallNoProcess);
                    break;
            }
        }
    }

    private static void CheckLoop(ProcessCheck check, Activity activity, LoopDefinition loop)
    {
        if (loop.Collection is null && loop.Cardinality is null)
        {
            check.Error(activity, ProblemCodes.LoopNothingToRepeat);
        }

        check.CheckExpressionOrTemplate(activity, "loop collection", loop.Collection);
        check.CheckExpressionOrTemplate(activity, "loop cardinality", loop.Cardinality);
        check.CheckTemplate(activity, "loop output element", loop.OutputElement);
        check.CheckExpression(activity, "completion condition", loop.CompletionCondition);
    }

    private static void CheckTask(ProcessCheck check, TaskNode task)
    {
        switch (task.Kind)
        {
            case TaskKind.Service when task.Task is null:
                check.Error(task, ProblemCodes.ServiceNoType);
                break;
            case TaskKind.Send when task.Task is null && task.Message is null && task.Reply is null:
                check.Error(task, ProblemCodes.SendNothing);
                break;
            case TaskKind.Script:
                CheckScript(check, task);
                break;
            case TaskKind.User when task.UserTask is { } user:
                check.CheckTemplate(task, "assignee", user.Assignee);
                check.CheckTemplate(task, "due date", user.DueDate);
                break;
        }

        if (task.Task is { } definition) CheckExecutor(check, task, definition);
    }

    private static void CheckScript(ProcessCheck check, TaskNode task)
    {
        if (task.Script is null)
        {
            check.Error(task, ProblemCodes.ScriptMissing);
            return;
        }

        if (!string.IsNullOrWhiteSpace(task.ScriptFormat) && !JavaScriptFormats.Contains(task.ScriptFormat.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            check.Error(task, ProblemCodes.ScriptNotJavaScript, ("format", task.ScriptFormat));
            return;
        }

        if (check.Expressions.CheckScript(task.Script) is { } error)
            check.Error(task, ProblemCodes.ScriptInvalid, ("error", error));
    }

    private static void CheckExecutor(ProcessCheck check, TaskNode task, TaskDefinition definition)
    {
        var descriptor = check.Executors.Describe(definition.Type);
        if (descriptor is null)
        {
            var known = check.Executors.Descriptors.Select(d => d.Type).Order(StringComparer.Ordinal).ToList();
            var list = string.Join(", ", known.Take(MaxListedExecutors)) + (known.Count > MaxListedExecutors ? $" (+{known.Count - MaxListedExecutors})" : "");
            check.Error(task, ProblemCodes.ExecutorUnknown, ("type", definition.Type), ("known", list.Length == 0 ? "-" : list));
            return;
        }

        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var input in task.Inputs) given[input.Name] = input.Value;

        foreach (var input in descriptor.Inputs)
        {
            given.TryGetValue(input.Name, out var value);
            if (string.IsNullOrWhiteSpace(value))
            {
                if (input.Required && input.Default is null)
                {
                    var about = string.IsNullOrWhiteSpace(input.Description) ? input.Name : input.Description.TrimEnd('.');
                    check.Error(task, ProblemCodes.InputMissing, Step(descriptor), ("executorType", descriptor.Type), ("input", input.Name), ("description", about));
                }

                continue;
            }

            if (!value.Contains("${", StringComparison.Ordinal) && Literal(input, value) is { } literal && !ExecutorInputValidator.Fits(input, literal))
            {
                if (input.Type == InputType.Enum)
                    check.Error(task, ProblemCodes.InputNotAnOption, Step(descriptor), ("input", input.Name), ("options", string.Join(", ", input.Options)), ("value", ProcessCheck.Quote(value)));
                else
                    check.Error(task, ProblemCodes.InputWrongValue, Step(descriptor), ("input", input.Name), ("expected", Expectation(input)), ("value", ProcessCheck.Quote(value)));
            }

            CheckSplices(check, task, descriptor, input, value);
        }

        foreach (var name in given.Keys.Where(n => descriptor.Input(n) is null))
        {
            var declared = descriptor.Inputs.Count == 0 ? "none" : string.Join(", ", descriptor.Inputs.Select(i => i.Name));
            check.Warning(task, ProblemCodes.InputUnknown, Step(descriptor), ("input", name), ("inputs", declared));
        }
    }

    /// <summary>A value spliced where its encoding cannot hold (a shell command's quotes or comments) is an error, as
    /// it would be at run time. A <c>${raw(expr)}</c> splices a value unencoded: allowed in a shell or URL input, where
    /// it is the one way to let a variable add syntax, and named there so that a reviewer sees each; anywhere else it
    /// means nothing and would fail at run time.</summary>
    private static void CheckSplices(ProcessCheck check, TaskNode task, ExecutorDescriptor descriptor, InputDescriptor input, string value)
    {
        foreach (var splice in TemplateEncoding.Splices(value))
        {
            if (!splice.Raw)
            {
                if (input.Encoding?.Refusal(splice.Before) is { } why)
                {
                    check.Error(task, ProblemCodes.SpliceRefused, Step(descriptor), ("input", input.Name), ("splice", ProcessCheck.Quote($"${{{splice.Code}}}")), ("reason", why));
                }

                continue;
            }

            (string, object?)[] args = [Step(descriptor), ("input", input.Name), ("splice", ProcessCheck.Quote($"${{{TemplateEncoding.RawName}({splice.Code})}}"))];
            switch (input.Syntax)
            {
                case InputSyntax.Shell:
                    check.Warning(task, ProblemCodes.RawInShell, args);
                    break;
                case InputSyntax.Url:
                    check.Warning(task, ProblemCodes.RawInUrl, args);
                    break;
                case InputSyntax.Text:
                    check.Error(task, ProblemCodes.RawInText, args);
                    break;
            }
        }
    }

    /// <summary>The JSON value a literal in the file stands for: text for text-like inputs, else the
    /// JSON it parses as (<c>true</c>, <c>42</c>, <c>["a"]</c>), else the text.</summary>
    private static JsonNode? Literal(InputDescriptor input, string text)
    {
        if (input.Type is InputType.String or InputType.Enum or InputType.Duration) return JsonValue.Create(text);
        try
        {
            return JsonNode.Parse(text) ?? JsonValue.Create(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }

    /// <summary>How problems name a step: the executor's display name.</summary>
    private static (string, object?) Step(ExecutorDescriptor descriptor) => ("executor", descriptor.DisplayName);

    /// <summary>What a value of the input must be: a phrase from a fixed set, which pages translate.</summary>
    private static string Expectation(InputDescriptor input) => input.Type switch
    {
        InputType.Duration => "a duration such as PT5M",
        InputType.Integer => "a whole number",
        InputType.Number => "a number",
        InputType.Boolean => "true or false",
        InputType.Array => "a list such as [\"a\", \"b\"]",
        InputType.Object => "a JSON object",
        _ => "of another type",
    };
}
