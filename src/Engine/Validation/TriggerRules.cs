using WeOps.Engine.Model;
using WeOps.Engine.Triggers;

namespace WeOps.Engine.Validation;

/// <summary>What starts a process on its own: hook routes that can be answered, replies that can be
/// built, and timer start events that can be scheduled without any variables.</summary>
internal static class TriggerRules
{
    /// <summary>The column a schedule's expression is stored in.</summary>
    private const int MaxScheduleText = 500;

    public static void Check(ProcessCheck check)
    {
        var routes = new Dictionary<string, StartEvent>(StringComparer.Ordinal);
        var replies = false;
        foreach (var node in check.Nodes)
        {
            switch (node)
            {
                case StartEvent { Http: { } http } start:
                    CheckHook(check, start, http, routes);
                    break;
                case StartEvent { Definition: TimerEventDefinition timer, ScopeId: null } start:
                    CheckScheduled(check, start, timer);
                    break;
                case EndEvent { Reply: { } reply }:
                    replies = true;
                    check.CheckTemplate(node, "ops:httpReply body", reply.Body);
                    break;
                case TaskNode { Reply: { } reply }:
                    replies = true;
                    check.CheckTemplate(node, "ops:httpReply body", reply.Body);
                    break;
            }
        }

        if (replies && routes.Count == 0)
        {
            var first = check.Nodes.First(n => n is EndEvent { Reply: not null } or TaskNode { Reply: not null });
            check.Warning(first, $"{first.DisplayName} has ops:httpReply, but no start event of the process has ops:http, so no caller waits for the reply.");
        }
    }

    private static void CheckHook(ProcessCheck check, StartEvent start, HttpTrigger http, Dictionary<string, StartEvent> routes)
    {
        if (start.ScopeId is not null)
        {
            check.Error(start, $"{start.DisplayName} is inside a sub-process, so ops:http cannot start anything there: put it on a start event of the process.");
            return;
        }

        if (start.Definition is not null)
            check.Error(start, $"{start.DisplayName} has ops:http and a trigger of its own: a hook needs a start event without a trigger (a none start event).");
        if (HookRoute.Parse(http.Path, out var problem) is not { } route)
        {
            check.Error(start, $"{start.DisplayName}: the ops:http path {ProcessCheck.Quote(http.Path)} is not a hook path: {problem}");
            return;
        }

        var signature = http.Method + " " + route.Shape;
        if (routes.TryGetValue(signature, out var other))
            check.Error(start, $"{start.DisplayName} answers {http.Method} /hooks/{route.Template} like {other.DisplayName} does: give the hooks different paths or methods.");
        else
            routes.Add(signature, start);
    }

    private static void CheckScheduled(ProcessCheck check, StartEvent start, TimerEventDefinition timer)
    {
        if (timer.Kind == TimerKind.Duration && timer.Value.Length > 0)
            check.Error(start, $"{start.DisplayName} is a timer start event with a duration, which says when nothing starts: use a cycle (R/PT1H), a date, or ops:cron.");
        else if (timer.Value.Contains("${", StringComparison.Ordinal))
            check.Error(start, $"{start.DisplayName} is a timer start event with an expression; there are no variables before the process starts, so write the value itself.");
        else if (timer.Value.Length > MaxScheduleText)
            check.Error(start, $"{start.DisplayName}: the timer value has {timer.Value.Length} characters; a schedule may have at most {MaxScheduleText}.");
        if (timer.TimeZone?.Length > 100)
            check.Error(start, $"{start.DisplayName}: the time zone name has more than 100 characters.");
    }
}
