using WeOps.Engine.Model;

namespace WeOps.Engine.Validation;

/// <summary>Where tokens begin: start events per scope, and the elements the engine cannot run.</summary>
internal static class StartEventRules
{
    public static void Check(ProcessCheck check)
    {
        if (!check.Process.StartEventsIn(null).Any())
        {
            check.Problems.Add(ValidationProblem.Error(check.Process.Key,
                $"Process {check.ProcessName} has no start event: add one where the process begins."));
        }

        foreach (var scopeId in check.Scopes)
        {
            var starts = check.Process.StartEventsIn(scopeId).ToList();
            // A start event with ops:http has a trigger of its own: the call.
            var noneStarts = starts.Where(s => s.Definition is null && s.Http is null).ToList();
            foreach (var extra in noneStarts.Skip(1))
            {
                check.Error(extra, $"{extra.DisplayName} is a second start event without a trigger in the same {ScopeWord(scopeId)}: " +
                    "the engine would not know where to begin. Keep one, or give the others a trigger.");
            }

            if (scopeId is null)
            {
                // Storm control (concurrency, cooldown, breaker) is per process: two rules would compete.
                foreach (var extra in starts.Where(s => s.Definition is AlertEventDefinition).Skip(1))
                {
                    check.Error(extra, $"{extra.DisplayName} is a second start event with ops:alert: a process has one alert rule. " +
                        "Merge the matchers into one start event, or split the process.");
                }

                foreach (var start in starts.Where(s => s.Definition is ErrorEventDefinition))
                {
                    check.Error(start, $"{start.DisplayName} is an error start event; those only belong in event sub-processes, " +
                        "which are not supported yet. Catch the error with an error boundary event instead.");
                }

                continue;
            }

            var subProcess = check.Process.Node(scopeId);
            if (noneStarts.Count == 0)
            {
                check.Error(subProcess, $"Sub-process {subProcess.DisplayName} has no start event without a trigger: " +
                    "add a none start event inside it where its work begins.");
            }

            foreach (var start in starts.Where(s => s.Definition is not null))
            {
                check.Error(start, $"{start.DisplayName} is inside a sub-process, so it cannot have a trigger: " +
                    "use a none start event, and wait inside the sub-process or with a boundary event.");
            }
        }

        foreach (var node in check.Nodes)
        {
            if (node is UnsupportedNode unsupported)
                check.Error(unsupported, unsupported.Reason);
            else if (node is SubProcess { TriggeredByEvent: true })
                check.Error(node, $"{node.DisplayName}: event sub-processes are not supported yet. Use boundary events on a sub-process instead.");
        }
    }

    private static string ScopeWord(string? scopeId) => scopeId is null ? "process" : "sub-process";
}
