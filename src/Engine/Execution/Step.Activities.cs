using System.Text.Json.Nodes;
using WeOps.Engine.Expressions;
using WeOps.Engine.Model;

namespace WeOps.Engine.Execution;

internal sealed partial class Step
{
    private void EnterActivity(Token token, Activity activity)
    {
        if (!IsLoopItem(token, activity)) ArmBoundaryEvents(token, activity);
        Resume(token, activity);
    }

    /// <summary>Starts an activity's work; also what an operator's retry does after an incident.</summary>
    private void Resume(Token token, Activity activity)
    {
        if (activity.Loop is not null && !IsLoopItem(token, activity))
        {
            StartLoop(token, activity);
            return;
        }

        switch (activity)
        {
            case TaskNode task: StartTask(token, task); break;
            case SubProcess sub: StartSubProcess(token, sub); break;
            case CallActivity call: StartCallActivity(token, call); break;
        }
    }

    private void StartTask(Token token, TaskNode task)
    {
        if (task.Reply is { } reply) Reply(token, task, reply);
        switch (task.Kind)
        {
            case TaskKind.Service:
            case TaskKind.Send when task.Task is not null:
                ArmJob(token, task);
                break;
            case TaskKind.Send when task.Message is not null:
                events.Add(new MessageThrown(task.Message.MessageName, CorrelationKey(token, task.Message), EvaluateInputs(token, task)));
                Leave(token);
                break;
            case TaskKind.Script:
                RunScript(token, task);
                break;
            case TaskKind.User:
                ArmUserTask(token, task);
                break;
            case TaskKind.Receive when task.Message is not null:
                token.State = TokenState.Waiting;
                Arm(new MessageWait { Id = NextId(), TokenId = token.Id, ElementId = task.Id, MessageName = task.Message.MessageName, CorrelationKey = CorrelationKey(token, task.Message) });
                break;
            default:
                Leave(token);
                break;
        }
    }

    private void ArmJob(Token token, TaskNode task)
    {
        if (task.Task is null)
        {
            RaiseIncident(token, IncidentKind.JobFailed, $"'{task.DisplayName}' has no ops:task type, so nothing can run it.");
            return;
        }

        var inputs = EvaluateInputs(token, task, executors?.Describe(task.Task.Type));
        token.State = TokenState.Waiting;
        Arm(new JobWait
        {
            Id = NextId(),
            TokenId = token.Id,
            ElementId = task.Id,
            ExecutorType = task.Task.Type,
            Inputs = inputs,
            DueAt = now,
            Retries = task.Task.Retries,
            Timeout = task.Task.Timeout,
            RetryBackoff = task.Task.RetryBackoff,
        });
    }

