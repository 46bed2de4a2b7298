using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using WeOps.Engine.Persistence;

namespace WeOps.Activities.Tickets;

/// <summary>Tickets in the database. Every change writes a timeline entry in the same transaction.
/// Numbers come from a counter row per type incremented in the creating transaction: no gaps, no
/// duplicates, on SQLite (one writer) and on PostgreSQL (the row is locked until commit).</summary>
public sealed class TicketStore(DatabaseOptions database, TicketPolicy policy, TimeProvider time)
{
    private const int MaxAttempts = 10;

    public TicketPolicy Policy => policy;

    /// <summary>Creates a ticket. With an instance and element id, a second call for the same pair (a
    /// re-run step) returns the ticket the first made; <c>Created</c> says which happened.</summary>
    public async Task<(TicketDetail Ticket, bool Created)> CreateAsync(NewTicket ticket, string? actor, string? instanceId, string? elementId,
        CancellationToken cancellationToken)
    {
        if (instanceId is not null && await FindByOriginAsync(instanceId, elementId, cancellationToken) is { } existing)
            return ((await GetAsync(existing, cancellationToken))!, false);
        try
        {
            return ((await InsertAsync(ticket, actor, instanceId, elementId, cancellationToken))!, true);
        }
        catch (DbUpdateException) when (instanceId is not null)
        {
            // Two runs of the same step at once: the unique index let one in; both answer with its ticket.
            var raced = await FindByOriginAsync(instanceId, elementId, cancellationToken);
            if (raced is null) throw;
            return ((await GetAsync(raced, cancellationToken))!, false);
        }
    }

    private async Task<TicketDetail?> InsertAsync(NewTicket ticket, string? actor, string? instanceId, string? elementId, CancellationToken cancellationToken)
    {
        using var gate = await database.EnterWriteAsync(cancellationToken);
        await using var db = Open();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var number = await NextNumberAsync(db, transaction, ticket.Machine, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var priority = policy.Priority(ticket.Impact, ticket.Urgency);
        var (response, resolution) = policy.Targets(priority);
        db.Tickets.Add(new TicketRow
        {
            Number = number,
            Type = ticket.Machine.Type,
            Title = ticket.Title,
            Description = ticket.Description,
            State = ticket.Machine.Initial,
            Impact = ticket.Impact,
            Urgency = ticket.Urgency,
            Priority = priority,
            Requester = ticket.Requester,
            Assignee = ticket.Assignee,
            AssignmentGroup = ticket.Group,
            AffectedHosts = JsonSerializer.Serialize(ticket.Affected.Hosts),
            AffectedServices = JsonSerializer.Serialize(ticket.Affected.Services),
            Fields = ticket.Fields.ToJsonString(),
            InstanceId = instanceId,
            ElementId = instanceId is null ? null : elementId,
            CreatedAt = now,
            UpdatedAt = now,
            ResponseDueAt = now + response,
            ResolutionDueAt = now + resolution,
        });
        db.TicketEntries.Add(Entry(number, now, actor, "created", null, new JsonObject
        {
            ["state"] = ticket.Machine.Initial,
            ["priority"] = TicketPolicy.PriorityName(priority),
            ["instanceId"] = instanceId,
        }));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await GetAsync(number, cancellationToken);
    }

    /// <summary>Upsert on the counter row: the first ticket of a type makes the row, later ones increment
    /// it. Both databases take the same statement (SQLite 3.35+).</summary>
    private static async Task<string> NextNumberAsync(WeOpsDb db, IDbContextTransaction transaction, TicketStateMachine machine, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        command.CommandText =
            "INSERT INTO ticket_counters (type, last_number) VALUES (@type, 1) " +
            "ON CONFLICT (type) DO UPDATE SET last_number = ticket_counters.last_number + 1 RETURNING last_number";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@type";
        parameter.Value = machine.Type;
        command.Parameters.Add(parameter);
        var value = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        return $"{machine.Prefix}-{value.ToString("D6", CultureInfo.InvariantCulture)}";
    }

    private async Task<string?> FindByOriginAsync(string instanceId, string? elementId, CancellationToken cancellationToken)
    {
        await using var db = Open();
        return await db.Tickets.AsNoTracking().Where(t => t.InstanceId == instanceId && t.ElementId == elementId)
            .Select(t => t.Number).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<TicketDetail?> GetAsync(string number, CancellationToken cancellationToken)
    {
        if (!TicketInput.IsNumber(number)) return null;
        await using var db = Open();
        var row = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Number == number, cancellationToken);
        if (row is null) return null;
        var entries = (await db.TicketEntries.AsNoTracking().Where(e => e.Number == number).OrderBy(e => e.Id).ToListAsync(cancellationToken))
            .Select(ToEntry).ToList();
        var links = await db.TicketLinks.AsNoTracking().Where(l => l.FromNumber == number || l.ToNumber == number)
            .OrderBy(l => l.CreatedAt).ToListAsync(cancellationToken);
        return new TicketDetail(ToTicket(row, FaultOf(entries)), entries, [.. entries.Where(e => e.Kind == "comment")],
            [.. links.Select(l => l.FromNumber == number
                ? new TicketLink(l.ToNumber, TypeOf(l.ToNumber), l.Kind, "out")
                : new TicketLink(l.FromNumber, TypeOf(l.FromNumber), l.Kind, "in"))]);
    }

    public async Task<TicketPage> ListAsync(TicketQuery query, CancellationToken cancellationToken)
    {
        await using var db = Open();
        var rows = db.Tickets.AsNoTracking();
        if (query.Type is { } type) rows = rows.Where(t => t.Type == type);
        if (query.State is { } state) rows = rows.Where(t => t.State == state);
        if (query.Priority is { } priority) rows = rows.Where(t => t.Priority == priority);
        if (query.Assignee is { } assignee) rows = rows.Where(t => t.Assignee == assignee);
        if (query.Search is { } search)
        {
            // Any part of the number or of the title, case aside; LIKE's own wildcards are searched for as themselves.
            var pattern = "%" + search.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
                .Replace("_", "\\_", StringComparison.Ordinal).ToUpperInvariant() + "%";
            rows = rows.Where(t => EF.Functions.Like(t.Number, pattern, "\\") || EF.Functions.Like(t.Title.ToUpper(), pattern, "\\"));
        }

        if (query.Breached is { } breached)
        {
            var now = time.GetUtcNow().UtcDateTime;
            rows = rows.Where(t =>
                ((t.RespondedAt == null ? now > t.ResponseDueAt : t.RespondedAt > t.ResponseDueAt)
                 || (t.ResolvedAt == null ? now > t.ResolutionDueAt : t.ResolvedAt > t.ResolutionDueAt)) == breached);
        }

        var total = await rows.CountAsync(cancellationToken);
        var page = await rows.OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Number)
            .Skip(query.Offset).Take(query.Limit).ToListAsync(cancellationToken);
        var numbers = page.Select(t => t.Number).ToList();
        var processEntries = (await db.TicketEntries.AsNoTracking()
                .Where(e => numbers.Contains(e.Number) && ProcessKinds.Contains(e.Kind)).OrderBy(e => e.Id).ToListAsync(cancellationToken))
            .GroupBy(e => e.Number).ToDictionary(g => g.Key, g => FaultOf(g.Select(ToEntry)));
        return new TicketPage([.. page.Select(t => ToTicket(t, processEntries.GetValueOrDefault(t.Number)))], total, query.Offset, query.Limit);
    }

