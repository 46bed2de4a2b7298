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
                    check.CheckTemplate(node, "HTTP reply body", reply.Body);
                    break;
                case TaskNode { Reply: { } reply }:
                    replies = true;
                    check.CheckTemplate(node, "HTTP reply body", reply.Body);
                    break;
            }
        }

        if (replies && routes.Count == 0)
        {
            var first = check.Nodes.First(n => n is EndEvent { Reply: not null } or TaskNode { Reply: not null });
            check.Warning(first, ProblemCodes.ReplyWithoutHook);
        }
    }

    private static void CheckHook(ProcessCheck check, StartEvent start, HttpTrigger http, Dictionary<string, StartEvent> routes)
    {
        if (start.ScopeId is not null)
        {
            check.Error(start, ProblemCodes.HookInSubProcess);
            return;
        }

        if (start.Definition is not null)
            check.Error(start, ProblemCodes.HookWithTrigger);
        if (HookRoute.Parse(http.Path, out var problem) is not { } route)
        {
            check.Error(start, ProblemCodes.HookBadPath, ("path", ProcessCheck.Quote(http.Path)), ("error", problem));
            return;
        }

        var signature = http.Method + " " + route.Shape;
        if (routes.TryGetValue(signature, out var other))
            check.Error(start, ProblemCodes.HookDuplicate, ("method", http.Method), ("route", route.Template), ("other", ProcessCheck.NameOf(other)));
        else
            routes.Add(signature, start);
    }

    private static void CheckScheduled(ProcessCheck check, StartEvent start, TimerEventDefinition timer)
    {
        if (timer.Kind == TimerKind.Duration && timer.Value.Length > 0)
            check.Error(start, ProblemCodes.ScheduleDuration);
        else if (timer.Value.Contains("${", StringComparison.Ordinal))
            check.Error(start, ProblemCodes.ScheduleExpression);
        else if (timer.Value.Length > MaxScheduleText)
            check.Error(start, ProblemCodes.ScheduleTooLong, ("length", timer.Value.Length), ("max", MaxScheduleText));
        if (timer.TimeZone?.Length > 100)
            check.Error(start, ProblemCodes.TimeZoneTooLong, ("max", 100));
    }
}
