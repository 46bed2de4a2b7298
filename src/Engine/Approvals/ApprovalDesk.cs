using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WeOps.Engine.Execution;
using WeOps.Engine.Model;
using WeOps.Engine.Persistence;

namespace WeOps.Engine.Approvals;

public enum LinkStatus { Open, Used, Expired, Closed, Unknown }

/// <summary>What an approval link leads to, for the confirmation page. Everything but <see cref="Status"/> and
/// <see cref="Message"/> is null unless the link is open.</summary>
public sealed record ApprovalLinkView(LinkStatus Status, string Message)
{
    public long LinkId { get; init; }

    /// <summary>The approval's user task, whose form (if any) the page shows.</summary>
    public long TaskId { get; init; }
    public string? Approver { get; init; }
    public string? Seat { get; init; }
    public string? Title { get; init; }
    public string? TaskName { get; init; }
    public string? ProcessKey { get; init; }
    public string? Requester { get; init; }
    public JsonObject? Fields { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public ApprovalPolicy Policy { get; init; }
    public int Quorum { get; init; }
    public int Seats { get; init; }
    public IReadOnlyList<ApprovalDecision> Decisions { get; init; } = [];
}

/// <summary>Forbidden: the caller is not one who may do this (not an approver, not the assignee).</summary>
public enum DecisionStatus { Decided, Used, Expired, Closed, Unknown, NotFound, Refused, Forbidden }

/// <summary>The answer to a decision: what happened, in words for a person, and the task's outcome once settled.</summary>
public sealed record DecisionResult(DecisionStatus Status, string Message, string? Outcome = null);

/// <summary>Approval links and decisions: issuing links for mail, showing what a link decides, and applying a
/// decision (by link or by API) as one step of the instance. A link is marked used in the same transaction as the
/// step, under the instance's lock, so of any number of concurrent uses exactly one decides.</summary>
public sealed class ApprovalDesk(InstanceStore store, TimeProvider time)
{
    /// <summary>Issues one link per approver of the job's seats that has not decided yet and has an address;
    /// null when the task has closed meanwhile.</summary>
    public async Task<ApprovalMail?> IssueLinksAsync(ApprovalMailJob job, CancellationToken cancellationToken)
    {
        await using var db = store.OpenDb();
        var task = await db.UserTasks.AsNoTracking().FirstOrDefaultAsync(t => t.InstanceId == job.InstanceId && t.WaitId == job.WaitId, cancellationToken);
        if (task is null || task.State != UserTaskStates.Open) return null;
        var instance = await db.Instances.AsNoTracking().FirstOrDefaultAsync(i => i.Id == job.InstanceId, cancellationToken);
        if (instance is null || ApprovalOf(instance, job.WaitId) is not { } approval) return null;

        var now = time.GetUtcNow();
        var recipients = new List<(ApprovalRecipient Recipient, ApprovalLinkRow Link)>();
        var undecided = approval.UndecidedSeats.ToHashSet(StringComparer.Ordinal);
        foreach (var seat in job.Seats.Where(undecided.Contains))
        {
            foreach (var user in await UsersOfSeatAsync(db, seat, cancellationToken))
            {
                if (string.IsNullOrWhiteSpace(user.Email)) continue;
                if (approval.BarsAsRequester(user.Username)) continue;
                if (recipients.Any(r => r.Recipient.Username == user.Username && r.Recipient.Seat == seat)) continue;
                var token = ApprovalToken.New();
                var link = db.ApprovalLinks.Add(new ApprovalLinkRow
                {
                    TokenHash = ApprovalToken.Hash(token),
                    InstanceId = job.InstanceId,
                    WaitId = job.WaitId,
                    TaskId = task.Id,
                    Seat = seat,
                    Approver = user.Username,
                    CreatedAt = now.UtcDateTime,
                    ExpiresAt = approval.ExpiresAt?.UtcDateTime,
                }).Entity;
                recipients.Add((new ApprovalRecipient(user.Username, user.DisplayName, user.Email!, seat, token), link));
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return new ApprovalMail(job.Reason, job.InstanceId, instance.DefinitionKey, task.Name, approval.Title ?? task.Name ?? task.ElementId,
            approval.Requester, approval.Fields, approval.ExpiresAt, [.. recipients.Select(r => r.Recipient with { LinkId = r.Link.Id })]);
    }

    /// <summary>What a link decides, without changing anything (mail scanners follow links).</summary>
    public async Task<ApprovalLinkView> OpenAsync(string? token, CancellationToken cancellationToken)
    {
        var (view, _) = await LookUpAsync(token, cancellationToken);
        return view;
    }

    public async Task<DecisionResult> DecideByLinkAsync(string? token, string decision, string? comment, JsonObject? variables, CancellationToken cancellationToken)
    {
        var (view, link) = await LookUpAsync(token, cancellationToken);
        if (view.Status != LinkStatus.Open || link is null) return new DecisionResult(Map(view.Status), view.Message);
        return await DecideThroughAsync(link, decision, comment, variables, ApprovalChannels.Link, null, cancellationToken);
    }

    /// <summary>A decision by a reply to the approval mail: the reply names the link (by its signed id) and must come
    /// from the address the link was mailed to. <paramref name="messageId"/> goes into the history with the decision.</summary>
    public async Task<DecisionResult> DecideByReplyAsync(long linkId, string sender, string decision, string? comment, string messageId,
        CancellationToken cancellationToken)
    {
        ApprovalLinkView view;
        ApprovalLinkRow? link;
        string? address;
        await using (var db = store.OpenDb())
        {
            link = await db.ApprovalLinks.AsNoTracking().FirstOrDefaultAsync(l => l.Id == linkId, cancellationToken);
            if (link is null) return new DecisionResult(DecisionStatus.Unknown, "This reply does not answer a request of ours (its reply address or references name none).");
            (view, link) = await ViewOfAsync(db, link, byReply: true, cancellationToken);
            address = await db.Users.AsNoTracking().Where(u => u.Username == link!.Approver).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken);
        }

        if (!string.Equals(address?.Trim(), sender.Trim(), StringComparison.OrdinalIgnoreCase))
            return new DecisionResult(DecisionStatus.Forbidden, $"The request was mailed to {link!.Approver}; a reply from {sender} cannot decide it.");
        if (view.Status != LinkStatus.Open) return new DecisionResult(Map(view.Status), view.Message);
        return await DecideThroughAsync(link!, decision, comment, null, ApprovalChannels.Mail, messageId, cancellationToken);
    }

    /// <summary>Decides through a link, once: the link is marked used under the instance's lock, in the step's transaction.</summary>
    private async Task<DecisionResult> DecideThroughAsync(ApprovalLinkRow link, string decision, string? comment, JsonObject? variables, string channel,
        string? reference, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;

        // Under the instance lock: mark this link used, or find it used by a concurrent request.
        StepGuard guard = async (db, ct) =>
        {
            var marked = await db.ApprovalLinks.Where(l => l.Id == link.Id && l.UsedAt == null)
                .ExecuteUpdateAsync(u => u.SetProperty(l => l.UsedAt, now).SetProperty(l => l.Decision, decision), ct);
            return marked == 1 ? null : channel == ApprovalChannels.Mail ? "this request has already been decided with its link or a reply" : "This link has already been used.";
        };
        var outcome = await store.HandleAsync(link.InstanceId,
            new ApprovalDecided(link.WaitId, link.Seat, link.Approver, decision, comment, channel, variables, reference), null, cancellationToken, guard);
        return Result(outcome, link.WaitId);
    }

    /// <summary>A decision by a signed-in user (API or designer): for their own seat, else for a group of theirs.</summary>
    public async Task<DecisionResult> DecideAsync(long taskId, string username, IReadOnlyList<string> groups, string decision, string? comment, string channel,
        JsonObject? variables, CancellationToken cancellationToken)
    {
        var (task, approval, problem) = await OpenApprovalAsync(taskId, cancellationToken);
        if (problem is not null) return problem;
        var seat = SeatFor(approval!, username, groups);
        if (seat is null)
        {
            var mine = approval!.Seats.Where(s => s == ApprovalState.UserPrefix + username || groups.Any(g => s == ApprovalState.GroupPrefix + g)).ToList();
            return mine.Count > 0
                ? new DecisionResult(DecisionStatus.Refused, $"{username} has already decided on task {taskId}.")
                : new DecisionResult(DecisionStatus.Forbidden, $"{username} is not an approver of task {taskId} (approvers: {string.Join(", ", approval.Seats.Select(ApprovalState.Describe))}).");
        }

        var outcome = await store.HandleAsync(task!.InstanceId, new ApprovalDecided(task.WaitId, seat, username, decision, comment, channel, variables), null, cancellationToken);
        return Result(outcome, task.WaitId);
    }

    /// <summary>Hands a task on: a plain task to a new assignee; an approval's seat (<paramref name="fromSeat"/>, or the
    /// caller's own when delegating) to a user, who is mailed a link.</summary>
    public async Task<DecisionResult> ReassignAsync(long taskId, string? fromSeat, string to, string actor, IReadOnlyList<string> actorGroups, bool delegated,
        CancellationToken cancellationToken)
    {
        await using var db = store.OpenDb();
        var task = await db.UserTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, cancellationToken);
        if (task is null) return new DecisionResult(DecisionStatus.NotFound, $"There is no task {taskId}.");
        if (task.State != UserTaskStates.Open) return new DecisionResult(DecisionStatus.Closed, $"Task {taskId} is {task.State}.");
        var instance = await db.Instances.AsNoTracking().FirstAsync(i => i.Id == task.InstanceId, cancellationToken);
        var approval = ApprovalOf(instance, task.WaitId);
        string? seat = null;
        if (approval is not null)
        {
            seat = fromSeat is null ? SeatFor(approval, actor, actorGroups) : NormalSeat(fromSeat);
            if (seat is null) return new DecisionResult(DecisionStatus.Forbidden, $"{actor} has no undecided approval on task {taskId} to delegate.");
        }
        else if (delegated && task.Assignee != actor)
        {
            return new DecisionResult(DecisionStatus.Forbidden, $"Only the assignee of task {taskId} can delegate it; it is assigned to {task.Assignee ?? "nobody"}.");
        }

        var outcome = await store.HandleAsync(task.InstanceId, new TaskReassigned(task.WaitId, seat, to, actor, delegated), null, cancellationToken);
        return outcome.Status == StepStatus.Applied
            ? new DecisionResult(DecisionStatus.Decided, $"Task {taskId} is now {(seat is null ? "assigned to" : "awaiting a decision from")} {to}.")
            : new DecisionResult(outcome.Status == StepStatus.NotFound ? DecisionStatus.NotFound : DecisionStatus.Refused, Sentence(outcome.Reason));
    }