    public Task<TicketDetail> UpdateAsync(string number, TicketChanges changes, string? actor, CancellationToken cancellationToken) =>
        ChangeAsync(number, actor, (row, db, now) =>
        {
            var what = new JsonObject();
            void Set<T>(string field, T current, T? wanted, Action<T> apply)
            {
                if (wanted is null || EqualityComparer<T>.Default.Equals(current, wanted)) return;
                what[field] = new JsonObject { ["from"] = JsonValue.Create(current), ["to"] = JsonValue.Create(wanted) };
                apply(wanted);
            }

            Set("title", row.Title, changes.Title, v => row.Title = v);
            Set("description", row.Description, changes.Description, v => row.Description = v);
            Set("assignee", row.Assignee, changes.Assignee, v => row.Assignee = v);
            if (changes.ClearAssignee && row.Assignee is { } previous)
            {
                what["assignee"] = new JsonObject { ["from"] = previous, ["to"] = null };
                row.Assignee = null;
            }

            Set("group", row.AssignmentGroup, changes.Group, v => row.AssignmentGroup = v);
            Set("impact", TicketPolicy.LevelName(row.Impact), changes.Impact is { } i ? TicketPolicy.LevelName(i) : null, _ => row.Impact = changes.Impact!.Value);
            Set("urgency", TicketPolicy.LevelName(row.Urgency), changes.Urgency is { } u ? TicketPolicy.LevelName(u) : null, _ => row.Urgency = changes.Urgency!.Value);
            if (changes.Affected is { } affected)
            {
                Set("affected.hosts", row.AffectedHosts, JsonSerializer.Serialize(affected.Hosts), v => row.AffectedHosts = v);
                Set("affected.services", row.AffectedServices, JsonSerializer.Serialize(affected.Services), v => row.AffectedServices = v);
            }

            if (changes.Fields is { Count: > 0 } fields)
            {
                var merged = JsonNode.Parse(row.Fields)!.AsObject();
                foreach (var (name, value) in fields)
                {
                    if (value is null) merged.Remove(name);
                    else merged[name] = value.DeepClone();
                }

                if (merged.ToJsonString().Length > TicketInput.MaxFieldsJson)
                    throw new TicketInputException("fields", $"at most {TicketInput.MaxFieldsJson} characters as JSON once merged.");
                Set("fields", row.Fields, merged.ToJsonString(), v => row.Fields = v);
            }

            var priority = policy.Priority(row.Impact, row.Urgency);
            if (priority != row.Priority)
            {
                what["priority"] = new JsonObject { ["from"] = TicketPolicy.PriorityName(row.Priority), ["to"] = TicketPolicy.PriorityName(priority) };
                row.Priority = priority;
                // The targets of the new priority count from the ticket's creation, as ITIL tools do.
                var (response, resolution) = policy.Targets(priority);
                row.ResponseDueAt = row.CreatedAt + response;
                row.ResolutionDueAt = row.CreatedAt + resolution;
            }

            return what.Count == 0 ? null : Entry(row.Number, now, actor, "updated", null, what);
        }, cancellationToken);

