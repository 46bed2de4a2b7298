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
                check.Error(task, ProblemCodes.ApprovalNoApprovers);

            foreach (var entry in approval.Approvers.Where(ExpressionEvaluator.IsTemplate))
                check.CheckTemplate(task, "approvers", entry);
            if (approval.Title is not null) check.CheckTemplate(task, "approval title", approval.Title);
            foreach (var show in approval.Show)
                check.CheckExpression(task, "field shown to approvers", show);

            // Only a list without expressions has a known size; a group is one seat.
            var literal = approval.Approvers.All(a => !ExpressionEvaluator.IsTemplate(a));
            if (approval.Policy == ApprovalPolicy.Quorum && literal && approval.Quorum > approval.Approvers.Distinct().Count())
                check.Error(task, ProblemCodes.ApprovalQuorumTooHigh, ("quorum", approval.Quorum), ("count", approval.Approvers.Distinct().Count()));

            var timerBoundary = check.Process.BoundaryEventsOf(task).Any(b => b.Definition is TimerEventDefinition && b.CancelActivity);
            if (approval.OnExpiry == ApprovalExpiryOutcome.Escalate)
            {
                if (approval.Expiry is not null)
                    check.Error(task, ProblemCodes.ApprovalEscalateWithExpiry);
                if (!timerBoundary)
                    check.Error(task, ProblemCodes.ApprovalEscalateNeedsTimer);
            }

            if (approval.Remind is { } remind && approval.Expiry is { } expiry && remind >= expiry)
                check.Warning(task, ProblemCodes.ApprovalReminderTooLate, ("remind", System.Xml.XmlConvert.ToString(remind)), ("expiry", System.Xml.XmlConvert.ToString(expiry)));
        }
    }
}