    /// <summary>The task's approval state, if it is an open approval.</summary>
    public async Task<ApprovalState?> ApprovalOfTaskAsync(long taskId, CancellationToken cancellationToken)
    {
        var (_, approval, _) = await OpenApprovalAsync(taskId, cancellationToken);
        return approval;
    }

    private async Task<(UserTaskRow? Task, ApprovalState? Approval, DecisionResult? Problem)> OpenApprovalAsync(long taskId, CancellationToken cancellationToken)
    {
        await using var db = store.OpenDb();
        var task = await db.UserTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, cancellationToken);
        if (task is null) return (null, null, new DecisionResult(DecisionStatus.NotFound, $"There is no task {taskId}."));
        if (task.State != UserTaskStates.Open) return (task, null, new DecisionResult(DecisionStatus.Closed, $"Task {taskId} is {task.State}{(task.EndedBy is null ? "" : $" (by {task.EndedBy})")}."));
        var instance = await db.Instances.AsNoTracking().FirstAsync(i => i.Id == task.InstanceId, cancellationToken);
        var approval = ApprovalOf(instance, task.WaitId);
        return approval is null
            ? (task, null, new DecisionResult(DecisionStatus.Refused, $"Task {taskId} is not an approval; complete it instead."))
            : (task, approval, null);
    }

