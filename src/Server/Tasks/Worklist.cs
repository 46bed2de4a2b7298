using System.Linq.Expressions;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WeOps.Activities.Tickets;
using WeOps.Engine.Persistence;

namespace WeOps.Server.Tasks;

/// <summary>Whose tasks a list shows.</summary>
public enum WorklistScope
{
    /// <summary>Assigned to the caller, offered to the caller by name and not taken, or an approval seat of the
    /// caller or of one of the caller's groups that has not decided.</summary>
    Mine,

    /// <summary>Offered to one of the caller's groups and taken by nobody.</summary>
    Groups,

    /// <summary>Everybody's.</summary>
    All,
}

/// <summary>One page of a task list: the scope, the caller it is seen by, filters, and the keyset position
/// (<see cref="After"/>: the last task id of the previous page).</summary>
public sealed record WorklistQuery(WorklistScope Scope, string? User, IReadOnlyList<string> Groups, string? State, Guid? InstanceId,
    string? ProcessKey, string? Assignee, string? CandidateGroup, long? After, int Limit);

/// <summary>The ticket a task works on: the one its instance (or the instance that called it) opened, or the
/// one its <c>ticket</c> variable names.</summary>
public sealed record TicketSummary(string Number, string Type, string Title, string Priority, string State);

/// <summary>What a list row needs besides the task: its process, its ticket, a line saying what the instance is
/// about, and whether it is late.</summary>
public sealed record TaskContext(string ProcessKey, int ProcessVersion, string ProcessName, string? BusinessKey, string? Summary, TicketSummary? Ticket, bool Overdue);

/// <summary>The read side of the task list: tasks by scope, with the context a person needs to pick one.</summary>
public sealed class Worklist(InstanceStore store, TimeProvider time)
{
    public const int MaxLimit = 500;

    /// <summary>The longest summary line; longer descriptions are cut at a word.</summary>
    public const int SummaryLength = 160;

    /// <summary>How many call levels up a task looks for its ticket.</summary>
    private const int MaxParentDepth = 5;

    public async Task<IReadOnlyList<UserTaskRow>> ListAsync(WorklistQuery query, CancellationToken cancellationToken)
    {
        await using var db = store.OpenDb();
        var tasks = Filter(db, query);
        if (query.After is { } after) tasks = tasks.Where(t => t.Id > after);
        return await tasks.OrderBy(t => t.Id).Take(query.Limit).ToListAsync(cancellationToken);
    }

    public async Task<int> CountAsync(WorklistQuery query, CancellationToken cancellationToken)
    {
        await using var db = store.OpenDb();
        return await Filter(db, query).CountAsync(cancellationToken);
    }

    private static IQueryable<UserTaskRow> Filter(WeOpsDb db, WorklistQuery query)
    {
        var tasks = db.UserTasks.AsNoTracking();
        if (query.State is not null) tasks = tasks.Where(t => t.State == query.State);
        if (query.InstanceId is { } instance) tasks = tasks.Where(t => t.InstanceId == instance);
        if (query.Assignee is not null) tasks = tasks.Where(t => t.Assignee == query.Assignee);
        if (query.CandidateGroup is not null) tasks = tasks.Where(t => t.CandidateGroups.Contains("," + query.CandidateGroup + ","));
        if (query.ProcessKey is not null)
            tasks = tasks.Where(t => db.Instances.Any(i => i.Id == t.InstanceId && i.DefinitionKey == query.ProcessKey));
        return query.Scope switch
        {
            WorklistScope.Mine => tasks.Where(Mine(query.User ?? "", query.Groups)),
            WorklistScope.Groups => tasks.Where(t => t.Assignee == null).Where(AnyOf(query.Groups, CandidateGroup)),
            WorklistScope.All => tasks,
            _ => throw new ArgumentOutOfRangeException(nameof(query), query.Scope, "unknown scope"),
        };
    }

    private static Expression<Func<UserTaskRow, bool>> Mine(string user, IReadOnlyList<string> groups)
    {
        var candidate = "," + user + ",";
        var seat = ",user:" + user + ",";
        Expression<Func<UserTaskRow, bool>> own = t => t.Assignee == user || (t.Assignee == null && t.CandidateUsers.Contains(candidate)) || t.Approvers.Contains(seat);
        return Or(own, AnyOf(groups, GroupSeat));
    }

    private static Expression<Func<UserTaskRow, bool>> CandidateGroup(string group)
    {
        var stored = "," + group + ",";
        return t => t.CandidateGroups.Contains(stored);
    }

    private static Expression<Func<UserTaskRow, bool>> GroupSeat(string group)
    {
        var stored = ",group:" + group + ",";
        return t => t.Approvers.Contains(stored);
    }

    /// <summary>Tasks matching <paramref name="test"/> for one of the groups; none when there are no groups.</summary>
    private static Expression<Func<UserTaskRow, bool>> AnyOf(IReadOnlyList<string> groups, Func<string, Expression<Func<UserTaskRow, bool>>> test)
    {
        Expression<Func<UserTaskRow, bool>> none = t => false;
        return groups.Take(100).Select(test).Aggregate(none, Or);
    }