    private void ArmUserTask(Token token, TaskNode task)
    {
        var variables = VisibleVariables(token.ScopeId);
        var definition = task.UserTask ?? new UserTaskDefinition();
        string? Text(string? template) => template is null ? null : expressions.EvaluateTemplate(template, variables)?.ToString();
        IReadOnlyList<string> List(IReadOnlyList<string> templates) =>
            templates.SelectMany(t => (Text(t) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();

        var due = Text(definition.DueDate);
        var assignee = Bounded(Text(definition.Assignee), StoredLengths.Key, "The assignee", definition.Assignee);
        var groups = List(definition.CandidateGroups);
        var users = List(definition.CandidateUsers);
        Bounded(StoredLengths.CandidateListText(groups), StoredLengths.CandidateList, "The list of candidate groups", string.Join(',', definition.CandidateGroups));
        Bounded(StoredLengths.CandidateListText(users), StoredLengths.CandidateList, "The list of candidate users", string.Join(',', definition.CandidateUsers));
        var approval = definition.Approval is null ? null : OpenApproval(token, task, definition.Approval);
        token.State = TokenState.Waiting;
        var wait = Arm(new UserTaskWait
        {
            Id = NextId(),
            TokenId = token.Id,
            ElementId = task.Id,
            Name = task.Name,
            Assignee = assignee,
            CandidateGroups = groups,
            CandidateUsers = users,
            DueAt = string.IsNullOrWhiteSpace(due) ? null : TimerSchedule.DueDate(due, now),
            FormKey = definition.FormKey,
            Data = EvaluateInputs(token, task),
            Approval = approval,
        });
        if (approval is not null) ArmApprovalTimers(token, wait, definition.Approval!);
    }

    private void RunScript(Token token, TaskNode task)
    {
        var variables = VisibleVariables(token.ScopeId);
        foreach (var (name, value) in EvaluateInputs(token, task))
            variables[name] = value;
        var result = expressions.RunScript(task.Script ?? "", variables);
        foreach (var (name, value) in result.ChangedVariables)
            SetVariable(token.ScopeId, name, value);
        if (task.ResultVariable is not null) SetVariable(token.ScopeId, task.ResultVariable, result.Value);
        if (task.Outputs.Count > 0) ApplyResult(token, task.Outputs, result.Value);
        Leave(token);
    }

    private void StartSubProcess(Token token, SubProcess sub)
    {
        var start = graph.StartEventsIn(sub.Id).FirstOrDefault(s => s.Definition is null);
        if (start is null)
        {
            RaiseIncident(token, IncidentKind.NoPathTaken, $"Sub-process '{sub.DisplayName}' has no none start event.");
            return;
        }

        var inputs = EvaluateInputs(token, sub);
        var scope = NewScope(ScopeKind.SubProcess, ScopeOf(token), sub.Id, token.Id);
        foreach (var (name, value) in inputs)
            SetLocal(scope, name, value);
        token.State = TokenState.Waiting;
        Enqueue(NewToken(start.Id, scope.Id, null));
    }

    private void CompleteSubProcess(Scope scope)
    {
        var owner = FindToken(scope.OwnerTokenId!.Value)!;
        var sub = (Activity)graph.Node(scope.ElementId!);
        var outputs = new List<(string Name, JsonNode? Value)>();
        try
        {
            if (sub.Outputs.Count > 0)
            {
                var variables = VisibleVariables(scope.Id);
                outputs.AddRange(sub.Outputs.Select(o => (o.Name, expressions.EvaluateTemplate(o.Value, variables))));
            }
        }
        catch (ExpressionException e)
        {
            state.Scopes.Remove(scope);
            RaiseIncident(owner, IncidentKind.ExpressionFailed, e.Message);
            return;
        }

        state.Scopes.Remove(scope);
        foreach (var (name, value) in outputs)
            SetVariable(owner.ScopeId, name, value);
        Leave(owner);
    }

    private void StartCallActivity(Token token, CallActivity call)
    {
        var passAll = call.PassAllIn || (call.Inputs.Count == 0 && call.PropagateAllVariables);
        JsonObject variables = passAll ? CopyOf(VisibleVariables(token.ScopeId)) : [];
        if (call.Inputs.Count > 0)
        {
            foreach (var (name, value) in EvaluateInputs(token, call)) variables[name] = value?.DeepClone();
        }

        token.State = TokenState.Waiting;
        Arm(new ChildInstanceWait
        {
            Id = NextId(),
            TokenId = token.Id,
            ElementId = call.Id,
            ProcessKey = call.CalledProcessKey,
            Version = call.CalledVersion,
            Variables = variables,
            BusinessKey = state.BusinessKey,
        });
    }

    // ---- stimuli for activities ----

    private string? OnJobCompleted(JobCompleted s)
    {
        if (!TryGetWait<JobWait>(s.WaitId, out var wait, out var token, out var ignored)) return ignored;
        var activity = (Activity)graph.Node(wait.ElementId);
        Complete(token, () => ApplyResult(token, activity.Outputs, s.Output), s.Actor);
        return null;
    }

    private string? OnJobFailed(JobFailed s)
    {
        if (!TryGetWait<JobWait>(s.WaitId, out var job, out var token, out var ignored)) return ignored;
        if (s.ErrorCode is not null)
        {
            Disarm(job);
            ThrowError(token, s.ErrorCode, s.Message);
            return null;
        }

        if (job.Attempt <= job.Retries)
        {
            var delay = Backoff(job.RetryBackoff, job.Attempt);
            Rearm(job, job with { Attempt = job.Attempt + 1, DueAt = now + delay, LastError = s.Message });
            Record(HistoryKind.Retrying, graph.Node(job.ElementId), token, $"attempt {job.Attempt} failed: {s.Message}; next try in {delay}");
            return null;
        }

        Disarm(job);
        var attempts = job.Attempt == 1 ? "1 attempt" : $"{job.Attempt} attempts";
        RaiseIncident(token, IncidentKind.JobFailed, $"{job.ExecutorType} failed after {attempts}: {s.Message}");
        return null;
    }

    private TimeSpan Backoff(TimeSpan first, int attempt)
    {
        var factor = Math.Pow(2, Math.Min(attempt - 1, 20));
        var delay = TimeSpan.FromTicks((long)Math.Min(first.Ticks * factor, options.MaxRetryBackoff.Ticks));
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }

    private string? OnUserTaskCompleted(UserTaskCompleted s)
    {
        if (!TryGetWait<UserTaskWait>(s.WaitId, out var wait, out var token, out var ignored)) return ignored;
        if (wait.Approval is not null) return $"task {s.WaitId} is an approval: it ends by its approvers' decisions, not by completing it";
        var activity = (Activity)graph.Node(wait.ElementId);
        Complete(token, () => ApplyResult(token, activity.Outputs, s.Variables, completedBy: s.Actor ?? ""), s.Actor);
        return null;
    }

    private string? OnChildCompleted(ChildCompleted s)
    {
        if (!TryGetWait<ChildInstanceWait>(s.WaitId, out var wait, out var token, out var ignored)) return ignored;
        var call = (CallActivity)graph.Node(wait.ElementId);
        Complete(token, () =>
        {
            if (call.PassAllOut || (call.Outputs.Count == 0 && call.PropagateAllVariables)) ApplyResult(token, [], s.Variables);
            if (call.Outputs.Count > 0) ApplyResult(token, call.Outputs, s.Variables);
        });
        return null;
    }

    private string? OnChildFailed(ChildFailed s)
    {
        if (!TryGetWait<ChildInstanceWait>(s.WaitId, out var wait, out var token, out var ignored)) return ignored;
        Disarm(wait);
        if (s.ErrorCode is not null) ThrowError(token, s.ErrorCode, s.Message);
        else RaiseIncident(token, IncidentKind.ChildFailed, $"The called process '{wait.ProcessKey}' failed: {s.Message}");
        return null;
    }

    private string? OnIncidentRetried(IncidentRetried s)
    {
        var incident = state.Incidents.FirstOrDefault(i => i.Id == s.IncidentId);
        if (incident is null) return $"incident {s.IncidentId} is not open";
        var token = FindToken(incident.TokenId)!;
        state.Incidents.Remove(incident);
        Record(HistoryKind.IncidentRetried, graph.Node(token.ElementId), token, incident.Message, s.Actor);
        var node = graph.Node(token.ElementId);
        if (node is Activity activity)
        {
            token.State = TokenState.Waiting;
            Guarded(token, () => Resume(token, activity));
        }
        else
        {
            Enqueue(token);
        }

        return null;
    }

    /// <summary>Completes the token's activity after writing its result; an expression that fails in
    /// the output mappings leaves the token on an incident instead.</summary>
    private void Complete(Token token, Action applyResult, string? actor = null)
    {
        Guarded(token, () =>
        {
            applyResult();
            Leave(token, actor);
        });
    }

    private void Guarded(Token token, Action action)
    {
        try
        {
            action();
        }
        catch (ExpressionException e)
        {
            RaiseIncident(token, IncidentKind.ExpressionFailed, e.Message);
        }
    }

    private bool TryGetWait<T>(int waitId, out T wait, out Token token, out string? ignored) where T : Wait
    {
        wait = null!;
        token = null!;
        ignored = null;
        var found = state.Waits.FirstOrDefault(w => w.Id == waitId);
        if (found is not T typed)
        {
            ignored = found is null ? $"wait {waitId} is no longer open" : $"wait {waitId} is a {found.GetType().Name}, not a {typeof(T).Name}";
            return false;
        }

        wait = typed;
        token = FindToken(typed.TokenId)!;
        return true;
    }

    private bool IsLoopItem(Token token, Activity activity) =>
        activity.Loop is not null && FindScope(token.ScopeId) is { Kind: ScopeKind.MultiInstanceItem } scope && scope.ElementId == activity.Id;

    private string? CorrelationKey(Token token, MessageEventDefinition message) =>
        message.CorrelationKey is null
            ? null
            : Bounded(expressions.EvaluateTemplate(message.CorrelationKey, VisibleVariables(token.ScopeId))?.ToString(), StoredLengths.Key, "The correlation key", message.CorrelationKey);

    /// <summary>A value evaluated at run time for a column of bounded length: a longer one is an incident at
    /// the element (fix the variables and retry), not a step the database refuses to store.</summary>
    private static string? Bounded(string? value, int max, string what, string? expression) =>
        value is { Length: var length } && length > max
            ? throw new ExpressionException(expression ?? "", $"{what} {Quote(value)} has {length} characters; it may have at most {max}.")
            : value;

    private static string Quote(string value) => $"\"{(value.Length > 40 ? value[..40] + "…" : value)}\"";

}
