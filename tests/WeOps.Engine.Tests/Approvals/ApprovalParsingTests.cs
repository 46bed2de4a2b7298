using WeOps.Engine.Executors;
using WeOps.Engine.Expressions;
using WeOps.Engine.Model;
using WeOps.Engine.Parsing;
using WeOps.Engine.Validation;

namespace WeOps.Engine.Tests.Approvals;

/// <summary>ops:approval read into the model, and the problems a designer gets for what cannot work.</summary>
public sealed class ApprovalParsingTests
{
    private static readonly ProcessValidator Validator = new(new ExecutorCatalog([new NoopExecutor()]), new ExpressionEvaluator());

    private static IReadOnlyList<ValidationProblem> Problems(string approval, string extra = "") =>
        Validator.Validate(BpmnParser.Parse(ApprovalProcesses.Xml(approval, extra))).Problems;

    [Fact]
    public void Every_attribute_is_read()
    {
        var graph = ApprovalProcesses.Graph("""
            <ops:approval approvers="alice, group:cab, ${requester.manager}" policy="quorum" quorum="2" expiry="P2D" onExpiry="approve"
                          remind="PT4H" requesterMayApprove="true" title="Change ${ticket}" show="ticket, risk"/>
            """);

        var approval = ((TaskNode)graph.Node("approve")).UserTask!.Approval!;
        Assert.Equal(["alice", "group:cab", "${requester.manager}"], approval.Approvers);
        Assert.Equal((ApprovalPolicy.Quorum, 2), (approval.Policy, approval.Quorum));
        Assert.Equal((TimeSpan.FromDays(2), ApprovalExpiryOutcome.Approve, TimeSpan.FromHours(4)), (approval.Expiry, approval.OnExpiry, approval.Remind));
        Assert.True(approval.RequesterMayApprove);
        Assert.Equal("Change ${ticket}", approval.Title);
        Assert.Equal(["ticket", "risk"], approval.Show);
    }

    [Fact]
    public void Defaults_are_all_reject_and_the_requester_may_not_approve()
    {
        var approval = ((TaskNode)ApprovalProcesses.Graph("""<ops:approval approvers="alice"/>""").Node("approve")).UserTask!.Approval!;

        Assert.Equal((ApprovalPolicy.All, ApprovalExpiryOutcome.Reject, false, (TimeSpan?)null), (approval.Policy, approval.OnExpiry, approval.RequesterMayApprove, approval.Expiry));
        Assert.Empty(Problems("""<ops:approval approvers="alice"/>"""));
    }

    [Theory]
    [InlineData("""<ops:approval approvers="a" policy="most"/>""", "policy=\"most\" is not one of any, all, quorum")]
    [InlineData("""<ops:approval approvers="a" policy="1"/>""", "policy=\"1\" is not one of any, all, quorum")]
    [InlineData("""<ops:approval approvers="a,b" policy="quorum"/>""", "needs quorum=\"n\"")]
    [InlineData("""<ops:approval approvers="a,b" policy="quorum" quorum="zero"/>""", "quorum=\"zero\" is not a whole number")]
    [InlineData("""<ops:approval approvers="a,b" policy="quorum" quorum="-1"/>""", "quorum=\"-1\" is not a whole number")]
    [InlineData("""<ops:approval approvers="a,b" policy="quorum" quorum="3"/>""", "approval.quorum-too-high")]
    [InlineData("""<ops:approval approvers="a" expiry="two days"/>""", "expiry=\"two days\" is not an ISO 8601 duration")]
    [InlineData("""<ops:approval approvers="a" expiry="PT0S"/>""", "expiry must be longer than zero")]
    [InlineData("""<ops:approval approvers="a" remind="soon"/>""", "remind=\"soon\" is not an ISO 8601 duration")]
    [InlineData("""<ops:approval approvers="a" onExpiry="ignore"/>""", "onExpiry=\"ignore\" is not one of reject, approve, escalate")]
    [InlineData("""<ops:approval approvers="a" requesterMayApprove="maybe"/>""", "requesterMayApprove=\"maybe\" is not true or false")]
    [InlineData("""<ops:approval approvers=""/>""", "approval.no-approvers")]
    [InlineData("""<ops:approval approvers="${requester.}"/>""", "template.invalid")]
    [InlineData("""<ops:approval approvers="a" onExpiry="escalate"/>""", "approval.escalate-needs-timer")]
    public void Bad_settings_are_errors_that_name_the_task(string approval, string expected)
    {
        // Problems of reading the file are matched by their text, the validator's by their code.
        var problem = Assert.Single(Problems(approval), p => p.Code == expected
            || (p.Code == ProblemCodes.FileProblem.Code && p.Message.Contains(expected, StringComparison.Ordinal)));

        Assert.Equal(Severity.Error, problem.Severity);
        Assert.Equal("approve", problem.ElementId);
        Assert.NotNull(problem.Line);
    }

    [Fact]
    public void Escalate_is_the_timer_boundary_drawn_on_the_task()
    {
        const string boundary = """
            <bpmn:boundaryEvent id="late" attachedToRef="approve"><bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
            <bpmn:sequenceFlow id="f9" sourceRef="late" targetRef="refuse" />
            """;

        Assert.DoesNotContain(Problems("""<ops:approval approvers="a" onExpiry="escalate"/>""", boundary), p => p.Severity == Severity.Error);
        Assert.Contains(Problems("""<ops:approval approvers="a" onExpiry="escalate" expiry="P1D"/>""", boundary),
            p => p.Code == ProblemCodes.ApprovalEscalateWithExpiry.Code && p.ElementId == "approve");
    }

    [Fact]
    public void An_approval_on_a_service_task_is_an_error()
    {
        var xml = ApprovalProcesses.Xml("""<ops:approval approvers="a"/>""")
            .Replace("""<bpmn:userTask id="deploy" name="Deploy" />""",
                """<bpmn:serviceTask id="deploy"><bpmn:extensionElements><ops:task type="noop"/><ops:approval approvers="a"/></bpmn:extensionElements></bpmn:serviceTask>""",
                StringComparison.Ordinal);

        Assert.Contains(Validator.Validate(BpmnParser.Parse(xml)).Problems, p => p.ElementId == "deploy" && p.Message.Contains("only a user task", StringComparison.Ordinal));
    }

    [Fact]
    public void A_reminder_not_before_the_expiry_is_a_warning()
    {
        var problem = Assert.Single(Problems("""<ops:approval approvers="a" expiry="PT4H" remind="PT4H"/>"""));

        Assert.Equal(Severity.Warning, problem.Severity);
    }
}