    private static Expression<Func<UserTaskRow, bool>> Or(Expression<Func<UserTaskRow, bool>> left, Expression<Func<UserTaskRow, bool>> right)
    {
        var body = Expression.OrElse(left.Body, new Rebind(right.Parameters[0], left.Parameters[0]).Visit(right.Body));
        return Expression.Lambda<Func<UserTaskRow, bool>>(body, left.Parameters);
    }

    /// <summary>Puts one lambda's body on another's parameter, so the two can be or-ed into one query.</summary>
    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }

    /// <summary>The context of each task, by task id: three queries for the whole page (instances up the call chain,
    /// process names, tickets), however many rows it has.</summary>
    public async Task<IReadOnlyDictionary<long, TaskContext>> ContextAsync(IReadOnlyList<UserTaskRow> tasks, CancellationToken cancellationToken)
    {
        if (tasks.Count == 0) return new Dictionary<long, TaskContext>();
        await using var db = store.OpenDb();
        var instances = new Dictionary<Guid, InstanceRow>();
        var wanted = tasks.Select(t => t.InstanceId).Distinct().ToList();
        for (var depth = 0; wanted.Count > 0 && depth <= MaxParentDepth; depth++)
        {
            var rows = await db.Instances.AsNoTracking().Where(i => wanted.Contains(i.Id)).ToListAsync(cancellationToken);
            foreach (var row in rows) instances[row.Id] = row;
            wanted = rows.Where(r => r.ParentId is { } p && !instances.ContainsKey(p)).Select(r => r.ParentId!.Value).Distinct().ToList();
        }

        var keys = instances.Values.Select(i => i.DefinitionKey).Distinct().ToList();
        var names = (await db.DefinitionVersions.AsNoTracking().Where(v => keys.Contains(v.Key)).Select(v => new { v.Key, v.Version, v.Name }).ToListAsync(cancellationToken))
            .ToDictionary(v => (v.Key, v.Version), v => v.Name);

        var variables = instances.ToDictionary(i => i.Key, i => RootVariables(i.Value.State));
        var instanceIds = instances.Keys.Select(id => id.ToString()).ToList();
        var numbers = variables.Values.Select(v => v?["ticket"] is JsonValue value && value.TryGetValue<string>(out var n) && TicketInput.IsNumber(n) ? n : null)
            .OfType<string>().Distinct().ToList();
        var tickets = await db.Tickets.AsNoTracking().Where(t => (t.InstanceId != null && instanceIds.Contains(t.InstanceId)) || numbers.Contains(t.Number))
            .OrderBy(t => t.CreatedAt).ThenBy(t => t.Number).ToListAsync(cancellationToken);

        var now = time.GetUtcNow().UtcDateTime;
        var contexts = new Dictionary<long, TaskContext>();
        foreach (var task in tasks)
        {
            if (!instances.TryGetValue(task.InstanceId, out var instance)) continue;
            var vars = variables[instance.Id];
            contexts[task.Id] = new TaskContext(instance.DefinitionKey, instance.Version,
                names.GetValueOrDefault((instance.DefinitionKey, instance.Version)) ?? instance.DefinitionKey,
                instance.BusinessKey, Summary(vars), TicketOf(instance, instances, variables, tickets),
                task.State == UserTaskStates.Open && task.DueAt is { } due && due < now);
        }

        return contexts;
    }

    /// <summary>The first ticket the instance opened, else the one its <c>ticket</c> variable names, else the same
    /// for the instance that called it.</summary>
    private static TicketSummary? TicketOf(InstanceRow instance, Dictionary<Guid, InstanceRow> instances, Dictionary<Guid, JsonObject?> variables, List<TicketRow> tickets)
    {
        for (var (current, depth) = (instance, 0); current is not null && depth <= MaxParentDepth; depth++)
        {
            var id = current.Id.ToString();
            var row = tickets.FirstOrDefault(t => t.InstanceId == id);
            if (row is null && variables.GetValueOrDefault(current.Id)?["ticket"] is JsonValue value && value.TryGetValue<string>(out var number))
                row = tickets.FirstOrDefault(t => t.Number == number);
            if (row is not null)
                return new TicketSummary(row.Number, row.Type, row.Title, TicketPolicy.PriorityName(row.Priority), row.State);
            current = current.ParentId is { } parent ? instances.GetValueOrDefault(parent) : null;
        }

        return null;
    }

    /// <summary>What the instance is about: the first line of its <c>summary</c>, <c>description</c> or <c>title</c>
    /// variable (the first that is a non-empty string), cut to <see cref="SummaryLength"/> characters.</summary>
    public static string? Summary(JsonObject? variables)
    {
        foreach (var name in (string[])["summary", "description", "title"])
        {
            if (variables?[name] is not JsonValue value || !value.TryGetValue<string>(out var text)) continue;
            var line = text.Split('\n', 2)[0].Trim();
            if (line.Length == 0) continue;
            if (line.Length <= SummaryLength) return line;
            var cut = line.LastIndexOf(' ', SummaryLength - 1);
            return line[..(cut > SummaryLength / 2 ? cut : SummaryLength - 1)].TrimEnd() + "…";
        }

        return null;
    }

    /// <summary>The process-level variables of a stored instance state; null when they cannot be read.</summary>
    private static JsonObject? RootVariables(string state)
    {
        try
        {
            return JsonNode.Parse(state)?["scopes"]?.AsArray()
                .FirstOrDefault(s => s?["parentId"] is null)?["variables"] as JsonObject;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
