using WeOps.Engine.Expressions;
using WeOps.Engine.Model;

namespace WeOps.Engine.Validation;

/// <summary>Approval tasks: someone to decide, a quorum that can be reached, an expiry that has somewhere to go.</summary>
internal static class ApprovalRules
{
    public static void Check(ProcessCheck check)
    {
        foreach (var task in check.Nodes.OfType<TaskNode>())
        {
            if (task.UserTask?.Approval is not { } approval) continue;
            if (approval.Approvers.Count == 0)
                check.Error(task, $"{task.DisplayName}: ops:approval names no approvers: list users, group:name entries or an expression in approvers.");

            foreach (var entry in approval.Approvers.Where(ExpressionEvaluator.IsTemplate))
                check.CheckTemplate(task, "approvers entry", entry);
            if (approval.Title is not null) check.CheckTemplate(task, "approval title", approval.Title);
            foreach (var show in approval.Show)
                check.CheckExpression(task, "approval show field", show);

            // Only a list without expressions has a known size; a group is one seat.
            var literal = approval.Approvers.All(a => !ExpressionEvaluator.IsTemplate(a));
            if (approval.Policy == ApprovalPolicy.Quorum && literal && approval.Quorum > approval.Approvers.Distinct().Count())
                check.Error(task, $"{task.DisplayName}: ops:approval needs a quorum of {approval.Quorum} but lists only {approval.Approvers.Distinct().Count()} approvers.");

            var timerBoundary = check.Process.BoundaryEventsOf(task).Any(b => b.Definition is TimerEventDefinition && b.CancelActivity);
            if (approval.OnExpiry == ApprovalExpiryOutcome.Escalate)
            {
                if (approval.Expiry is not null)
                    check.Error(task, $"{task.DisplayName}: onExpiry=\"escalate\" leaves the expiry to an interrupting timer boundary event; remove expiry and draw the timer on the task.");
                if (!timerBoundary)
                    check.Error(task, $"{task.DisplayName}: onExpiry=\"escalate\" needs an interrupting timer boundary event on the task: its path is the escalation.");
            }

            if (approval.Remind is { } remind && approval.Expiry is { } expiry && remind >= expiry)
                check.Warning(task, $"{task.DisplayName}: remind ({remind}) is not shorter than expiry ({expiry}), so no reminder is ever sent.");
        }
    }
}
