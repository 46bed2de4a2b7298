using WeOps.Engine.Model;
using WeOps.Engine.Parsing;
using WeOps.Engine.Validation;
using static WeOps.Engine.Tests.Parsing.BpmnText;

namespace WeOps.Engine.Tests.Parsing;

public sealed class BpmnParserElementTests
{
    private static ProcessGraph ParseProcess(string body)
    {
        var document = BpmnParser.Parse(Process(body));
        Assert.True(document.Problems.Count == 0, string.Join("\n", document.Problems));
        return Assert.Single(document.Processes);
    }

    private static T Node<T>(ProcessGraph process, string id) where T : FlowNode => Assert.IsType<T>(process.Node(id));

    [Fact]
    public void Node_carries_id_name_element_type_scope_and_line()
    {
        var xml = Definitions("""
            <bpmn:process id="p" name="Restart" isExecutable="true">
              <bpmn:startEvent id="start" name="Alert"/>
              <bpmn:serviceTask id="restart" name="Restart nginx"/>
            </bpmn:process>
            """);

        var process = Assert.Single(BpmnParser.Parse(xml).Processes);

        Assert.Equal(("p", "Restart", true), (process.Key, process.Name, process.IsExecutable));
        var task = Node<TaskNode>(process, "restart");
        Assert.Equal(("Restart nginx", "serviceTask", (string?)null, 5), (task.Name, task.ElementType, task.ScopeId, task.Line));
    }

    [Theory]
    [InlineData("""isExecutable="false" """, false)]
    [InlineData("""isExecutable="true" """, true)]
    [InlineData("", true)]
    public void IsExecutable_is_read_and_defaults_to_true(string attribute, bool expected)
    {
        var xml = Definitions($"""<bpmn:process id="p" {attribute}><bpmn:startEvent id="s"/></bpmn:process>""");

        Assert.Equal(expected, Assert.Single(BpmnParser.Parse(xml).Processes).IsExecutable);
    }

    [Fact]
    public void Incoming_and_outgoing_come_from_the_flows_in_document_order_not_from_incoming_elements()
    {
        var process = ParseProcess("""
            <bpmn:startEvent id="a"><bpmn:outgoing>wrong</bpmn:outgoing></bpmn:startEvent>
            <bpmn:exclusiveGateway id="g"><bpmn:incoming>also-wrong</bpmn:incoming></bpmn:exclusiveGateway>
            <bpmn:endEvent id="b"/>
            <bpmn:sequenceFlow id="f2" sourceRef="g" targetRef="b"/>
            <bpmn:sequenceFlow id="f1" sourceRef="a" targetRef="g"/>
            <bpmn:sequenceFlow id="f3" sourceRef="g" targetRef="b"/>
            """);

        Assert.Equal(["f1"], process.Node("a").Outgoing);
        Assert.Equal(["f1"], process.Node("g").Incoming);
        Assert.Equal(["f2", "f3"], process.Node("g").Outgoing);
        Assert.Equal(["f2", "f3"], process.Node("b").Incoming);
    }

    [Fact]
    public void Sequence_flow_keeps_name_scope_line_and_raw_condition_text()
    {
        var process = ParseProcess("""
            <bpmn:exclusiveGateway id="g"/>
            <bpmn:endEvent id="e"/>
            <bpmn:sequenceFlow id="f" name="P1" sourceRef="g" targetRef="e">
              <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
                ${severity == 'P1'}
              </bpmn:conditionExpression>
            </bpmn:sequenceFlow>
            """);

        var flow = process.Flow("f");
        Assert.Equal(("P1", "g", "e", (string?)null), (flow.Name, flow.SourceId, flow.TargetId, flow.ScopeId));
        Assert.Equal("${severity == 'P1'}", flow.Condition);
        Assert.True(flow.Line > 0);
    }