    private async Task<(ApprovalLinkView View, ApprovalLinkRow? Link)> LookUpAsync(string? token, CancellationToken cancellationToken)
    {
        if (!ApprovalToken.IsWellFormed(token)) return (Unknown, null);
        var hash = ApprovalToken.Hash(token!);
        await using var db = store.OpenDb();
        var link = await db.ApprovalLinks.AsNoTracking().FirstOrDefaultAsync(l => l.TokenHash == hash, cancellationToken);
        if (link is null) return (Unknown, null);
        return await ViewOfAsync(db, link, byReply: false, cancellationToken);
    }

    /// <summary>What a link leads to now; <paramref name="byReply"/> words it for a reply to the mail instead of the link.</summary>
    private async Task<(ApprovalLinkView View, ApprovalLinkRow? Link)> ViewOfAsync(WeOpsDb db, ApprovalLinkRow link, bool byReply, CancellationToken cancellationToken)
    {
        if (link.UsedAt is not null)
            return (new ApprovalLinkView(LinkStatus.Used, $"{(byReply ? "This request has already been answered with its link or a reply" : "This link has already been used")}: {link.Approver} chose to {link.Decision} on {DefinitionStore.Utc(link.UsedAt.Value):yyyy-MM-dd HH:mm} UTC."), link);
        if (link.ExpiresAt is { } expires && expires <= time.GetUtcNow().UtcDateTime)
            return (new ApprovalLinkView(LinkStatus.Expired, $"{(byReply ? "This request" : "This link")} expired on {DefinitionStore.Utc(expires):yyyy-MM-dd HH:mm} UTC; nothing can be decided with it any more."), link);
        var task = await db.UserTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == link.TaskId, cancellationToken);
        if (task is null || task.State != UserTaskStates.Open)
            return (new ApprovalLinkView(LinkStatus.Closed, task?.State == UserTaskStates.Completed
                ? "This request has already been decided; your decision is no longer needed."
                : "This request was withdrawn (its process was cancelled or moved on); there is nothing to decide."), link);
        var instance = await db.Instances.AsNoTracking().FirstAsync(i => i.Id == link.InstanceId, cancellationToken);
        var approval = ApprovalOf(instance, link.WaitId);
        if (approval is null || !approval.Seats.Contains(link.Seat))
            return (new ApprovalLinkView(LinkStatus.Closed, byReply ? "This request was handed to someone else; your reply no longer decides it." : "This request was handed to someone else; this link no longer decides it."), link);
        if (approval.DecisionOf(link.Seat) is { } earlier)
            return (new ApprovalLinkView(LinkStatus.Closed, $"{ApprovalState.Describe(link.Seat)} has already decided ({earlier.Decision} by {earlier.Approver})."), link);

