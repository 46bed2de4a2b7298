using System.Text.Json.Nodes;
using WeOps.Engine.Execution;
using WeOps.Engine.Expressions;
using WeOps.Engine.Model;

namespace WeOps.Engine.Tests.Approvals;

/// <summary>The approval policy in the pure interpreter: decisions fold into an outcome, which lands in
/// <c>approval</c> and picks the path; expiry and reminders fire from the task's own timers.</summary>
public sealed class ApprovalPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly Interpreter interpreter = new(new ExpressionEvaluator());

    private StepResult Start(ProcessGraph graph, JsonObject? variables = null, string? startedBy = "rita") =>
        interpreter.Start(graph, new StartRequest("i-1") { Variables = variables ?? new JsonObject { ["ticket"] = "CHG-7" }, StartedBy = startedBy }, Now);

    private StepResult Decide(ProcessGraph graph, InstanceState state, string seat, string approver, string decision, string? comment = null) =>
        interpreter.Handle(graph, state, new ApprovalDecided(Task(state).Id, seat, approver, decision, comment, ApprovalChannels.Link), Now.AddMinutes(5));

    private static UserTaskWait Task(InstanceState state) => state.Waits.OfType<UserTaskWait>().Single(w => w.ElementId == "approve");

    private static string? Outcome(InstanceState state) => (string?)state.Variables["approval"]!["outcome"];

    private static string At(InstanceState state) =>
        state.Waits.OfType<UserTaskWait>().SingleOrDefault()?.ElementId ?? $"nowhere: {state.Status} {string.Join("; ", state.Incidents.Select(i => i.Message))}";

    [Theory]
    [InlineData(ApprovalPolicy.Any, 0, 3, 1, 0, "approved")]
    [InlineData(ApprovalPolicy.Any, 0, 3, 0, 2, null)]
    [InlineData(ApprovalPolicy.Any, 0, 3, 0, 3, "rejected")]
    [InlineData(ApprovalPolicy.All, 0, 3, 2, 0, null)]
    [InlineData(ApprovalPolicy.All, 0, 3, 3, 0, "approved")]
    [InlineData(ApprovalPolicy.All, 0, 3, 2, 1, "rejected")]
    [InlineData(ApprovalPolicy.All, 0, 3, 0, 1, "rejected")]
    [InlineData(ApprovalPolicy.Quorum, 2, 3, 1, 1, null)]
    [InlineData(ApprovalPolicy.Quorum, 2, 3, 2, 0, "approved")]
    [InlineData(ApprovalPolicy.Quorum, 2, 3, 0, 2, "rejected")]
    [InlineData(ApprovalPolicy.Quorum, 3, 5, 0, 3, "rejected")]
    [InlineData(ApprovalPolicy.Quorum, 3, 5, 2, 2, null)]
    public void The_policy_settles_as_soon_as_the_outcome_is_certain(ApprovalPolicy policy, int quorum, int seats, int approvals, int rejections, string? expected) =>
        Assert.Equal(expected, ApprovalState.Outcome(policy, quorum, seats, approvals, rejections));

    [Fact]
    public void Opening_the_task_makes_seats_and_asks_for_mail_to_all()
    {
        var graph = ApprovalProcesses.Graph("""<ops:approval approvers="alice, group:cab, ${approvers}" title="Change ${ticket}" show="ticket"/>""");
        var result = Start(graph, new JsonObject { ["ticket"] = "CHG-7", ["approvers"] = new JsonArray("bob", "group:dba", "alice") });

        var approval = Task(result.State).Approval!;
        Assert.Equal(["user:alice", "group:cab", "user:bob", "group:dba"], approval.Seats);
        Assert.Equal("Change CHG-7", approval.Title);
        Assert.Equal("CHG-7", (string?)approval.Fields["ticket"]);
        Assert.Equal("rita", approval.Requester);
        var mail = Assert.IsType<ApprovalMailRequested>(Assert.Single(result.Events));
        Assert.Equal(approval.Seats, mail.Seats);
        Assert.Null(Outcome(result.State));
    }

    [Fact]
    public void All_two_approvals_take_the_approved_path_and_every_decision_is_kept()
    {
        var graph = ApprovalProcesses.Graph("""<ops:approval approvers="alice, bob" policy="all"/>""");
        var first = Decide(graph, Start(graph).State, "user:alice", "alice", "approve", "fine by me");

        Assert.Null(first.Ignored);
        Assert.Equal("approve", At(first.State));
        Assert.Equal(["user:bob"], Assert.Single(first.Updated.OfType<UserTaskWait>()).Approval!.UndecidedSeats);
        Assert.Contains(first.History, h => h is { Kind: HistoryKind.ApprovalDecided, Actor: "alice" } && h.Detail!.Contains("fine by me", StringComparison.Ordinal));

        var second = Decide(graph, first.State, "user:bob", "bob", "approve");

        Assert.Equal("deploy", At(second.State));
        Assert.Equal("approved", Outcome(second.State));
        var decisions = second.State.Variables["approval"]!["decisions"]!.AsArray();
        Assert.Equal(["alice", "bob"], decisions.Select(d => (string?)d!["approver"]));
        Assert.Equal("link", (string?)decisions[0]!["channel"]);
        Assert.Contains(second.History, h => h is { Kind: HistoryKind.Completed, ElementId: "approve", Actor: "bob" });
    }

    [Fact]
    public void All_one_rejection_rejects_at_once()
    {
        var graph = ApprovalProcesses.Graph("""<ops:approval approvers="alice, bob, carol"/>""");
        var result = Decide(graph, Start(graph).State, "user:bob", "bob", "reject", "not this week");

        Assert.Equal("refuse", At(result.State));
        Assert.Equal("rejected", Outcome(result.State));
    }

    [Fact]
    public void Any_rejects_only_when_everyone_rejected()
    {
        var graph = ApprovalProcesses.Graph("""<ops:approval approvers="alice, bob" policy="any"/>""");
        var one = Decide(graph, Start(graph).State, "user:alice", "alice", "reject");
        Assert.Equal("approve", At(one.State));

        var both = Decide(graph, one.State, "user:bob", "bob", "reject");
        Assert.Equal("refuse", At(both.State));

        var approved = Decide(graph, one.State, "user:bob", "bob", "approve");
        Assert.Equal("deploy", At(approved.State));
    }

    [Fact]
    public void Quorum_two_of_three()
    {
        var graph = ApprovalProcesses.Graph("""<ops:approval approvers="alice, bob, carol" policy="quorum" quorum="2"/>""");
        var state = Start(graph).State;
        state = Decide(graph, state, "user:alice", "alice", "approve").State;
        state = Decide(graph, state, "user:bob", "bob", "reject").State;
        Assert.Equal("approve", At(state));

        Assert.Equal("deploy", At(Decide(graph, state, "user:carol", "carol", "approve").State));
        Assert.Equal("refuse", At(Decide(graph, state, "user:carol", "carol", "reject").State));
    }

    [Fact]
    public void A_seat_decides_once_and_strangers_not_at_all()
    {
        var graph = ApprovalProcesses.Graph("""<ops:approval approvers="alice, group:cab"/>""");
        var state = Decide(graph, Start(graph).State, "group:cab", "carl", "approve").State;

        Assert.Contains("already decided (approve by carl)", Decide(graph, state, "group:cab", "cora", "reject").Ignored, StringComparison.Ordinal);
        Assert.Contains("not an approver", Decide(graph, state, "user:mallory", "mallory", "approve").Ignored, StringComparison.Ordinal);
        Assert.Contains("not a decision", Decide(graph, state, "user:alice", "alice", "maybe").Ignored, StringComparison.Ordinal);
    }

    [Fact]
    public void The_requester_is_no_approver_unless_allowed()
    {
        var graph = ApprovalProcesses.Graph("""<ops:approval approvers="alice, bob, group:cab"/>""");
        var state = Start(graph, new JsonObject { ["requester"] = new JsonObject { ["username"] = "alice", ["manager"] = "bob" } }).State;

        Assert.Equal(["user:bob", "group:cab"], Task(state).Approval!.Seats);
        Assert.Contains("requested this", Decide(graph, state, "group:cab", "alice", "approve").Ignored, StringComparison.Ordinal);

        var allowed = ApprovalProcesses.Graph("""<ops:approval approvers="alice, ${requester.manager}" requesterMayApprove="true"/>""");
        var open = Start(allowed, new JsonObject { ["requester"] = new JsonObject { ["username"] = "alice", ["manager"] = "bob" } }).State;
        Assert.Equal(["user:alice", "user:bob"], Task(open).Approval!.Seats);
    }

    [Fact]
    public void Who_started_the_request_cannot_approve_it_by_naming_somebody_else_as_requester()
    {
        var graph = ApprovalProcesses.Graph("""<ops:approval approvers="alice, bob, group:cab"/>""");
        var state = Start(graph, new JsonObject { ["requester"] = "alice" }, startedBy: "bob").State;

        Assert.Equal(["group:cab"], Task(state).Approval!.Seats);
        Assert.Contains("bob started this", Decide(graph, state, "group:cab", "bob", "approve").Ignored, StringComparison.Ordinal);
        Assert.Contains("alice requested this", Decide(graph, state, "group:cab", "alice", "approve").Ignored, StringComparison.Ordinal);
        Assert.Null(Decide(graph, state, "group:cab", "carl", "approve").Ignored);
    }

    [Fact]
    public void No_approver_left_is_an_incident_not_a_task_nobody_can_decide()
    {
        var graph = ApprovalProcesses.Graph("""<ops:approval approvers="${approvers}"/>""");
        var result = Start(graph, new JsonObject { ["approvers"] = new JsonArray() });

        Assert.Equal(InstanceStatus.Faulted, result.State.Status);
        Assert.Contains("no approver", Assert.Single(result.State.Incidents).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_approval_is_not_completed_like_a_plain_task()
    {
        var graph = ApprovalProcesses.Graph("""<ops:approval approvers="alice"/>""");
        var state = Start(graph).State;

        var result = interpreter.Handle(graph, state, new UserTaskCompleted(Task(state).Id, new JsonObject { ["outcome"] = "approved" }), Now);

        Assert.Contains("is an approval", result.Ignored, StringComparison.Ordinal);
    }

    [Fact]
    public void Expiry_on_the_fake_clock_fires_the_outcome_once()
    {
        var graph = ApprovalProcesses.Graph("""<ops:approval approvers="alice, bob" expiry="P2D" onExpiry="reject"/>""");
        var state = Decide(graph, Start(graph).State, "user:alice", "alice", "approve").State;
        var expiry = state.Waits.OfType<TimerWait>().Single(t => t.Approval == ApprovalTimer.Expiry);
        Assert.Equal(Now.AddDays(2), expiry.DueAt);

        var fired = interpreter.Handle(graph, state, new TimerFired(expiry.Id, "node-1"), expiry.DueAt);

        Assert.Equal("refuse", At(fired.State));
        Assert.Equal("rejected", Outcome(fired.State));
        Assert.True((bool)fired.State.Variables["approval"]!["expired"]!);
        Assert.Single(fired.History, h => h.Kind == HistoryKind.ApprovalExpired);
        Assert.NotNull(interpreter.Handle(graph, fired.State, new TimerFired(expiry.Id, "node-2"), expiry.DueAt).Ignored);
        Assert.DoesNotContain(fired.State.Waits, w => w is TimerWait);
    }

    [Fact]
    public void Expiry_may_approve()
    {
        var graph = ApprovalProcesses.Graph("""<ops:approval approvers="alice" expiry="PT1H" onExpiry="approve"/>""");
        var state = Start(graph).State;
        var expiry = state.Waits.OfType<TimerWait>().Single();

        Assert.Equal("deploy", At(interpreter.Handle(graph, state, new TimerFired(expiry.Id), Now.AddHours(1)).State));
    }

    [Fact]
    public void Reminders_go_to_who_has_not_decided_until_the_expiry()
    {
        var graph = ApprovalProcesses.Graph("""<ops:approval approvers="alice, bob" expiry="PT10H" remind="PT4H"/>""");
        var state = Decide(graph, Start(graph).State, "user:alice", "alice", "approve").State;

        var first = state.Waits.OfType<TimerWait>().Single(t => t.Approval == ApprovalTimer.Reminder);
        var reminded = interpreter.Handle(graph, state, new TimerFired(first.Id), Now.AddHours(4));
        Assert.Equal(["user:bob"], Assert.IsType<ApprovalMailRequested>(Assert.Single(reminded.Events)).Seats);
        Assert.Equal("approve", At(reminded.State));

        var second = reminded.State.Waits.OfType<TimerWait>().Single(t => t.Approval == ApprovalTimer.Reminder);
        var last = interpreter.Handle(graph, reminded.State, new TimerFired(second.Id), Now.AddHours(8));
        Assert.DoesNotContain(last.State.Waits, t => t is TimerWait { Approval: ApprovalTimer.Reminder });
    }

    [Fact]
    public void Escalation_is_the_boundary_timer_path()
    {
        var graph = ApprovalProcesses.Graph("""<ops:approval approvers="alice" onExpiry="escalate"/>""", """
            <bpmn:boundaryEvent id="late" attachedToRef="approve"><bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
            <bpmn:sequenceFlow id="f9" sourceRef="late" targetRef="escalated" />
            <bpmn:userTask id="escalated" />
            <bpmn:sequenceFlow id="f10" sourceRef="escalated" targetRef="refused" />
            """);
        var state = Start(graph).State;
        var boundary = state.Waits.OfType<TimerWait>().Single();
        Assert.Null(boundary.Approval);

        var fired = interpreter.Handle(graph, state, new TimerFired(boundary.Id), Now.AddDays(1));

        Assert.Equal("escalated", At(fired.State));
    }

    [Fact]
    public void Reassigning_a_seat_mails_the_new_approver_and_the_old_one_cannot_decide()
    {
        var graph = ApprovalProcesses.Graph("""<ops:approval approvers="alice, bob"/>""");
        var state = Start(graph).State;

        var moved = interpreter.Handle(graph, state, new TaskReassigned(Task(state).Id, "user:bob", "dora", "bob", Delegated: true), Now);

        Assert.Equal(["user:alice", "user:dora"], Task(moved.State).Approval!.Seats);
        Assert.Equal(["user:dora"], Assert.IsType<ApprovalMailRequested>(Assert.Single(moved.Events)).Seats);
        Assert.Contains(moved.History, h => h.Kind == HistoryKind.TaskReassigned && h.Detail!.Contains("delegated", StringComparison.Ordinal));
        Assert.NotNull(Decide(graph, moved.State, "user:bob", "bob", "approve").Ignored);
    }

    [Fact]
    public void The_approval_state_survives_the_json_round_trip()
    {
        var graph = ApprovalProcesses.Graph("""<ops:approval approvers="alice, bob" expiry="P1D"/>""");
        var state = Decide(graph, Start(graph).State, "user:alice", "alice", "approve", "ok").State;

        var copy = state.Clone();

        Assert.Equal(Task(state).Approval!.Decisions, Task(copy).Approval!.Decisions);
        Assert.Equal(Task(state).Approval!.Seats, Task(copy).Approval!.Seats);
        Assert.Equal(ApprovalTimer.Expiry, copy.Waits.OfType<TimerWait>().Single().Approval);
    }
}
