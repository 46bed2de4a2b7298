using System.Text.Json;
using System.Text.Json.Nodes;
using WeOps.Engine.Expressions;
using WeOps.Engine.Model;

namespace WeOps.Engine.Execution;

/// <summary>Approval tasks: seats from the approvers, decisions folded by the policy, expiry and reminders.</summary>
internal sealed partial class Step
{
    private const int MaxSeats = 100;
    private const string ApprovalVariable = "approval";

    /// <summary>The approval state of a task about to wait; throws an expression failure (an incident at the
    /// task) when the approvers cannot be resolved.</summary>
    private ApprovalState OpenApproval(Token token, TaskNode task, ApprovalDefinition definition)
    {
        var variables = VisibleVariables(token.ScopeId);
        var seats = new List<string>();
        foreach (var entry in definition.Approvers)
        {
            var value = ExpressionEvaluator.IsTemplate(entry) ? expressions.EvaluateTemplate(entry, variables) : JsonValue.Create(entry);
            foreach (var name in Names(value, entry))
            {
                var seat = Seat(name, entry);
                if (!seats.Contains(seat)) seats.Add(seat);
            }
        }

        var requester = Requester(variables);
        // The requester's own seat goes; a group they belong to stays, but they cannot decide for it.
        if (!definition.RequesterMayApprove)
        {
            if (requester is not null) seats.Remove(ApprovalState.UserPrefix + requester);
            if (state.StartedBy is { } starter) seats.Remove(ApprovalState.UserPrefix + starter);
        }

        if (seats.Count == 0)
            throw new ExpressionException(string.Join(", ", definition.Approvers), $"'{task.DisplayName}' has no approver: the approvers \"{string.Join(", ", definition.Approvers)}\" name nobody (besides the requester).");
        if (seats.Count > MaxSeats)
            throw new ExpressionException(string.Join(", ", definition.Approvers), $"'{task.DisplayName}' has {seats.Count} approvers; at most {MaxSeats} are allowed.");
        if (definition.Policy == ApprovalPolicy.Quorum && definition.Quorum > seats.Count)
            throw new ExpressionException(string.Join(", ", definition.Approvers), $"'{task.DisplayName}' needs {definition.Quorum} approvals but has only {seats.Count} approvers.");

        var fields = new JsonObject();
        foreach (var show in definition.Show)
            fields[show] = expressions.EvaluateTemplate("${" + show + "}", variables)?.DeepClone();
        var title = definition.Title is null ? task.Name ?? task.Id : expressions.EvaluateTemplate(definition.Title, variables)?.ToString();
        return new ApprovalState
        {
            Policy = definition.Policy,
            Quorum = definition.Policy == ApprovalPolicy.Quorum ? definition.Quorum : 0,
            Seats = seats,
            Requester = requester,
            StartedBy = state.StartedBy,
            RequesterMayApprove = definition.RequesterMayApprove,
            Title = Bounded(title, StoredLengths.Name, "The approval title", definition.Title),
            Fields = fields,
            ExpiresAt = definition.OnExpiry != ApprovalExpiryOutcome.Escalate && definition.Expiry is { } expiry ? now + expiry : null,
            OnExpiry = definition.OnExpiry,
        };
    }

    /// <summary>Arms an approval's expiry and first reminder, and asks for the request mails.</summary>
    private void ArmApprovalTimers(Token token, UserTaskWait wait, ApprovalDefinition definition)
    {
        var approval = wait.Approval!;
        if (approval.ExpiresAt is { } expires)
            Arm(new TimerWait { Id = NextId(), TokenId = token.Id, ElementId = wait.ElementId, DueAt = expires, Approval = ApprovalTimer.Expiry });
        ArmReminder(token, wait.ElementId, approval, definition.Remind);
        events.Add(new ApprovalMailRequested(wait.Id, approval.Seats, ApprovalMailRequested.Request));
        SetVariable(token.ScopeId, ApprovalVariable, approval.ToVariable(null));
    }

    private void ArmReminder(Token token, string elementId, ApprovalState approval, TimeSpan? remind)
    {
        if (remind is not { } interval) return;
        var due = now + interval;
        if (approval.ExpiresAt is { } expires && due >= expires) return;
        Arm(new TimerWait { Id = NextId(), TokenId = token.Id, ElementId = elementId, DueAt = due, Interval = interval, Approval = ApprovalTimer.Reminder });
    }