        return (new ApprovalLinkView(LinkStatus.Open, "")
        {
            LinkId = link.Id,
            TaskId = task.Id,
            Approver = link.Approver,
            Seat = link.Seat,
            Title = approval.Title ?? task.Name,
            TaskName = task.Name,
            ProcessKey = instance.DefinitionKey,
            Requester = approval.Requester,
            Fields = approval.Fields,
            ExpiresAt = approval.ExpiresAt,
            Policy = approval.Policy,
            Quorum = approval.Quorum,
            Seats = approval.Seats.Count,
            Decisions = approval.Decisions,
        }, link);
    }

    private static readonly ApprovalLinkView Unknown = new(LinkStatus.Unknown, "This link is not valid: it may be mistyped, cut short by the mail program, or made up.");

    private static DecisionResult Result(StepOutcome outcome, int waitId) => outcome.Status switch
    {
        StepStatus.Applied => new DecisionResult(DecisionStatus.Decided, "Your decision is recorded.", OutcomeOf(outcome.State!, waitId)),
        StepStatus.Refused => new DecisionResult(DecisionStatus.Used, Sentence(outcome.Reason)),
        StepStatus.NotFound => new DecisionResult(DecisionStatus.Closed, "The process of this request no longer exists."),
        _ => new DecisionResult(DecisionStatus.Refused, Sentence(outcome.Reason)),
    };

    /// <summary>The approval's outcome once the step settled it (the task's wait is gone), else null.</summary>
    private static string? OutcomeOf(InstanceState state, int waitId)
    {
        if (state.Waits.Any(w => w.Id == waitId)) return null;
        return state.Scopes.Select(s => s.Variables["approval"]?["outcome"]).OfType<JsonValue>().Select(v => v.ToString()).LastOrDefault();
    }

    private static DecisionStatus Map(LinkStatus status) => status switch
    {
        LinkStatus.Used => DecisionStatus.Used,
        LinkStatus.Expired => DecisionStatus.Expired,
        LinkStatus.Closed => DecisionStatus.Closed,
        _ => DecisionStatus.Unknown,
    };

    private static string? SeatFor(ApprovalState approval, string username, IReadOnlyList<string> groups)
    {
        var undecided = approval.UndecidedSeats.ToList();
        var own = ApprovalState.UserPrefix + username;
        if (undecided.Contains(own)) return own;
        return undecided.FirstOrDefault(s => groups.Any(g => s == ApprovalState.GroupPrefix + g));
    }

    private static string NormalSeat(string seat) =>
        seat.StartsWith(ApprovalState.GroupPrefix, StringComparison.Ordinal) || seat.StartsWith(ApprovalState.UserPrefix, StringComparison.Ordinal)
            ? seat
            : ApprovalState.UserPrefix + seat;

    private static ApprovalState? ApprovalOf(InstanceRow instance, int waitId)
    {
        var state = JsonSerializer.Deserialize<InstanceState>(instance.State, StepWriter.Json)!;
        return state.Waits.OfType<UserTaskWait>().FirstOrDefault(w => w.Id == waitId)?.Approval;
    }

    private static async Task<List<UserRow>> UsersOfSeatAsync(WeOpsDb db, string seat, CancellationToken cancellationToken)
    {
        if (seat.StartsWith(ApprovalState.GroupPrefix, StringComparison.Ordinal))
        {
            var pattern = "," + seat[ApprovalState.GroupPrefix.Length..] + ",";
            return await db.Users.AsNoTracking().Where(u => u.Groups.Contains(pattern)).OrderBy(u => u.Username).Take(500).ToListAsync(cancellationToken);
        }

        var username = seat.StartsWith(ApprovalState.UserPrefix, StringComparison.Ordinal) ? seat[ApprovalState.UserPrefix.Length..] : seat;
        return await db.Users.AsNoTracking().Where(u => u.Username == username).ToListAsync(cancellationToken);
    }

    private static string Sentence(string? reason) =>
        string.IsNullOrEmpty(reason) ? "Nothing changed." : char.ToUpperInvariant(reason[0]) + reason[1..].TrimEnd('.') + ".";
}
