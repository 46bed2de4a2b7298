using System.Text;
using WeOps.Engine.Parsing;
using WeOps.Engine.Validation;
using static WeOps.Engine.Tests.Parsing.BpmnText;
using static WeOps.Engine.Tests.Validation.Validate;

namespace WeOps.Engine.Tests.Parsing;

/// <summary>Valid files that modelers write and that were refused before: flows without ids, pools that are only
/// drawn, and files in another encoding than UTF-8.</summary>
public sealed class ImportedFileTests
{
    [Fact]
    public void Sequence_flows_without_an_id_get_one_from_source_and_target_and_nothing_is_reported()
    {
        var document = Body("""
            <bpmn:startEvent id="start"/><bpmn:task id="t"/><bpmn:endEvent id="end"/>
            <bpmn:sequenceFlow sourceRef="start" targetRef="t"/>
            <bpmn:sequenceFlow sourceRef="t" targetRef="end"/>
            <bpmn:sequenceFlow sourceRef="t" targetRef="end"/>
            """);

        NoProblems(document);
        var process = Assert.Single(document.Processes);
        Assert.Equal(["start->t", "t->end", "t->end#2"], process.Flows.Select(f => f.Id));
        Assert.Equal(["t->end", "t->end#2"], process.Node("t").Outgoing);
    }

    [Fact]
    public void Flow_ids_made_for_a_file_are_the_same_each_time_it_is_read()
    {
        var xml = Process("""
            <bpmn:startEvent id="start"/><bpmn:endEvent id="end"/><bpmn:sequenceFlow sourceRef="start" targetRef="end"/>
            """);

        Assert.Equal(BpmnParser.Parse(xml).Processes[0].Flows.Select(f => f.Id), BpmnParser.Parse(xml).Processes[0].Flows.Select(f => f.Id));
    }

    [Fact]
    public void A_pool_marked_not_executable_beside_an_executable_one_is_read_but_not_validated()
    {
        var document = Xml(Definitions("""
            <bpmn:collaboration id="c">
              <bpmn:participant id="p1" processRef="desk"/><bpmn:participant id="p2" processRef="customer"/>
            </bpmn:collaboration>
            <bpmn:process id="desk" isExecutable="true">
              <bpmn:startEvent id="start"/><bpmn:endEvent id="end"/><bpmn:sequenceFlow id="f" sourceRef="start" targetRef="end"/>
            </bpmn:process>
            <bpmn:process id="customer" isExecutable="false">
              <bpmn:startEvent id="c-start"/>
              <bpmn:serviceTask id="c-call" camunda:class="org.example.Phone"/>
              <bpmn:intermediateCatchEvent id="c-wait"><bpmn:messageEventDefinition messageRef="NotDeclared"/></bpmn:intermediateCatchEvent>
              <bpmn:task id="c-lost"><bpmn:extensionElements><ops:typo/></bpmn:extensionElements></bpmn:task>
              <bpmn:sequenceFlow id="c1" sourceRef="c-start" targetRef="c-call"/>
              <bpmn:sequenceFlow id="c2" sourceRef="c-call" targetRef="c-wait"/>
            </bpmn:process>
            """));

        NoProblems(document);
        Assert.Equal(["desk", "customer"], document.Processes.Select(p => p.Key));
        Assert.Equal("desk", document.Main!.Key);
        Assert.Equal(["desk"], document.Runnable.Select(p => p.Key));
    }

    [Fact]
    public void Pools_all_marked_not_executable_are_all_validated_as_before()
    {
        var document = Xml(Definitions("""
            <bpmn:process id="drawn" isExecutable="false">
              <bpmn:startEvent id="start"/><bpmn:serviceTask id="call"/><bpmn:sequenceFlow id="f" sourceRef="start" targetRef="call"/>
            </bpmn:process>
            """));

        Single(document, "call", Severity.Error, ProblemCodes.ServiceNoType);
    }

    [Fact]
    public void An_iso_8859_1_file_keeps_its_umlauts()
    {
        var xml = Process("""<bpmn:startEvent id="start" name="Störung gemeldet"/><bpmn:endEvent id="end" name="Maßnahme erledigt"/>""" + Flows("start>end"))
            .Replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"", StringComparison.Ordinal);

