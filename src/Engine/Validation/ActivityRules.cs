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
            foreach (var input in activity.Inputs) check.CheckTemplate(activity, $"value of input '{input.Name}'", input.Value);
            foreach (var output in activity.Outputs) check.CheckTemplate(activity, $"value of output '{output.Name}'", output.Value);
            if (activity.Loop is { } loop) CheckLoop(check, activity, loop);

            switch (activity)
            {
                case TaskNode task:
                    CheckTask(check, task);
                    break;
                case CallActivity { CalledProcessKey.Length: 0 } call:
                    check.Error(call, $"Call activity {call.DisplayName} does not say which process to call: set the key in ops:calledProcess (or calledElement).");
                    break;
            }
        }
    }

    private static void CheckLoop(ProcessCheck check, Activity activity, LoopDefinition loop)
    {
        if (loop.Collection is null && loop.Cardinality is null)
        {
            check.Error(activity, $"{activity.DisplayName} is multi-instance but says neither what to loop over nor how many times: " +
                "set a collection (ops:loop collection) or a loop cardinality.");
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
                check.Error(task, $"Service task {task.DisplayName} has no ops:task type: choose what it runs.");
                break;
            case TaskKind.Send when task.Task is null && task.Message is null && task.Reply is null:
                check.Error(task, $"Send task {task.DisplayName} sends nothing: choose a message to send, an ops:task type that sends it, or an ops:httpReply.");
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
            check.Error(task, $"Script task {task.DisplayName} has no script: write the JavaScript it runs.");
            return;
        }

        if (!string.IsNullOrWhiteSpace(task.ScriptFormat) && !JavaScriptFormats.Contains(task.ScriptFormat.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            check.Error(task, $"Script task {task.DisplayName} is written in '{task.ScriptFormat}', but scripts run as JavaScript: " +
                "rewrite it in JavaScript and set the script format to javascript.");
            return;
        }

        if (check.Expressions.CheckScript(task.Script) is { } error)
            check.Error(task, $"Script task {task.DisplayName}: the script does not parse: {error}");
    }

    private static void CheckExecutor(ProcessCheck check, TaskNode task, TaskDefinition definition)
    {
        var descriptor = check.Executors.Describe(definition.Type);
        if (descriptor is null)
        {
            var known = check.Executors.Descriptors.Select(d => d.Type).Order(StringComparer.Ordinal).ToList();
            var list = known.Count == 0
                ? "No executors are registered."
                : $"Known types: {string.Join(", ", known.Take(MaxListedExecutors))}{(known.Count > MaxListedExecutors ? $" and {known.Count - MaxListedExecutors} more" : "")}.";
            check.Error(task, $"{task.DisplayName} runs '{definition.Type}', which is not a known executor type. {list}");
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
                    var about = string.IsNullOrWhiteSpace(input.Description) ? "" : $" ({input.Description.TrimEnd('.')})";
                    check.Error(task, $"{task.DisplayName}: executor '{descriptor.Type}' needs input '{input.Name}'{about}: add an ops:input named '{input.Name}'.");
                }

                continue;
            }

            if (!value.Contains("${", StringComparison.Ordinal) && Literal(input, value) is { } literal && !ExecutorInputValidator.Fits(input, literal))
                check.Error(task, $"{task.DisplayName}: input '{input.Name}' of '{descriptor.Type}' {Expectation(input)}; {ProcessCheck.Quote(value)} does not fit.");
            CheckSplices(check, task, descriptor, input, value);
        }

        foreach (var name in given.Keys.Where(n => descriptor.Input(n) is null))
        {
            var declared = descriptor.Inputs.Count == 0 ? "it takes no inputs" : $"its inputs are {string.Join(", ", descriptor.Inputs.Select(i => i.Name))}";
            check.Warning(task, $"{task.DisplayName}: executor '{descriptor.Type}' has no input '{name}', so the value is ignored ({declared}).");
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
                    check.Error(task, $"{task.DisplayName}: in input '{input.Name}' of '{descriptor.Type}' the value of {ProcessCheck.Quote($"${{{splice.Code}}}")} "
                        + $"is spliced {why}.");
                }

                continue;
            }

            var splices = $"{task.DisplayName}: input '{input.Name}' of '{descriptor.Type}' splices {ProcessCheck.Quote($"${{{TemplateEncoding.RawName}({splice.Code})}}")}";
            switch (input.Syntax)
            {
                case InputSyntax.Shell:
                    check.Warning(task, $"{splices} into the shell command unquoted: whatever that value holds runs as shell code. Keep raw() "
                        + "for shell text the process writes itself; pass values from alerts, hooks or forms as ${...} (one quoted word) "
                        + "or as separate arguments.");
                    break;
                case InputSyntax.Url:
                    check.Warning(task, $"{splices} into the URL unencoded: a '/', '?', '#' or '&' in that value changes the path or adds "
                        + "parameters. Keep raw() for URL text the process writes itself; values spliced as ${...} are percent-encoded.");
                    break;
                case InputSyntax.Text:
                    check.Error(task, $"{splices}, but raw() only means something in a shell command or a URL: write ${{...}} without raw().");
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

    private static string Expectation(InputDescriptor input) => input.Type switch
    {
        InputType.Enum => $"must be one of {string.Join(", ", input.Options)}",
        InputType.Duration => "must be an ISO 8601 duration such as PT5M",
        InputType.Integer => "must be a whole number",
        InputType.Number => "must be a number",
        InputType.Boolean => "must be true or false",
        InputType.Array => "must be a JSON array such as [\"a\", \"b\"]",
        InputType.Object => "must be a JSON object such as {\"key\": \"value\"}",
        _ => "has the wrong type",
    };
}
