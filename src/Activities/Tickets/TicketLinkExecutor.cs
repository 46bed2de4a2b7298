using System.Text.Json.Nodes;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Tickets;

/// <summary>Links two tickets: incident and problem, incident or problem and the change that fixes it,
/// change and release. Linking again changes nothing.</summary>
[Executor("ticket.link", DisplayName = "Link tickets", Category = "Tickets",
    DisplayNameZh = "关联工单", Summary = "Links a ticket to another, e.g. an incident to its problem.",
    SummaryZh = "把工单与另一张工单关联，例如事件关联到问题。",
    DescriptionZh = "关联两张工单：事件 <-> 问题（causedBy）、事件 -> 变更（fixedBy、causedBy）、问题 -> 变更（fixedBy）、变更 <-> 发布（partOf）。",
    Description = "Links a ticket to another: incident <-> problem (causedBy), incident -> change (fixedBy, causedBy), problem -> change (fixedBy), change <-> release (partOf).")]
[Output("number", Type = "string")]
[Output("links", Type = "array", Description = "The ticket's links: number, type, kind, direction (out/in).")]
public sealed class TicketLinkExecutor(TicketStore tickets) : Executor<TicketLinkExecutor.Inputs>
{
    private const string Type = "ticket.link";

    public sealed record Inputs
    {
        [Input(Description = "The ticket number, e.g. INC-000123.", Required = true, DescriptionZh = "工单号，例如 INC-000123。")]
        public string? Number { get; init; }

        [Input(Description = "The ticket to link it to, e.g. PRB-000007.", Required = true, DescriptionZh = "要关联的工单，例如 PRB-000007。")]
        public string? To { get; init; }

        [Input(Description = "The kind of link; default the first one the pair allows.", DescriptionZh = "关联方式；默认取这两类工单允许的第一种。")]
        public string? Kind { get; init; }
    }

    protected override Task<JsonNode?> ExecuteAsync(Inputs inputs, ExecutorContext context, CancellationToken cancellationToken) =>
        TicketSteps.Run<JsonNode?>(Type, async () =>
        {
            var number = inputs.Number?.Trim() ?? "";
            var detail = await tickets.LinkAsync(number, inputs.To?.Trim() ?? "", inputs.Kind, TicketSteps.Actor(context), cancellationToken);
            return new JsonObject
            {
                ["number"] = number,
                ["links"] = new JsonArray([.. detail.Links.Select(l => (JsonNode)new JsonObject
                {
                    ["number"] = l.Number,
                    ["type"] = l.Type,
                    ["kind"] = l.Kind,
                    ["direction"] = l.Direction,
                })]),
            };
        });
}