    [Fact]
    public void Message_event_reads_the_message_name_and_the_correlation_key_of_the_event()
    {
        var xml = Definitions("""
            <bpmn:process id="p">
              <bpmn:intermediateCatchEvent id="named">
                <bpmn:extensionElements><ops:subscription correlationKey="${orderId}"/></bpmn:extensionElements>
                <bpmn:messageEventDefinition id="d1" messageRef="m1"/>
              </bpmn:intermediateCatchEvent>
              <bpmn:intermediateCatchEvent id="unnamed"><bpmn:messageEventDefinition id="d2" messageRef="m2"/></bpmn:intermediateCatchEvent>
              <bpmn:intermediateCatchEvent id="none"><bpmn:messageEventDefinition id="d3"/></bpmn:intermediateCatchEvent>
            </bpmn:process>
            <bpmn:message id="m1" name="order-paid"/>
            <bpmn:message id="m2"/>
            """);

        var process = Assert.Single(BpmnParser.Parse(xml).Processes);

        Assert.Equal(new MessageEventDefinition("order-paid", "${orderId}"), Node<IntermediateCatchEvent>(process, "named").Definition);
        Assert.Equal(new MessageEventDefinition("m2", null), Node<IntermediateCatchEvent>(process, "unnamed").Definition);
        Assert.Equal(new MessageEventDefinition("", null), Node<IntermediateCatchEvent>(process, "none").Definition);
    }

