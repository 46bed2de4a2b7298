using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WeOps.Engine.Execution;
using WeOps.Engine.Model;

namespace WeOps.Engine.Persistence;

/// <summary>What a ticket's timeline says about the process instance behind it, written in the same transaction as
/// the step that changed the instance's status: a fault (the element and the message an operator reads) when it
/// stops on one, and that it runs again when a retry got it going (or that it was cancelled). The last of these
/// entries is the ticket's process mark.</summary>
public static class TicketProcessEntries
{
    public const string Faulted = "processFaulted";
    public const string Recovered = "processRecovered";
    public const string Cancelled = "processCancelled";

    internal static async Task AfterStepAsync(WeOpsDb db, ProcessGraph graph, InstanceRow row, string statusBefore, InstanceState state, Stimulus? stimulus,
        DateTime now, CancellationToken cancellationToken)
    {
        var faulted = row.Status == "faulted";
        var wasFaulted = statusBefore == "faulted";
        if (faulted == wasFaulted) return;
        var instanceId = row.Id.ToString();
        var numbers = await db.Tickets.AsNoTracking().Where(t => t.InstanceId == instanceId).Select(t => t.Number).ToListAsync(cancellationToken);
        if (numbers.Count == 0) return;

        string kind;
        string? actor = null;
        var detail = new JsonObject { ["instanceId"] = instanceId };
        if (faulted)
        {
            kind = Faulted;
            var incident = state.Incidents.OrderBy(i => i.Id).Last();
            detail["element"] = incident.ElementId;
            detail["elementName"] = graph.TryGetNode(incident.ElementId, out var node) ? node.Name : null;
            detail["message"] = incident.Message;
            detail["incident"] = incident.Kind.ToString();
        }
        else
        {
            kind = row.Status == "cancelled" ? Cancelled : Recovered;
            actor = stimulus switch
            {
                IncidentRetried retried => retried.Actor,
                InstanceCancelled cancelled => cancelled.Actor,
                _ => null,
            };
            detail["status"] = row.Status;
        }

        foreach (var number in numbers)
            db.TicketEntries.Add(new TicketEntryRow { Number = number, Time = now, Actor = actor, Kind = kind, Detail = detail.ToJsonString() });
    }
}
