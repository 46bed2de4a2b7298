using WeOps.Engine.Model;

namespace WeOps.Engine.Validation;

/// <summary>Where tokens begin: start events per scope, and the elements the engine cannot run.</summary>
internal static class StartEventRules
{
    public static void Check(ProcessCheck check)
    {
        if (!check.Process.StartEventsIn(null).Any())
        {
            check.ProcessError(ProblemCodes.ProcessNoStart);
        }

        foreach (var scopeId in check.Scopes)
        {
            var starts = check.Process.StartEventsIn(scopeId).ToList();
            // A start event with ops:http has a trigger of its own: the call.
            var noneStarts = starts.Where(s => s.Definition is null && s.Http is null).ToList();
            foreach (var extra in noneStarts.Skip(1))
            {
                check.Error(extra, ProblemCodes.StartSecondPlain, ("scope", ScopeWord(scopeId)));
            }

            if (scopeId is null)
            {
                // Storm control (concurrency, cooldown, breaker) is per process: two rules would compete.
                foreach (var extra in starts.Where(s => s.Definition is AlertEventDefinition).Skip(1))
                {
                    check.Error(extra, ProblemCodes.StartSecondAlert);
                }

                foreach (var start in starts.Where(s => s.Definition is ErrorEventDefinition))
                {
                    check.Error(start, ProblemCodes.StartError);
                }

                continue;
            }

            var subProcess = check.Process.Node(scopeId);
            if (noneStarts.Count == 0)
            {
                check.Error(subProcess, ProblemCodes.SubProcessNoStart);
            }

            foreach (var start in starts.Where(s => s.Definition is not null))
            {
                check.Error(start, ProblemCodes.StartTriggeredInSubProcess);
            }
        }

        foreach (var node in check.Nodes)
        {
            if (node is UnsupportedNode unsupported)
                check.Error(unsupported, ProblemCodes.ElementUnsupported, ("reason", unsupported.Reason), ("type", unsupported.ElementType));
            else if (node is SubProcess { TriggeredByEvent: true })
                check.Error(node, ProblemCodes.EventSubProcessUnsupported);
        }
    }

    private static string ScopeWord(string? scopeId) => scopeId is null ? "process" : "sub-process";
}
