using System.Text.Json.Nodes;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Tickets;

/// <summary>What the ticket executors share: who they act as, their output, and how ticket errors become
/// step errors.</summary>
internal static class TicketSteps
{
    public const string TransitionRefused = "TICKET_TRANSITION_REFUSED";
    public const string NotFound = "TICKET_NOT_FOUND";

    /// <summary>The timeline names the process instance and the step that acted.</summary>
    public static string Actor(ExecutorContext context) => $"process {context.InstanceId}/{context.ElementId}";

    public static JsonObject Output(Ticket ticket) => new()
    {
        ["number"] = ticket.Number,
        ["type"] = ticket.Type,
        ["state"] = ticket.State,
        ["priority"] = ticket.Priority,
        ["assignee"] = ticket.Assignee,
        ["sla"] = new JsonObject
        {
            ["responseDueAt"] = ticket.Sla.Response.DueAt,
            ["resolutionDueAt"] = ticket.Sla.Resolution.DueAt,
            ["breached"] = ticket.Sla.Breached,
        },
    };

    /// <summary>Runs a ticket operation: bad input fails the step with the field named (an operator fixes
    /// the variable and retries); a missing ticket is a BPMN error the process may catch.</summary>
    public static async Task<T> Run<T>(string type, Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (TicketInputException e)
        {
            throw new ExecutorInputException($"{type}: {e.Message}");
        }
        catch (TicketNotFoundException e)
        {
            throw new BpmnErrorException(NotFound, e.Message);
        }
    }
}
