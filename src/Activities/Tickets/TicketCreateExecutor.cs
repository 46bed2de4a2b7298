using System.Text.Json.Nodes;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Tickets;

/// <summary>Opens a ticket for the running process. A step that runs again (its node died mid-run) gets
/// the ticket the first run opened: one ticket per instance and element.</summary>
[Executor("ticket.create", DisplayName = "Create ticket", Category = "Tickets",
    DisplayNameZh = "创建工单", Summary = "Opens an incident, change, problem or release ticket.",
    SummaryZh = "创建事件、变更、问题或发布工单。",
    DescriptionZh = "创建与本流程实例关联的事件、变更、问题或发布工单；优先级由影响度 × 紧急度得出。",
    Description = "Opens an incident, change, problem or release ticket linked to this process instance; priority from impact x urgency.")]
[Output("number", Type = "string", Description = "The ticket number, e.g. INC-000123.")]
[Output("priority", Type = "string", Description = "P1 to P5, from the priority matrix.")]
[Output("state", Type = "string", Description = "The ticket's first state.")]
[Output("sla", Type = "object", Description = "responseDueAt, resolutionDueAt and breached.")]
[Output("created", Type = "boolean", Description = "False when a previous run of this step had already opened the ticket.")]
public sealed class TicketCreateExecutor(TicketStore tickets) : Executor<TicketCreateExecutor.Inputs>
{
    private const string Type = "ticket.create";

    public sealed record Inputs
    {
        [Input(Description = "incident, change, problem or release.", Required = true, DescriptionZh = "incident、change、problem 或 release。")]
        public string? Type { get; init; }

        [Input(Description = "One line saying what is wrong or what is to change.", Required = true, DescriptionZh = "一句话说明出了什么问题或要变更什么。")]
        public string? Title { get; init; }

        [Input(Description = "The details.", UiHint = "multiline", DescriptionZh = "详细说明。")]
        public string? Description { get; init; }

        [Input(Description = "1-3 or high/medium/low.", Default = "low", DescriptionZh = "1-3 或 high/medium/low。")]
        public JsonNode? Impact { get; init; }

        [Input(Description = "1-3 or high/medium/low.", Default = "low", DescriptionZh = "1-3 或 high/medium/low。")]
        public JsonNode? Urgency { get; init; }

        [Input(Description = "Who asked for it.", DescriptionZh = "提出人。")]
        public string? Requester { get; init; }

        [Input(Description = "Who works on it.", DescriptionZh = "处理人。")]
        public string? Assignee { get; init; }

        [Input(Description = "The assignment group.", DescriptionZh = "处理组。")]
        public string? Group { get; init; }

        [Input(Description = "{hosts: [...], services: [...]} the ticket is about.", UiHint = "json", DescriptionZh = "工单涉及的 {hosts: [...], services: [...]}。")]
        public JsonObject? Affected { get; init; }

        [Input(Description = "Free fields kept with the ticket (risk, window, alert fingerprint...).", UiHint = "json", DescriptionZh = "随工单保存的自定义字段（风险、窗口、告警指纹……）。")]
        public JsonObject? Fields { get; init; }
    }

    protected override Task<JsonNode?> ExecuteAsync(Inputs inputs, ExecutorContext context, CancellationToken cancellationToken) =>
        TicketSteps.Run<JsonNode?>(Type, async () =>
        {
            var draft = TicketInput.ReadNew(inputs.Type, inputs.Title, inputs.Description, inputs.Impact, inputs.Urgency,
                inputs.Requester, inputs.Assignee, inputs.Group, inputs.Affected, inputs.Fields);
            var (detail, created) = await tickets.CreateAsync(draft, TicketSteps.Actor(context), context.InstanceId, context.ElementId, cancellationToken);
            var output = TicketSteps.Output(detail.Ticket);
            output["created"] = created;
            return output;
        });
}
