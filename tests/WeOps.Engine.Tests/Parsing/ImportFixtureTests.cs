using WeOps.Engine.Model;
using WeOps.Engine.Validation;
using WeOps.Engine.Tests.Validation;

namespace WeOps.Engine.Tests.Parsing;

/// <summary>Files as Camunda Modeler, bpmn.io and our designer write them: they import without
/// exception, and exactly the expected problems are reported.</summary>
public sealed class ImportFixtureTests
{
    [Fact]
    public void Camunda_modeler_collaboration_reads_both_pools_and_reports_what_needs_ops_settings()
    {
        var document = Validate.Fixture("import", "camunda-modeler-5-incident-collaboration.bpmn");

        Assert.Equal(["Process_IncidentHandling", "Process_Reporter"], document.Processes.Select(p => p.Key));
        Assert.Equal(
            [
                "Activity_0pq8yv1 Error", // external task (camunda:topic): no ops:task
                "Activity_0wz1f7s Error", // camunda:class: no ops:task
                "Activity_1dhl5xr Warning", // camunda:formKey: a form outside the file
                "Activity_1h0m6zc Error", // camunda:expression: no ops:task
                // The reporter's pool is not executable: drawn, not validated.
            ],
            Validate.Keys(document with { Problems = [.. document.Problems.Where(p => !p.Code.StartsWith("vendor.", StringComparison.Ordinal))] }));
        Assert.Equal(
            [
                "Process_IncidentHandling camunda:historyTimeToLive", "Activity_1dhl5xr <camunda:taskListener>", "Activity_0pq8yv1 camunda:type",
                "Activity_0pq8yv1 camunda:topic", "Activity_0wz1f7s camunda:class", "Activity_1h0m6zc camunda:expression", "Event_1c0x9ke camunda:class",
            ],
            document.Problems.Where(p => p.Code == ProblemCodes.VendorSettingIgnored.Code).Select(p => $"{p.ElementId} {p.Args["setting"]}"));
        Assert.All(document.Problems.Where(p => p.Severity == Severity.Error),
            p => Assert.Equal(ProblemCodes.ServiceNoType.Code, p.Code));
    }

    [Fact]
    public void Camunda_attributes_carry_over_to_the_model()
    {
        var process = Validate.Fixture("import", "camunda-modeler-5-incident-collaboration.bpmn").Processes[0];

        var triage = Assert.IsType<TaskNode>(process.Node("Activity_1dhl5xr")).UserTask!;
        Assert.Equal(("${reporterManager}", "embedded:app:forms/triage.html"), (triage.Assignee, triage.FormKey));
        Assert.Equal(["servicedesk", "first-level"], triage.CandidateGroups);
        Assert.Equal("summary", Assert.IsType<TaskNode>(process.Node("Activity_0b3s7kq")).ResultVariable);
        var loop = Assert.IsType<TaskNode>(process.Node("Activity_1h0m6zc")).Loop!;
        Assert.Equal(("${stakeholders}", "stakeholder"), (loop.Collection, loop.ElementVariable));
        Assert.Equal(new MessageEventDefinition("incident-reported", null), Assert.IsType<StartEvent>(process.Node("StartEvent_1")).Definition);
        var sla = Assert.IsType<BoundaryEvent>(process.Node("Event_0r3fq9l"));
        Assert.Equal((false, new TimerEventDefinition(TimerKind.Duration, "PT4H")), (sla.CancelActivity, sla.Definition));
        Assert.Equal("Flow_0g1z7yd", Assert.IsType<Gateway>(process.Node("Gateway_0tq6vnd")).DefaultFlowId);
    }