    /// <summary>Moves a ticket to <paramref name="to"/>; a <see cref="TicketTransitionRefusedException"/>
    /// when its state machine does not allow that. The first move out of the initial state is the response;
    /// entering a resolved state stops the resolution clock, leaving one (a reopen) starts it again.</summary>
    public Task<TicketDetail> TransitionAsync(string number, string to, string? note, string? actor, CancellationToken cancellationToken) =>
        ChangeAsync(number, actor, (row, db, now) =>
        {
            var machine = TicketStateMachines.ForType(row.Type)!;
            if (!machine.Allows(row.State, to)) throw new TicketTransitionRefusedException(machine, row.State, to);
            if (machine.Guard(row.State, to, row.Assignee, row.AssignmentGroup, note) is { } refusal)
                throw new TicketTransitionRefusedException(machine, row.State, to, refusal);
            var from = row.State;
            row.State = to;
            row.RespondedAt ??= now;
            if (machine.IsResolved(to)) row.ResolvedAt ??= now;
            else row.ResolvedAt = null;
            return Entry(row.Number, now, actor, "transition", note, new JsonObject { ["from"] = from, ["to"] = to });
        }, cancellationToken);

    public Task<TicketDetail> CommentAsync(string number, string text, string? actor, CancellationToken cancellationToken) =>
        ChangeAsync(number, actor, (row, db, now) => Entry(row.Number, now, actor, "comment", text, null), cancellationToken);

    /// <summary>Links two tickets as <see cref="TicketLinkRules"/> allows; linking again changes nothing.</summary>
    public Task<TicketDetail> LinkAsync(string number, string other, string? kind, string? actor, CancellationToken cancellationToken) =>
        ChangeAsync(number, actor, (row, db, now) =>
        {
            if (other == number) throw new TicketInputException("to", "a ticket cannot be linked to itself.");
            if (!TicketInput.IsNumber(other) || !db.Tickets.Any(t => t.Number == other))
                throw new TicketInputException("to", $"there is no ticket {other}.");
            var (reversed, linkKind) = TicketLinkRules.Resolve(row.Type, TypeOf(other), kind);
            var (from, to) = reversed ? (other, number) : (number, other);
            if (db.TicketLinks.Any(l => l.FromNumber == from && l.ToNumber == to)) return null;
            db.TicketLinks.Add(new TicketLinkRow { FromNumber = from, ToNumber = to, Kind = linkKind, CreatedAt = now, CreatedBy = actor });
            // The other ticket's timeline shows the link as well.
            db.TicketEntries.Add(Entry(other, now, actor, "linked", null, new JsonObject { ["number"] = number, ["kind"] = linkKind }));
            return Entry(number, now, actor, "linked", null, new JsonObject { ["number"] = other, ["kind"] = linkKind });
        }, cancellationToken);

    /// <summary>Removes the link between two tickets, whichever way it is stored; no link changes nothing.</summary>
    public Task<TicketDetail> UnlinkAsync(string number, string other, string? actor, CancellationToken cancellationToken) =>
        ChangeAsync(number, actor, (row, db, now) =>
        {
            var link = db.TicketLinks.FirstOrDefault(l => (l.FromNumber == number && l.ToNumber == other) || (l.FromNumber == other && l.ToNumber == number));
            if (link is null) return null;
            db.TicketLinks.Remove(link);
            db.TicketEntries.Add(Entry(other, now, actor, "unlinked", null, new JsonObject { ["number"] = number, ["kind"] = link.Kind }));
            return Entry(number, now, actor, "unlinked", null, new JsonObject { ["number"] = other, ["kind"] = link.Kind });
        }, cancellationToken);

