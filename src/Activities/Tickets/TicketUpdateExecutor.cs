using System.Text.Json.Nodes;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Tickets;

/// <summary>Changes fields of a ticket; a changed impact or urgency recomputes the priority and the SLA
/// due times. Setting the same values again changes nothing, so a re-run is harmless.</summary>
[Executor("ticket.update", DisplayName = "Update ticket", Category = "Tickets",
    Description = "Changes a ticket's title, description, impact, urgency, assignee, group, affected hosts/services or free fields.")]
[Output("number", Type = "string")]
[Output("priority", Type = "string")]
[Output("state", Type = "string")]
[Output("sla", Type = "object", Description = "responseDueAt, resolutionDueAt and breached.")]
public sealed class TicketUpdateExecutor(TicketStore tickets) : Executor<TicketUpdateExecutor.Inputs>
{
    private const string Type = "ticket.update";

    public sealed record Inputs
    {
        [Input(Description = "The ticket number, e.g. INC-000123.", Required = true)]
        public string? Number { get; init; }

        [Input(Description = "A new title.")]
        public string? Title { get; init; }

        [Input(Description = "A new description.", UiHint = "multiline")]
        public string? Description { get; init; }

        [Input(Description = "1-3 or high/medium/low.")]
        public JsonNode? Impact { get; init; }

        [Input(Description = "1-3 or high/medium/low.")]
        public JsonNode? Urgency { get; init; }

        [Input(Description = "Who works on it.")]
        public string? Assignee { get; init; }

        [Input(Description = "The assignment group.")]
        public string? Group { get; init; }

        [Input(Description = "{hosts: [...], services: [...]}; replaces the lists given.", UiHint = "json")]
        public JsonObject? Affected { get; init; }

        [Input(Description = "Free fields merged into the ticket's (null removes one).", UiHint = "json")]
        public JsonObject? Fields { get; init; }
    }

    protected override Task<JsonNode?> ExecuteAsync(Inputs inputs, ExecutorContext context, CancellationToken cancellationToken) =>
        TicketSteps.Run<JsonNode?>(Type, async () =>
        {
            var changes = TicketInput.ReadChanges(inputs.Title, inputs.Description, inputs.Impact, inputs.Urgency,
                inputs.Assignee, inputs.Group, inputs.Affected, inputs.Fields);
            var detail = await tickets.UpdateAsync(inputs.Number?.Trim() ?? "", changes, TicketSteps.Actor(context), cancellationToken);
            return TicketSteps.Output(detail.Ticket);
        });
}