    [Fact]
    public void Reference_to_an_undeclared_message_is_a_problem_naming_it()
    {
        var document = BpmnParser.Parse(Process("""
            <bpmn:intermediateCatchEvent id="wait"><bpmn:messageEventDefinition messageRef="Message_Gone"/></bpmn:intermediateCatchEvent>
            """));

        var problem = Assert.Single(document.Problems);
        Assert.Equal(("wait", Severity.Error), (problem.ElementId, problem.Severity));
        Assert.Contains("Message_Gone", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Signal_error_and_terminate_definitions_are_read_from_definitions_level_declarations()
    {
        var xml = Definitions("""
            <bpmn:process id="p">
              <bpmn:intermediateThrowEvent id="signal"><bpmn:signalEventDefinition signalRef="s1"/></bpmn:intermediateThrowEvent>
              <bpmn:endEvent id="error"><bpmn:errorEventDefinition errorRef="e1"/></bpmn:endEvent>
              <bpmn:boundaryEvent id="catchAll" attachedToRef="task"><bpmn:errorEventDefinition/></bpmn:boundaryEvent>
              <bpmn:endEvent id="terminate"><bpmn:terminateEventDefinition/></bpmn:endEvent>
              <bpmn:task id="task"/>
            </bpmn:process>
            <bpmn:signal id="s1" name="maintenance-started"/>
            <bpmn:error id="e1" name="Host unreachable" errorCode="HOST_UNREACHABLE"/>
            """);

        var process = Assert.Single(BpmnParser.Parse(xml).Processes);

        Assert.Equal(new SignalEventDefinition("maintenance-started"), Node<IntermediateThrowEvent>(process, "signal").Definition);
        Assert.Equal(new ErrorEventDefinition("HOST_UNREACHABLE", "Host unreachable"), Node<EndEvent>(process, "error").Definition);
        Assert.Equal(new ErrorEventDefinition(null, null), Node<BoundaryEvent>(process, "catchAll").Definition);
        Assert.IsType<TerminateEventDefinition>(Node<EndEvent>(process, "terminate").Definition);
    }

    [Theory]
    [InlineData("<bpmn:timeDate>2026-03-01T09:00:00Z</bpmn:timeDate>", "", TimerKind.Date, "2026-03-01T09:00:00Z")]
    [InlineData("<bpmn:timeDuration> PT5M </bpmn:timeDuration>", "", TimerKind.Duration, "PT5M")]
    [InlineData("<bpmn:timeCycle>R3/PT10M</bpmn:timeCycle>", "", TimerKind.Cycle, "R3/PT10M")]
    [InlineData("<bpmn:timeCycle>0 0 9 ? * MON-FRI</bpmn:timeCycle>", "", TimerKind.Cron, "0 0 9 ? * MON-FRI")]
    [InlineData("", """<ops:cron expression="0 */5 * * * ?"/>""", TimerKind.Cron, "0 */5 * * * ?")]
    [InlineData("", "", TimerKind.Duration, "")]
    public void Timer_kind_comes_from_the_child_element_or_ops_cron(string child, string extension, TimerKind kind, string value)
    {
        var process = ParseProcess($"""
            <bpmn:intermediateCatchEvent id="t">
              <bpmn:extensionElements>{extension}</bpmn:extensionElements>
              <bpmn:timerEventDefinition>{child}</bpmn:timerEventDefinition>
            </bpmn:intermediateCatchEvent>
            """);

        Assert.Equal(new TimerEventDefinition(kind, value), Node<IntermediateCatchEvent>(process, "t").Definition);
    }

    [Fact]
    public void Boundary_events_attach_in_document_order_and_interrupt_by_default()
    {
        var process = ParseProcess("""
            <bpmn:userTask id="approve"/>
            <bpmn:boundaryEvent id="reminder" cancelActivity="false" attachedToRef="approve">
              <bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>
            </bpmn:boundaryEvent>
            <bpmn:boundaryEvent id="expired" attachedToRef="approve">
              <bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition>
            </bpmn:boundaryEvent>
            """);

        Assert.Equal(["reminder", "expired"], Node<TaskNode>(process, "approve").BoundaryEventIds);
        Assert.False(Node<BoundaryEvent>(process, "reminder").CancelActivity);
        var expired = Node<BoundaryEvent>(process, "expired");
        Assert.Equal(("approve", true), (expired.AttachedToId, expired.CancelActivity));
    }

    [Theory]
    [InlineData("exclusiveGateway", GatewayKind.Exclusive)]
    [InlineData("parallelGateway", GatewayKind.Parallel)]
    [InlineData("inclusiveGateway", GatewayKind.Inclusive)]
    [InlineData("eventBasedGateway", GatewayKind.EventBased)]
    public void Gateway_kind_and_default_flow_are_read(string element, GatewayKind kind)
    {
        var process = ParseProcess($"""<bpmn:{element} id="g" default="f"/>""");

        var gateway = Node<Gateway>(process, "g");
        Assert.Equal((kind, "f"), (gateway.Kind, gateway.DefaultFlowId));
    }

    [Theory]
    [InlineData("task", TaskKind.None)]
    [InlineData("serviceTask", TaskKind.Service)]
    [InlineData("userTask", TaskKind.User)]
    [InlineData("scriptTask", TaskKind.Script)]
    [InlineData("sendTask", TaskKind.Send)]
    [InlineData("receiveTask", TaskKind.Receive)]
    [InlineData("manualTask", TaskKind.Manual)]
    public void Task_elements_map_to_task_kinds(string element, TaskKind kind)
    {
        var process = ParseProcess($"""<bpmn:{element} id="t"/>""");

        var task = Node<TaskNode>(process, "t");
        Assert.Equal((kind, element), (task.Kind, task.ElementType));
    }

    [Fact]
    public void Ops_task_gives_executor_type_retries_timeout_and_backoff()
    {
        var process = ParseProcess("""
            <bpmn:serviceTask id="full"><bpmn:extensionElements>
              <ops:task type="ssh.exec" retries="5" timeout="PT5M" retryBackoff="PT10S"/>
            </bpmn:extensionElements></bpmn:serviceTask>
            <bpmn:serviceTask id="minimal"><bpmn:extensionElements><ops:task type="http.request"/></bpmn:extensionElements></bpmn:serviceTask>
            <bpmn:serviceTask id="bare"/>
            """);

        Assert.Equal(new TaskDefinition("ssh.exec", 5, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(10)), Node<TaskNode>(process, "full").Task);
        Assert.Equal(new TaskDefinition("http.request", 3, null, TimeSpan.FromSeconds(5)), Node<TaskNode>(process, "minimal").Task);
        Assert.Null(Node<TaskNode>(process, "bare").Task);
    }

    [Theory]
    [InlineData("""retries="three" """, "retries")]
    [InlineData("""retries="-1" """, "retries")]
    [InlineData("""timeout="5 minutes" """, "timeout")]
    [InlineData("""timeout="PT0S" """, "timeout")]
    [InlineData("""retryBackoff="soon" """, "retryBackoff")]
    public void Bad_ops_task_setting_is_a_problem_and_the_default_is_used(string attribute, string setting)
    {
        var document = BpmnParser.Parse(Process($"""
            <bpmn:serviceTask id="t"><bpmn:extensionElements><ops:task type="noop" {attribute}/></bpmn:extensionElements></bpmn:serviceTask>
            """));

        var problem = Assert.Single(document.Problems);
        Assert.Equal(("t", Severity.Error), (problem.ElementId, problem.Severity));
        Assert.Contains(setting, problem.Message, StringComparison.Ordinal);
        Assert.Equal(new TaskDefinition("noop", 3, null, TimeSpan.FromSeconds(5)), Assert.IsType<TaskNode>(document.Processes[0].Node("t")).Task);
    }

    [Fact]
    public void User_task_reads_ops_assignment_and_form()
    {
        var process = ParseProcess("""
            <bpmn:userTask id="approve"><bpmn:extensionElements>
              <ops:assignment assignee="${requester.manager}" candidateGroups="cab, ops" candidateUsers="ana,bo" dueDate="PT4H"/>
              <ops:form key="approve-change">{"components":[{"type":"textarea","key":"reason","label":"Reason"}]}</ops:form>
            </bpmn:extensionElements></bpmn:userTask>
            """);

        var user = Node<TaskNode>(process, "approve").UserTask!;
        Assert.Equal(("${requester.manager}", "PT4H", "approve-change"), (user.Assignee, user.DueDate, user.FormKey));
        Assert.Equal(["cab", "ops"], user.CandidateGroups);
        Assert.Equal(["ana", "bo"], user.CandidateUsers);
        Assert.Equal("reason", Assert.Single(user.Form!.Fields).Key);
    }

    [Fact]
    public void User_task_falls_back_to_camunda_attributes()
    {
        var document = BpmnParser.Parse(Process("""
            <bpmn:userTask id="approve" camunda:assignee="demo" camunda:candidateGroups="management" camunda:formKey="embedded:app:forms/approve.html"/>
            """));

        // The form behind the key is not in the file: said, not silently dropped.
        Assert.Equal(("approve", Severity.Warning), (Assert.Single(document.Problems).ElementId, document.Problems[0].Severity));
        var process = Assert.Single(document.Processes);
        var user = Node<TaskNode>(process, "approve").UserTask!;
        Assert.Equal(("demo", "embedded:app:forms/approve.html"), (user.Assignee, user.FormKey));
        Assert.Equal(["management"], user.CandidateGroups);
    }

    [Fact]
    public void Script_task_reads_script_format_and_result_variable_from_ops_or_camunda()
    {
        var process = ParseProcess("""
            <bpmn:scriptTask id="ops" scriptFormat="javascript">
              <bpmn:extensionElements><ops:script resultVariable="total"/></bpmn:extensionElements>
              <bpmn:script>a + b</bpmn:script>
            </bpmn:scriptTask>
            <bpmn:scriptTask id="camunda" scriptFormat="JavaScript" camunda:resultVariable="sum"><bpmn:script>1</bpmn:script></bpmn:scriptTask>
            """);

        var ops = Node<TaskNode>(process, "ops");
        Assert.Equal(("a + b", "javascript", "total"), (ops.Script, ops.ScriptFormat, ops.ResultVariable));
        Assert.Equal("sum", Node<TaskNode>(process, "camunda").ResultVariable);
    }

    [Fact]
    public void Send_and_receive_tasks_read_their_message()
    {
        var xml = Definitions("""
            <bpmn:process id="p">
              <bpmn:sendTask id="send" messageRef="m"/>
              <bpmn:sendTask id="job"><bpmn:extensionElements><ops:task type="email.send"/></bpmn:extensionElements></bpmn:sendTask>
              <bpmn:receiveTask id="receive" messageRef="m">
                <bpmn:extensionElements><ops:subscription correlationKey="${ticketId}"/></bpmn:extensionElements>
              </bpmn:receiveTask>
            </bpmn:process>
            <bpmn:message id="m" name="ticket-closed"/>
            """);

        var process = Assert.Single(BpmnParser.Parse(xml).Processes);

        Assert.Equal(new MessageEventDefinition("ticket-closed", null), Node<TaskNode>(process, "send").Message);
        Assert.Null(Node<TaskNode>(process, "job").Message);
        Assert.Equal("email.send", Node<TaskNode>(process, "job").Task!.Type);
        Assert.Equal(new MessageEventDefinition("ticket-closed", "${ticketId}"), Node<TaskNode>(process, "receive").Message);
    }

    [Fact]
    public void Inputs_and_outputs_are_read_in_order()
    {
        var process = ParseProcess("""
            <bpmn:serviceTask id="t"><bpmn:extensionElements>
              <ops:task type="ssh.exec"/>
              <ops:input name="hosts" value="${alert.labels.instance}"/>
              <ops:input name="command" value="systemctl restart nginx"/>
              <ops:output name="result" value="${output}"/>
            </bpmn:extensionElements></bpmn:serviceTask>
            """);

        var task = Node<TaskNode>(process, "t");
        Assert.Equal([new("hosts", "${alert.labels.instance}"), new("command", "systemctl restart nginx")], task.Inputs);
        Assert.Equal([new VariableMapping("result", "${output}")], task.Outputs);
    }

    [Fact]
    public void Multi_instance_reads_the_marker_and_ops_loop()
    {
        var process = ParseProcess("""
            <bpmn:serviceTask id="t">
              <bpmn:extensionElements>
                <ops:loop collection="${hosts}" element="host" outputCollection="results" outputElement="${output}"/>
              </bpmn:extensionElements>
              <bpmn:multiInstanceLoopCharacteristics isSequential="true">
                <bpmn:loopCardinality>${hosts.length}</bpmn:loopCardinality>
                <bpmn:completionCondition>${failed &gt; 2}</bpmn:completionCondition>
              </bpmn:multiInstanceLoopCharacteristics>
            </bpmn:serviceTask>
            """);

        Assert.Equal(new LoopDefinition
        {
            IsSequential = true,
            Collection = "${hosts}",
            ElementVariable = "host",
            Cardinality = "${hosts.length}",
            CompletionCondition = "${failed > 2}",
            OutputCollection = "results",
            OutputElement = "${output}",
        }, Node<TaskNode>(process, "t").Loop);
    }

    [Fact]
    public void Multi_instance_accepts_camunda_collection_attributes()
    {
        var process = ParseProcess("""
            <bpmn:userTask id="t">
              <bpmn:multiInstanceLoopCharacteristics camunda:collection="${approvers}" camunda:elementVariable="approver"/>
            </bpmn:userTask>
            """);

        var loop = Node<TaskNode>(process, "t").Loop!;
        Assert.Equal((false, "${approvers}", "approver"), (loop.IsSequential, loop.Collection, loop.ElementVariable));
    }

    [Fact]
    public void Ops_loop_without_a_multi_instance_marker_is_a_warning()
    {
        var document = BpmnParser.Parse(Process("""
            <bpmn:serviceTask id="t"><bpmn:extensionElements><ops:loop collection="${hosts}"/></bpmn:extensionElements></bpmn:serviceTask>
            """));

        var problem = Assert.Single(document.Problems);
        Assert.Equal(("t", Severity.Warning), (problem.ElementId, problem.Severity));
        Assert.Null(Assert.IsType<TaskNode>(document.Processes[0].Node("t")).Loop);
    }

    [Fact]
    public void Sub_process_children_are_scoped_to_it()
    {
        var process = ParseProcess("""
            <bpmn:subProcess id="outer">
              <bpmn:startEvent id="s1"/>
              <bpmn:subProcess id="inner" triggeredByEvent="true"><bpmn:task id="deep"/></bpmn:subProcess>
              <bpmn:sequenceFlow id="f" sourceRef="s1" targetRef="inner"/>
            </bpmn:subProcess>
            """);

        Assert.Null(process.Node("outer").ScopeId);
        Assert.Equal("outer", process.Node("s1").ScopeId);
        Assert.Equal("outer", process.Flow("f").ScopeId);
        Assert.Equal("inner", process.Node("deep").ScopeId);
        Assert.True(Node<SubProcess>(process, "inner").TriggeredByEvent);
        Assert.False(Node<SubProcess>(process, "outer").TriggeredByEvent);
    }

    [Fact]
    public void Call_activity_reads_ops_called_process_or_called_element()
    {
        var process = ParseProcess("""
            <bpmn:callActivity id="ops"><bpmn:extensionElements>
              <ops:calledProcess key="open-ticket" version="3" propagateAllVariables="false"/>
            </bpmn:extensionElements></bpmn:callActivity>
            <bpmn:callActivity id="latest"><bpmn:extensionElements><ops:calledProcess key="notify" version="latest"/></bpmn:extensionElements></bpmn:callActivity>
            <bpmn:callActivity id="standard" calledElement="close-ticket"/>
            """);

        var ops = Node<CallActivity>(process, "ops");
        Assert.Equal(("open-ticket", (int?)3, false), (ops.CalledProcessKey, ops.CalledVersion, ops.PropagateAllVariables));
        var latest = Node<CallActivity>(process, "latest");
        Assert.Equal(("notify", (int?)null, true), (latest.CalledProcessKey, latest.CalledVersion, latest.PropagateAllVariables));
        Assert.Equal("close-ticket", Node<CallActivity>(process, "standard").CalledProcessKey);
    }

    [Fact]
    public void Bad_called_process_version_is_a_problem()
    {
        var document = BpmnParser.Parse(Process("""
            <bpmn:callActivity id="c"><bpmn:extensionElements><ops:calledProcess key="x" version="newest"/></bpmn:extensionElements></bpmn:callActivity>
            """));

        var problem = Assert.Single(document.Problems);
        Assert.Equal(("c", Severity.Error), (problem.ElementId, problem.Severity));
        Assert.Contains("newest", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""<bpmn:businessRuleTask id="x"/>""", "businessRuleTask", "Business rule tasks")]
    [InlineData("""<bpmn:complexGateway id="x"/>""", "complexGateway", "Complex gateways")]
    [InlineData("""<bpmn:adHocSubProcess id="x"><bpmn:task id="inside"/></bpmn:adHocSubProcess>""", "adHocSubProcess", "Ad-hoc")]
    [InlineData("""<bpmn:transaction id="x"><bpmn:task id="inside"/></bpmn:transaction>""", "transaction", "Transactions")]
    [InlineData("""<bpmn:choreographyTask id="x"/>""", "choreographyTask", "not supported")]
    [InlineData("""<bpmn:task id="x"><bpmn:standardLoopCharacteristics/></bpmn:task>""", "task", "Standard loops")]
    [InlineData("""<bpmn:task id="x" isForCompensation="true"/>""", "task", "Compensation handlers")]
    [InlineData("""<bpmn:intermediateThrowEvent id="x"><bpmn:escalationEventDefinition/></bpmn:intermediateThrowEvent>""", "intermediateThrowEvent", "Escalation events")]
    [InlineData("""<bpmn:intermediateThrowEvent id="x"><bpmn:compensateEventDefinition/></bpmn:intermediateThrowEvent>""", "intermediateThrowEvent", "Compensation events")]
    [InlineData("""<bpmn:intermediateThrowEvent id="x"><bpmn:linkEventDefinition name="a"/></bpmn:intermediateThrowEvent>""", "intermediateThrowEvent", "Link events")]
    [InlineData("""<bpmn:intermediateCatchEvent id="x"><bpmn:linkEventDefinition name="a"/></bpmn:intermediateCatchEvent>""", "intermediateCatchEvent", "Link events")]
    [InlineData("""<bpmn:intermediateCatchEvent id="x"><bpmn:conditionalEventDefinition/></bpmn:intermediateCatchEvent>""", "intermediateCatchEvent", "Conditional events")]
    [InlineData("""<bpmn:intermediateCatchEvent id="x"/>""", "intermediateCatchEvent", "must wait for something")]
    [InlineData("""<bpmn:boundaryEvent id="x" attachedToRef="t"><bpmn:escalationEventDefinition/></bpmn:boundaryEvent>""", "boundaryEvent", "Escalation events")]
    [InlineData("""<bpmn:boundaryEvent id="x" attachedToRef="t"><bpmn:compensateEventDefinition/></bpmn:boundaryEvent>""", "boundaryEvent", "Compensation events")]
    [InlineData("""<bpmn:boundaryEvent id="x" attachedToRef="t"><bpmn:conditionalEventDefinition/></bpmn:boundaryEvent>""", "boundaryEvent", "Conditional events")]
    [InlineData("""<bpmn:boundaryEvent id="x" attachedToRef="t"><bpmn:cancelEventDefinition/></bpmn:boundaryEvent>""", "boundaryEvent", "Cancel events")]
    [InlineData("""<bpmn:startEvent id="x"><bpmn:terminateEventDefinition/></bpmn:startEvent>""", "startEvent", "cannot be used on a start event")]
    [InlineData("""<bpmn:startEvent id="x"><bpmn:timerEventDefinition/><bpmn:messageEventDefinition/></bpmn:startEvent>""", "startEvent", "several triggers")]
    public void What_the_engine_cannot_run_becomes_an_unsupported_node_with_a_reason(string element, string elementType, string reason)
    {
        var process = ParseProcess($"""<bpmn:task id="t"/>{element}""");

        var node = Node<UnsupportedNode>(process, "x");
        Assert.Equal(elementType, node.ElementType);
        Assert.Contains(reason, node.Reason, StringComparison.Ordinal);
        Assert.False(process.TryGetNode("inside", out _));
    }

    [Fact]
    public void Unsupported_node_keeps_its_flows()
    {
        var process = ParseProcess("""
            <bpmn:startEvent id="s"/><bpmn:complexGateway id="c"/><bpmn:endEvent id="e"/>
            """ + Flows("s>c>e"));

        Assert.Equal(["s-c"], process.Node("c").Incoming);
        Assert.Equal(["c-e"], process.Node("c").Outgoing);
    }

    [Fact]
    public void Diagram_data_and_artifact_elements_are_ignored_silently()
    {
        var process = ParseProcess("""
            <bpmn:documentation>How we restart things</bpmn:documentation>
            <bpmn:laneSet id="ls"><bpmn:lane id="l"><bpmn:flowNodeRef>s</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
            <bpmn:startEvent id="s"/>
            <bpmn:dataObjectReference id="dor" dataObjectRef="do"/>
            <bpmn:dataObject id="do"/>
            <bpmn:dataStoreReference id="dsr"/>
            <bpmn:textAnnotation id="ta"><bpmn:text>note</bpmn:text></bpmn:textAnnotation>
            <bpmn:association id="a" sourceRef="s" targetRef="ta"/>
            <bpmn:group id="grp"/>
            """);

        Assert.Equal(["s"], process.Nodes.Select(n => n.Id));
        Assert.Empty(process.Flows);
    }

    [Fact]
    public void Vendor_settings_not_honoured_are_warnings_naming_them_and_other_namespaces_are_listed_once()
    {
        var document = BpmnParser.Parse(Process("""
            <bpmn:serviceTask id="t" camunda:asyncBefore="true">
              <bpmn:extensionElements>
                <camunda:inputOutput><camunda:inputParameter name="x">1</camunda:inputParameter></camunda:inputOutput>
                <zeebe:taskDefinition xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" type="x"/>
                <flowable:field xmlns:flowable="http://flowable.org/bpmn" name="x"/>
                <ops:task type="noop"/>
                <ops:retry count="3"/>
              </bpmn:extensionElements>
            </bpmn:serviceTask>
            <bpmn:task id="u"><bpmn:extensionElements><flowable:field xmlns:flowable="http://flowable.org/bpmn" name="y"/></bpmn:extensionElements></bpmn:task>
            """));

        Assert.All(document.Problems, p => Assert.Equal(Severity.Warning, p.Severity));
        Assert.Contains(document.Problems, p => p.ElementId == "t" && p.Message.Contains("ops:retry", StringComparison.Ordinal));
        var ignored = document.Problems.Where(p => p.Code == ProblemCodes.VendorSettingIgnored.Code).ToList();
        Assert.Equal(["camunda:asyncBefore", "<zeebe:taskDefinition>"], ignored.Select(p => p.Args["setting"]));
        Assert.Equal(["Camunda 7", "Camunda 8"], ignored.Select(p => p.Args["vendor"]));
        Assert.All(ignored, p => Assert.Equal("t", p.ElementId));
        var kept = Assert.Single(document.Problems, p => p.Code == ProblemCodes.ForeignExtensionsKept.Code);
        Assert.Equal(("http://flowable.org/bpmn", "field"), (kept.Args["namespace"], kept.Args["names"]));
        Assert.Equal(4, document.Problems.Count);
    }

    [Fact]
    public void Any_prefix_works_because_namespaces_are_matched_by_uri()
    {
        var xml = """
            <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:w="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
              <process id="p">
                <serviceTask id="t"><extensionElements><w:task type="noop"/></extensionElements></serviceTask>
              </process>
            </definitions>
            """;

        var process = Assert.Single(BpmnParser.Parse(xml).Processes);

        Assert.Equal("noop", Assert.IsType<TaskNode>(process.Node("t")).Task!.Type);
    }

    [Fact]
    public void Every_process_of_a_file_is_parsed()
    {
        var xml = Definitions("""
            <bpmn:collaboration id="c"><bpmn:participant id="pa" processRef="a"/><bpmn:participant id="pb" processRef="b"/></bpmn:collaboration>
            <bpmn:process id="a" isExecutable="false"><bpmn:startEvent id="sa"/></bpmn:process>
            <bpmn:process id="b"><bpmn:startEvent id="sb"/></bpmn:process>
            """);

        var document = BpmnParser.Parse(xml);

        Assert.Equal(["a", "b"], document.Processes.Select(p => p.Key));
        Assert.Equal("b", document.Main!.Key);
    }
}