    private string? OnApprovalTimer(TimerWait timer)
    {
        var token = FindToken(timer.TokenId)!;
        var task = state.Waits.OfType<UserTaskWait>().FirstOrDefault(w => w.TokenId == token.Id && w.Approval is not null);
        if (task is null)
        {
            Disarm(timer);
            return null;
        }

        var node = graph.Node(task.ElementId);
        if (timer.Approval == ApprovalTimer.Reminder)
        {
            Disarm(timer);
            var waiting = task.Approval!.UndecidedSeats.ToList();
            Record(HistoryKind.ApprovalReminded, node, token, $"reminder to {string.Join(", ", waiting.Select(ApprovalState.Describe))}");
            events.Add(new ApprovalMailRequested(task.Id, waiting, ApprovalMailRequested.Reminder));
            ArmReminder(token, task.ElementId, task.Approval, timer.Interval);
            return null;
        }

        var approval = task.Approval!;
        var outcome = approval.OnExpiry == ApprovalExpiryOutcome.Approve ? ApprovalOutcomes.Approved : ApprovalOutcomes.Rejected;
        Record(HistoryKind.ApprovalExpired, node, token, $"no decision by {approval.ExpiresAt:O}: {outcome}");
        FinishApproval(token, (Activity)node, approval, outcome, expired: true, actor: null);
        return null;
    }

    private string? OnApprovalDecided(ApprovalDecided s)
    {
        if (!TryGetWait<UserTaskWait>(s.WaitId, out var wait, out var token, out var ignored)) return ignored;
        if (wait.Approval is not { } approval) return $"task {s.WaitId} is not an approval";
        if (!ApprovalOutcomes.IsDecision(s.Decision)) return $"'{s.Decision}' is not a decision; it is approve or reject";
        if (!approval.Seats.Contains(s.Seat)) return $"{s.Approver} is not an approver of this task";
        if (approval.DecisionOf(s.Seat) is { } earlier)
            return $"{ApprovalState.Describe(s.Seat)} already decided ({earlier.Decision} by {earlier.Approver})";
        if (approval.BarsAsRequester(s.Approver))
            return $"{s.Approver} {(s.Approver == approval.Requester ? "requested" : "started")} this and may not decide on it";

        foreach (var (name, value) in s.Variables ?? [])
            SetVariable(token.ScopeId, name, value?.DeepClone());

        var decided = approval with { Decisions = [.. approval.Decisions, new ApprovalDecision(s.Seat, s.Approver, s.Decision, s.Comment, s.Channel, now)] };
        var node = (Activity)graph.Node(wait.ElementId);
        var forSeat = s.Seat == ApprovalState.UserPrefix + s.Approver ? "" : $" for {ApprovalState.Describe(s.Seat)}";
        Record(HistoryKind.ApprovalDecided, node, token, $"{s.Decision}{forSeat} by {s.Channel}{(s.Reference is null ? "" : " " + s.Reference)}{(string.IsNullOrEmpty(s.Comment) ? "" : ": " + s.Comment)}", s.Approver);

        if (decided.CurrentOutcome is { } outcome)
        {
            FinishApproval(token, node, decided, outcome, expired: false, actor: s.Approver);
            return null;
        }

        Update(wait, wait with { Approval = decided });
        SetVariable(token.ScopeId, ApprovalVariable, decided.ToVariable(null));
        return null;
    }

    /// <summary>Writes the outcome into <c>approval</c> (and the outputs) and completes the task.</summary>
    private void FinishApproval(Token token, Activity node, ApprovalState approval, string outcome, bool expired, string? actor)
    {
        var variable = approval.ToVariable(outcome, expired);
        Complete(token, () =>
        {
            SetVariable(token.ScopeId, ApprovalVariable, variable);
            if (node.Outputs.Count > 0) ApplyResult(token, node.Outputs, variable);
        }, actor);
    }

