using System.Text.Json.Nodes;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Tickets;

/// <summary>Moves a ticket to another state. A move its state machine does not allow is the BPMN error
/// <c>TICKET_TRANSITION_REFUSED</c>; a ticket already in the wanted state is left as it is, so a re-run of
/// the step succeeds.</summary>
[Executor("ticket.transition", DisplayName = "Move ticket", Category = "Tickets",
    DisplayNameZh = "流转工单", Summary = "Moves a ticket to another state, e.g. resolved.",
    SummaryZh = "将工单流转到另一个状态，例如已解决。",
    DescriptionZh = "将工单移到其状态机中的另一个状态；不允许的流转会抛出 BPMN 错误 TICKET_TRANSITION_REFUSED。",
    Description = "Moves a ticket to another state of its state machine; a move it does not allow raises the BPMN error TICKET_TRANSITION_REFUSED.")]
[Output("number", Type = "string")]
[Output("state", Type = "string", Description = "The state the ticket is in now.")]
[Output("previousState", Type = "string")]
[Output("priority", Type = "string")]
[Output("sla", Type = "object", Description = "responseDueAt, resolutionDueAt and breached.")]
public sealed class TicketTransitionExecutor(TicketStore tickets) : Executor<TicketTransitionExecutor.Inputs>
{
    private const string Type = "ticket.transition";

    public sealed record Inputs
    {
        [Input(Description = "The ticket number, e.g. INC-000123.", Required = true, DescriptionZh = "工单号，例如 INC-000123。")]
        public string? Number { get; init; }

        [Input(Description = "The state to move to, e.g. inProgress.", Required = true, DescriptionZh = "要流转到的状态，例如 inProgress。")]
        public string? To { get; init; }

        [Input(Description = "Why, for the timeline (e.g. the on-hold reason).", UiHint = "multiline", DescriptionZh = "原因，记入时间线（例如挂起原因）。")]
        public string? Note { get; init; }
    }

    protected override Task<JsonNode?> ExecuteAsync(Inputs inputs, ExecutorContext context, CancellationToken cancellationToken) =>
        TicketSteps.Run<JsonNode?>(Type, async () =>
        {
            var number = inputs.Number?.Trim() ?? "";
            var to = inputs.To?.Trim() ?? "";
            var note = TicketInput.Note(inputs.Note);
            var current = await tickets.GetAsync(number, cancellationToken) ?? throw new TicketNotFoundException(number);
            var previous = current.Ticket.State;
            if (previous != to)
            {
                try
                {
                    current = await tickets.TransitionAsync(number, to, note, TicketSteps.Actor(context), cancellationToken);
                }
                catch (TicketTransitionRefusedException e)
                {
                    throw new BpmnErrorException(TicketSteps.TransitionRefused, $"{number}: {e.Message}");
                }
            }

            var output = TicketSteps.Output(current.Ticket);
            output["previousState"] = previous;
            return output;
        });
}