    /// <summary>Reads, changes and writes one ticket in a transaction, with its timeline entry; a concurrent
    /// change to the same ticket (the revision moved) makes it start again from a fresh read.</summary>
    private async Task<TicketDetail> ChangeAsync(string number, string? actor, Func<TicketRow, WeOpsDb, DateTime, TicketEntryRow?> change,
        CancellationToken cancellationToken = default)
    {
        if (!TicketInput.IsNumber(number)) throw new TicketNotFoundException(number);
        for (var attempt = 1; ; attempt++)
        {
            using (var gate = await database.EnterWriteAsync(cancellationToken))
            {
                await using var db = Open();
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var row = await db.Tickets.FirstOrDefaultAsync(t => t.Number == number, cancellationToken) ?? throw new TicketNotFoundException(number);
                var now = time.GetUtcNow().UtcDateTime;
                if (change(row, db, now) is { } entry)
                {
                    db.TicketEntries.Add(entry);
                    row.UpdatedAt = now;
                    row.Revision++;
                    try
                    {
                        await db.SaveChangesAsync(cancellationToken);
                        await transaction.CommitAsync(cancellationToken);
                    }
                    catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
                    {
                        continue;
                    }
                }
            }

            return (await GetAsync(number, cancellationToken))!;
        }
    }

    private static SlaClock Clock(TimeSpan target, DateTime due, DateTime? stopped, DateTime now) =>
        new(target, Utc(due), stopped is { } s ? Utc(s) : null, (stopped ?? now) > due);

    /// <summary>The timeline kinds the engine writes when the instance behind a ticket faults and when it runs
    /// again (<c>TicketProcessEntries</c> in the engine's persistence).</summary>
    private static readonly string[] ProcessKinds = [TicketProcessEntries.Faulted, TicketProcessEntries.Recovered, TicketProcessEntries.Cancelled];

    /// <summary>The fault the ticket's process is stopped on: the last process entry, when it is a fault.</summary>
    private static TicketProcessFault? FaultOf(IEnumerable<TicketEntry> entries)
    {
        var last = entries.LastOrDefault(e => ProcessKinds.Contains(e.Kind));
        return last is { Kind: TicketProcessEntries.Faulted, Detail: JsonObject detail }
            ? new TicketProcessFault((string?)detail["instanceId"] ?? "", (string?)detail["element"], (string?)detail["elementName"], (string?)detail["message"], last.Time)
            : null;
    }

    private Ticket ToTicket(TicketRow row, TicketProcessFault? fault)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var machine = TicketStateMachines.ForType(row.Type)!;
        var (response, resolution) = policy.Targets(row.Priority);
        return new Ticket(row.Number, row.Type, row.Title, row.Description, row.State,
            TicketPolicy.LevelName(row.Impact), TicketPolicy.LevelName(row.Urgency), TicketPolicy.PriorityName(row.Priority),
            row.Requester, row.Assignee, row.AssignmentGroup,
            new TicketAffected(JsonSerializer.Deserialize<List<string>>(row.AffectedHosts) ?? [], JsonSerializer.Deserialize<List<string>>(row.AffectedServices) ?? []),
            JsonNode.Parse(row.Fields) as JsonObject ?? [],
            row.InstanceId, Utc(row.CreatedAt), Utc(row.UpdatedAt),
            new TicketSla(Clock(response, row.ResponseDueAt, row.RespondedAt, now), Clock(resolution, row.ResolutionDueAt, row.ResolvedAt, now)),
            machine.AllowedFrom(row.State), fault);
    }

    private static TicketEntry ToEntry(TicketEntryRow row) =>
        new(Utc(row.Time), row.Actor, row.Kind, row.Text, row.Detail is null ? null : JsonNode.Parse(row.Detail));

    private static TicketEntryRow Entry(string number, DateTime now, string? actor, string kind, string? text, JsonObject? detail) =>
        new() { Number = number, Time = now, Actor = actor, Kind = kind, Text = text, Detail = detail?.ToJsonString() };

    private static string TypeOf(string number) => TicketStateMachines.ForPrefix(number[..3])?.Type ?? "unknown";

    // SQLite hands DateTime back unspecified; every stored time is UTC.
    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private WeOpsDb Open() => database.Open();
}