    [Fact]
    public void Bpmn_io_demo_file_is_read_though_not_executable_and_its_open_decisions_are_reported()
    {
        var document = Validate.Fixture("import", "bpmn-io-demo-change-request.bpmn");

        var process = Assert.Single(document.Processes);
        Assert.False(process.IsExecutable);
        Assert.Equal(6, process.Nodes.Count());
        Assert.Equal(
            [
                "Activity_0q8m3zt Warning", // assess → decide → rework → assess never waits
                "Flow_0zq8b3e Error", // "yes" has no condition
                "Flow_1b7n4ka Error", // "no" has no condition
            ],
            Validate.Keys(document));
        Assert.Equal(ProblemCodes.LoopWithoutWait.Code, Assert.Single(document.Problems, p => p.ElementId == "Activity_0q8m3zt").Code);
    }

    [Fact]
    public void Unsupported_elements_are_listed_exactly()
    {
        var document = Validate.Fixture("import", "unsupported-compensation-escalation-link-complex.bpmn");

        Assert.Equal(
            [
                "Activity_CancelHotel",
                "Event_CompensateHotel",
                "Event_EscalateBudget",
                "Event_LinkFromBooking",
                "Event_LinkToPayment",
                "Event_UndoBookings",
                "Gateway_BudgetCheck",
            ],
            document.Problems.Select(p => p.ElementId!).Order(StringComparer.Ordinal));
        Assert.All(document.Problems, p => Assert.Equal(Severity.Error, p.Severity));
        Assert.All(document.Problems, p => Assert.Contains("not supported", p.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Zeebe_extensions_are_each_a_warning_and_the_tasks_ask_for_ops_settings()
    {
        var document = Validate.Fixture("import", "camunda-modeler-5-zeebe-release.bpmn");

        Assert.Equal(["Activity_0d4zq8m Error", "Activity_1r2e7gx Error", "Activity_1u8c6sz Warning", "Event_1p7g0kd Warning"],
            Validate.Keys(document with { Problems = [.. document.Problems.Where(p => !p.Code.StartsWith("vendor.", StringComparison.Ordinal))] }));
        Assert.Equal(
            [
                "Activity_0d4zq8m <zeebe:taskDefinition>", "Activity_0d4zq8m <zeebe:ioMapping>", "Activity_0d4zq8m <zeebe:taskHeaders>",
                "Activity_1u8c6sz <zeebe:assignmentDefinition>", "Activity_1r2e7gx <zeebe:taskDefinition>",
            ],
            document.Problems.Where(p => p.Code == ProblemCodes.VendorSettingIgnored.Code).Select(p => $"{p.ElementId} {p.Args["setting"]}"));
        Assert.Single(document.Problems, p => p.ElementId == "Activity_1u8c6sz" && p.Message.Contains("zeebe:formDefinition", StringComparison.Ordinal));
        Validate.Single(document, "Event_1p7g0kd", Severity.Warning, ProblemCodes.MessageNoCorrelation);
    }

    [Fact]
    public void Runbook_from_our_designer_has_no_problems_and_every_setting_is_read()
    {
        var document = Validate.Fixture("import", "weops-designer-disk-full-runbook.bpmn");

        Validate.NoProblems(document);
        var process = Assert.Single(document.Processes);
        Assert.Equal(new TaskDefinition("noop", 2, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10)), Assert.IsType<TaskNode>(process.Node("MeasureUsage")).Task);
        Assert.Equal(["HostUnreachable"], Assert.IsType<TaskNode>(process.Node("MeasureUsage")).BoundaryEventIds);
        Assert.Equal("${hosts}", Assert.IsType<TaskNode>(process.Node("CleanTempFiles")).Loop!.Collection);
        Assert.Equal("RotateLogs", process.Node("RunLogrotate").ScopeId);
        Assert.Equal("open-ticket", Assert.IsType<CallActivity>(process.Node("OpenTicket")).CalledProcessKey);
        Assert.Equal(new MessageEventDefinition("alert-acknowledged", "${alert.fingerprint}"), Assert.IsType<TaskNode>(process.Node("WaitForAck")).Message);
        Assert.Equal(new SignalEventDefinition("disk-cleaned"), Assert.IsType<IntermediateThrowEvent>(process.Node("AnnounceCleaned")).Definition);
    }
}
