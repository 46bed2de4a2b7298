using System.Text.Json.Nodes;
using WeOps.Engine.Approvals;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Users;

/// <summary>Reads a group's members from the user directory, so an approval can seat each of them:
/// <c>approvers="${cab}"</c> with policy <c>all</c> needs every member, where <c>group:cab</c> is one seat any
/// member fills.</summary>
[Executor("directory.members", DisplayName = "Group members", Category = "Directory",
    DisplayNameZh = "组成员", Summary = "Looks up the usernames of a group's members in the user directory.",
    SummaryZh = "从用户目录查询某个组的成员用户名。",
    DescriptionZh = "从用户目录（/api/users）读取某个组成员的用户名，例如需要全部 CAB 成员审批时。成员少于 'minimum' 时抛出 BPMN 错误 GROUP_TOO_SMALL。",
    Description = "The usernames of a group's members from the user directory (/api/users), e.g. every CAB member for an approval that needs all of them. "
        + "Fewer members than 'minimum' is the BPMN error GROUP_TOO_SMALL.")]
[Output("members", Type = "array", Description = "Usernames, in name order.")]
[Output("count", Type = "integer")]
public sealed class GroupMembersExecutor(UserDirectory directory) : Executor<GroupMembersExecutor.Inputs>
{
    public const string TooSmall = "GROUP_TOO_SMALL";
    private const int MaxGroupName = 200;

    public sealed record Inputs
    {
        [Input(Description = "The group's name, e.g. cab.", Required = true, DescriptionZh = "组名，例如 cab。")]
        public string? Group { get; init; }

        [Input(Description = "The fewest members the step accepts (default 1): an empty group would make an approval nobody can decide.", Default = "1", DescriptionZh = "步骤接受的最少成员数（默认 1）：空组会让审批无人能决定。")]
        public int? Minimum { get; init; }
    }

    protected override async Task<JsonNode?> ExecuteAsync(Inputs inputs, ExecutorContext context, CancellationToken cancellationToken)
    {
        var group = inputs.Group?.Trim() ?? "";
        if (group.Length is 0 or > MaxGroupName || group.Any(c => char.IsControl(c) || c == ','))
            throw new ExecutorInputException($"directory.members: input 'group' must be a group name of 1 to {MaxGroupName} characters without commas.");
        var minimum = inputs.Minimum ?? 1;
        if (minimum < 0)
            throw new ExecutorInputException("directory.members: input 'minimum' must be 0 or more.");

        var members = await directory.MembersOfAsync(group, cancellationToken);
        if (members.Count < minimum)
            throw new BpmnErrorException(TooSmall, $"Group '{group}' has {members.Count} member(s); at least {minimum} needed. Add members with PUT /api/users/{{username}}.");
        return new JsonObject { ["members"] = new JsonArray([.. members.Select(m => (JsonNode)m)]), ["count"] = members.Count };
    }
}
