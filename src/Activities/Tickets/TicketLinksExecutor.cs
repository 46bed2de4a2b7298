using System.Text.Json.Nodes;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Tickets;

/// <summary>Reads the tickets linked to a ticket, so a process can act on each of them: the incidents a
/// problem caused, the changes in a release. Links made by other processes after this one started count.</summary>
[Executor("ticket.links", DisplayName = "Linked tickets", Category = "Tickets",
    DisplayNameZh = "查询关联工单", Summary = "Lists the tickets linked to a ticket.",
    SummaryZh = "列出与某张工单关联的工单。",
    DescriptionZh = "列出与某张工单关联的工单，可只列出某一类型和关联方式的，例如某问题导致的事件（type incident，kind causedBy）。",
    Description = "Lists the tickets linked to a ticket, optionally only those of one type and kind, e.g. the incidents a problem caused (type incident, kind causedBy).")]
[Output("number", Type = "string")]
[Output("numbers", Type = "array", Description = "The linked tickets' numbers: loop over them.")]
[Output("links", Type = "array", Description = "The links: number, type, kind, direction (out/in).")]
[Output("count", Type = "integer")]
public sealed class TicketLinksExecutor(TicketStore tickets) : Executor<TicketLinksExecutor.Inputs>
{
    private const string Type = "ticket.links";

    private static readonly IReadOnlyList<string> Kinds = [.. TicketLinkRules.All.SelectMany(r => r.Kinds).Distinct(StringComparer.Ordinal)];

    public sealed record Inputs
    {
        [Input(Description = "The ticket number, e.g. PRB-000007.", Required = true, DescriptionZh = "工单号，例如 PRB-000007。")]
        public string? Number { get; init; }

        [Input(Description = "Only linked tickets of this type: incident, change, problem or release.", DescriptionZh = "只列出此类型的关联工单：incident、change、problem 或 release。")]
        public string? Type { get; init; }

        [Input(Description = "Only links of this kind: causedBy, fixedBy or partOf.", DescriptionZh = "只列出此关联方式：causedBy、fixedBy 或 partOf。")]
        public string? Kind { get; init; }
    }

    protected override Task<JsonNode?> ExecuteAsync(Inputs inputs, ExecutorContext context, CancellationToken cancellationToken) =>
        TicketSteps.Run<JsonNode?>(Type, async () =>
        {
            var number = inputs.Number?.Trim() ?? "";
            var type = Filter(inputs.Type, "type", TicketStateMachines.Types);
            var kind = Filter(inputs.Kind, "kind", Kinds);
            var detail = await tickets.GetAsync(number, cancellationToken) ?? throw new TicketNotFoundException(number);
            var links = detail.Links.Where(l => (type is null || l.Type == type) && (kind is null || l.Kind == kind)).ToList();
            return new JsonObject
            {
                ["number"] = number,
                ["numbers"] = new JsonArray([.. links.Select(l => (JsonNode)l.Number)]),
                ["links"] = new JsonArray([.. links.Select(l => (JsonNode)new JsonObject
                {
                    ["number"] = l.Number,
                    ["type"] = l.Type,
                    ["kind"] = l.Kind,
                    ["direction"] = l.Direction,
                })]),
                ["count"] = links.Count,
            };
        });

    // A misspelt filter would silently match nothing; it names what it may be instead.
    private static string? Filter(string? value, string field, IReadOnlyList<string> known)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text)) return null;
        return known.Contains(text, StringComparer.Ordinal)
            ? text
            : throw new TicketInputException(field, $"one of {string.Join(", ", known)}.");
    }
}
