using System.Text.Json.Nodes;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Tickets;

/// <summary>Adds a comment to a ticket's timeline. A re-run of the step does not add the same comment
/// twice: the step is the comment's author, and its last comment is compared.</summary>
[Executor("ticket.comment", DisplayName = "Comment on ticket", Category = "Tickets",
    DisplayNameZh = "评论工单", Summary = "Adds a comment to a ticket, such as what a step did.",
    SummaryZh = "给工单添加评论，例如记录自动步骤做了什么。",
    DescriptionZh = "给工单添加一条评论（自动步骤做了什么、它的输出、一个决定）。",
    Description = "Adds a comment to a ticket (what an automatic step did, its output, a decision).")]
[Output("number", Type = "string")]
[Output("state", Type = "string")]
[Output("comments", Type = "integer", Description = "How many comments the ticket has now.")]
public sealed class TicketCommentExecutor(TicketStore tickets) : Executor<TicketCommentExecutor.Inputs>
{
    private const string Type = "ticket.comment";

    public sealed record Inputs
    {
        [Input(Description = "The ticket number, e.g. INC-000123.", Required = true, DescriptionZh = "工单号，例如 INC-000123。")]
        public string? Number { get; init; }

        [Input(Description = "The comment.", Required = true, UiHint = "multiline", DescriptionZh = "评论内容。")]
        public string? Text { get; init; }
    }

    protected override Task<JsonNode?> ExecuteAsync(Inputs inputs, ExecutorContext context, CancellationToken cancellationToken) =>
        TicketSteps.Run<JsonNode?>(Type, async () =>
        {
            var number = inputs.Number?.Trim() ?? "";
            var text = TicketInput.Comment(inputs.Text);
            var actor = TicketSteps.Actor(context);
            var detail = await tickets.GetAsync(number, cancellationToken) ?? throw new TicketNotFoundException(number);
            if (detail.Comments.LastOrDefault(c => c.Actor == actor)?.Text != text)
                detail = await tickets.CommentAsync(number, text, actor, cancellationToken);
            return new JsonObject { ["number"] = number, ["state"] = detail.Ticket.State, ["comments"] = detail.Comments.Count };
        });
}
