using WeOps.Engine.Model;
using WeOps.Engine.Parsing;

namespace WeOps.Engine.Tests.Approvals;

/// <summary>A change process with one approval task: approved goes to "deploy", rejected to "refuse".</summary>
internal static class ApprovalProcesses
{
    public static string Xml(string approval, string extra = "") => $"""
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
          <bpmn:process id="change" isExecutable="true">
            <bpmn:startEvent id="start" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="approve" />
            <bpmn:userTask id="approve" name="Approve the change">
              <bpmn:extensionElements>{approval}</bpmn:extensionElements>
            </bpmn:userTask>
            <bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="decided" />
            <bpmn:exclusiveGateway id="decided" default="no" />
            <bpmn:sequenceFlow id="yes" sourceRef="decided" targetRef="deploy"><bpmn:conditionExpression>{"${approval.outcome == 'approved'}"}</bpmn:conditionExpression></bpmn:sequenceFlow>
            <bpmn:sequenceFlow id="no" sourceRef="decided" targetRef="refuse" />
            <bpmn:userTask id="deploy" name="Deploy" />
            <bpmn:userTask id="refuse" name="Tell the requester" />
            <bpmn:sequenceFlow id="f3" sourceRef="deploy" targetRef="deployed" />
            <bpmn:endEvent id="deployed" />
            <bpmn:sequenceFlow id="f4" sourceRef="refuse" targetRef="refused" />
            <bpmn:endEvent id="refused" />
            {extra}
          </bpmn:process>
        </bpmn:definitions>
        """;

    public static ProcessGraph Graph(string approval, string extra = "") => BpmnParser.Parse(Xml(approval, extra)).Main!;
}