    private string? OnTaskReassigned(TaskReassigned s)
    {
        if (!TryGetWait<UserTaskWait>(s.WaitId, out var wait, out var token, out var ignored)) return ignored;
        var node = graph.Node(wait.ElementId);
        var verb = s.Delegated ? "delegated" : "reassigned";
        if (wait.Approval is not { } approval)
        {
            Update(wait, wait with { Assignee = s.To });
            Record(HistoryKind.TaskReassigned, node, token, $"{verb} from {wait.Assignee ?? "nobody"} to {s.To}", s.Actor);
            return null;
        }

        var newSeat = ApprovalState.UserPrefix + s.To;
        if (s.Seat is null || !approval.Seats.Contains(s.Seat)) return $"{(s.Seat is null ? "that approver" : ApprovalState.Describe(s.Seat))} is not an approver of this task";
        if (approval.DecisionOf(s.Seat) is not null) return $"{ApprovalState.Describe(s.Seat)} has already decided";
        if (approval.Seats.Contains(newSeat)) return $"{s.To} is already an approver of this task";
        if (approval.BarsAsRequester(s.To)) return $"{s.To} {(s.To == approval.Requester ? "requested" : "started")} this and may not approve it";

        var seats = approval.Seats.Select(x => x == s.Seat ? newSeat : x).ToList();
        Update(wait, wait with { Approval = approval with { Seats = seats } });
        Record(HistoryKind.TaskReassigned, node, token, $"approval {verb} from {ApprovalState.Describe(s.Seat)} to {s.To}", s.Actor);
        events.Add(new ApprovalMailRequested(wait.Id, [newSeat], ApprovalMailRequested.Request));
        return null;
    }

    private string? OnTaskClaimed(TaskClaimed s)
    {
        if (!TryGetWait<UserTaskWait>(s.WaitId, out var wait, out var token, out var ignored)) return ignored;
        if (wait.Approval is not null) return "an approval is decided seat by seat; delegate a seat instead of claiming the task";
        if (s.Claimant is { } claimant)
        {
            // Checked here, under the instance's lock, so two claims at once cannot both win.
            if (wait.Assignee == claimant) return $"{claimant} already holds it";
            if (wait.Assignee is not null) return $"{wait.Assignee} holds it";
            Update(wait, wait with { Assignee = claimant });
            Record(HistoryKind.TaskReassigned, graph.Node(wait.ElementId), token, $"claimed by {claimant}", s.Actor);
            return null;
        }

        if (wait.Assignee is null) return "nobody holds it";
        Update(wait, wait with { Assignee = null });
        Record(HistoryKind.TaskReassigned, graph.Node(wait.ElementId), token, $"released by {wait.Assignee} to its candidates", s.Actor);
        return null;
    }

    /// <summary>Replaces an open wait with a changed copy under the same id.</summary>
    private void Update(Wait old, Wait changed)
    {
        var index = state.Waits.IndexOf(old);
        state.Waits[index] = changed;
        var armedIndex = armed.IndexOf(old);
        if (armedIndex >= 0)
        {
            armed[armedIndex] = changed;
            return;
        }

        updated.RemoveAll(w => w.Id == changed.Id);
        updated.Add(changed);
    }

    private string? Requester(Dictionary<string, JsonNode?> variables)
    {
        var named = variables.GetValueOrDefault("requester") switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            JsonObject o => (o["username"] ?? o["name"] ?? o["id"]) is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null,
            _ => null,
        };
        return string.IsNullOrWhiteSpace(named) ? state.StartedBy : named.Trim();
    }

    private static IEnumerable<string> Names(JsonNode? value, string entry)
    {
        switch (value)
        {
            case null:
                yield break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                foreach (var name in v.GetValue<string>().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    yield return name;
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    foreach (var name in Names(item, entry))
                        yield return name;
                }

                break;
            case JsonObject o when (o["username"] ?? o["name"]) is JsonValue named:
                foreach (var name in Names(named, entry))
                    yield return name;
                break;
            default:
                throw new ExpressionException(entry, $"The approvers \"{entry}\" gave {Quote(value.ToJsonString())}: give a user name, group:name, or a list of them.");
        }
    }

    private static string Seat(string name, string entry)
    {
        var seat = name.StartsWith(ApprovalState.GroupPrefix, StringComparison.Ordinal) || name.StartsWith(ApprovalState.UserPrefix, StringComparison.Ordinal)
            ? name
            : ApprovalState.UserPrefix + name;
        var bare = seat[(seat.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        if (bare.Length == 0 || bare.Length > StoredLengths.Key || bare.Any(c => char.IsControl(c) || c == ','))
            throw new ExpressionException(entry, $"The approver {Quote(name)} from \"{entry}\" is not a user or group name (1 to {StoredLengths.Key} characters, no commas).");
        return seat[..(seat.IndexOf(':', StringComparison.Ordinal) + 1)] + bare;
    }
}
