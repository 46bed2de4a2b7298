using System.Text.Json.Nodes;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Tickets;

/// <summary>Changes fields of a ticket; a changed impact or urgency recomputes the priority and the SLA
/// due times. Setting the same values again changes nothing, so a re-run is harmless.</summary>
[Executor("ticket.update", DisplayName = "Update ticket", Category = "Tickets",
    DisplayNameZh = "更新工单", Summary = "Changes a ticket's title, priority, assignee or fields.",
    SummaryZh = "修改工单的标题、优先级、处理人或字段。",
    DescriptionZh = "修改工单的标题、描述、影响度、紧急度、处理人、处理组、受影响的主机/服务或自定义字段。",
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
        [Input(Description = "The ticket number, e.g. INC-000123.", Required = true, DescriptionZh = "工单号，例如 INC-000123。")]
        public string? Number { get; init; }

        [Input(Description = "A new title.", DescriptionZh = "新标题。")]
        public string? Title { get; init; }

        [Input(Description = "A new description.", UiHint = "multiline", DescriptionZh = "新描述。")]
        public string? Description { get; init; }

        [Input(Description = "1-3 or high/medium/low.", DescriptionZh = "1-3 或 high/medium/low。")]
        public JsonNode? Impact { get; init; }

        [Input(Description = "1-3 or high/medium/low.", DescriptionZh = "1-3 或 high/medium/low。")]
        public JsonNode? Urgency { get; init; }

        [Input(Description = "Who works on it.", DescriptionZh = "处理人。")]
        public string? Assignee { get; init; }

        [Input(Description = "The assignment group.", DescriptionZh = "处理组。")]
        public string? Group { get; init; }

        [Input(Description = "true: take the ticket off its assignee, so it waits in its group's queue (an escalation to another group).",
            DescriptionZh = "为 true 时清除处理人，工单回到处理组的队列等待（例如升级到另一个组）。")]
        public bool ClearAssignee { get; init; }

        [Input(Description = "{hosts: [...], services: [...]}; replaces the lists given.", UiHint = "json", DescriptionZh = "{hosts: [...], services: [...]}；替换所给的列表。")]
        public JsonObject? Affected { get; init; }

        [Input(Description = "Free fields merged into the ticket's (null removes one).", UiHint = "json", DescriptionZh = "合并到工单中的自定义字段（null 表示删除该字段）。")]
        public JsonObject? Fields { get; init; }
    }

    protected override Task<JsonNode?> ExecuteAsync(Inputs inputs, ExecutorContext context, CancellationToken cancellationToken) =>
        TicketSteps.Run<JsonNode?>(Type, async () =>
        {
            var changes = TicketInput.ReadChanges(inputs.Title, inputs.Description, inputs.Impact, inputs.Urgency,
                inputs.Assignee, inputs.Group, inputs.Affected, inputs.Fields, inputs.ClearAssignee);
            var detail = await tickets.UpdateAsync(inputs.Number?.Trim() ?? "", changes, TicketSteps.Actor(context), cancellationToken);
            return TicketSteps.Output(detail.Ticket);
        });
}