        Assert.True(XmlFileText.TryDecode(Encoding.Latin1.GetBytes(xml), out var text, out var problem), problem);
        var process = BpmnParser.Parse(text).Processes[0];
        Assert.Equal(("Störung gemeldet", "Maßnahme erledigt"), (process.Node("start").Name, process.Node("end").Name));
        Assert.Contains("encoding=\"UTF-8\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_windows_1252_file_keeps_its_euro_sign()
    {
        var xml = Process("""<bpmn:startEvent id="start" name="Kosten über 100 €"/>""").Replace("UTF-8", "windows-1252", StringComparison.Ordinal);
        var bytes = CodePagesEncodingProvider.Instance.GetEncoding(1252)!.GetBytes(xml);

        Assert.True(XmlFileText.TryDecode(bytes, out var text, out _));
        Assert.Equal("Kosten über 100 €", BpmnParser.Parse(text).Processes[0].Node("start").Name);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void A_utf_16_file_reads(bool byteOrderMark, bool bigEndian)
    {
        var xml = Process("""<bpmn:startEvent id="start" name="故障上报"/>""").Replace("UTF-8", "UTF-16", StringComparison.Ordinal);
        var encoding = new UnicodeEncoding(bigEndian, byteOrderMark);
        var bytes = encoding.GetPreamble().Concat(encoding.GetBytes(xml)).ToArray();

        Assert.True(XmlFileText.TryDecode(bytes, out var text, out _));
        var document = BpmnParser.Parse(text);
        Assert.False(document.HasErrors, string.Join("; ", document.Problems));
        Assert.Equal("故障上报", document.Processes[0].Node("start").Name);
    }

    [Fact]
    public void An_encoding_the_server_cannot_read_is_named_in_the_problem()
    {
        var xml = Process("""<bpmn:startEvent id="start"/>""").Replace("UTF-8", "x-klingon", StringComparison.Ordinal);

        Assert.False(XmlFileText.TryDecode(Encoding.ASCII.GetBytes(xml), out _, out var problem));
        Assert.Contains("encoding=\"x-klingon\"", problem, StringComparison.Ordinal);
    }
}

/// <summary>Camunda 7 settings read into the engine's own definitions.</summary>
public sealed class CamundaSettingsTests
{
    [Fact]
    public void Standard_human_performer_and_potential_owners_become_the_assignee_and_candidates()
    {
        var process = Body("""
            <bpmn:startEvent id="start"/><bpmn:endEvent id="end"/>
            <bpmn:userTask id="review" camunda:candidateGroups="cab">
              <bpmn:humanPerformer><bpmn:resourceAssignmentExpression><bpmn:formalExpression>user(kermit)</bpmn:formalExpression></bpmn:resourceAssignmentExpression></bpmn:humanPerformer>
              <bpmn:potentialOwner><bpmn:resourceAssignmentExpression><bpmn:formalExpression>user(gonzo), group(management), ops</bpmn:formalExpression></bpmn:resourceAssignmentExpression></bpmn:potentialOwner>
            </bpmn:userTask>
            """ + Flows("start>review>end")).Processes[0];

        var task = Assert.IsType<WeOps.Engine.Model.TaskNode>(process.Node("review")).UserTask!;
        Assert.Equal("kermit", task.Assignee);
        Assert.Equal(["gonzo"], task.CandidateUsers);
        Assert.Equal(["cab", "management", "ops"], task.CandidateGroups);
    }

    [Fact]
    public void Camunda_in_without_target_is_an_error_naming_the_call_activity()
    {
        var document = Body("""
            <bpmn:startEvent id="start"/><bpmn:endEvent id="end"/>
            <bpmn:callActivity id="call" calledElement="child">
              <bpmn:extensionElements><camunda:in source="a"/></bpmn:extensionElements>
            </bpmn:callActivity>
            """ + Flows("start>call>end"));

        Single(document, "call", Severity.Error, "camunda:in> needs a target");
    }
}
