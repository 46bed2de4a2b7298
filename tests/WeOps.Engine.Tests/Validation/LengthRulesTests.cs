using WeOps.Engine.Model;
using WeOps.Engine.Validation;
using static WeOps.Engine.Tests.Parsing.BpmnText;
using static WeOps.Engine.Tests.Validation.Validate;

namespace WeOps.Engine.Tests.Validation;

/// <summary>Ids and names longer than the columns that store them are errors: PostgreSQL would refuse
/// every step that writes them.</summary>
public sealed class LengthRulesTests
{
    private static readonly string LongKey = new('k', StoredLengths.Key + 1);
    private static readonly string LongName = new('n', StoredLengths.Name + 1);

    [Fact]
    public void Ids_and_names_as_long_as_their_columns_are_fine()
    {
        var id = new string('t', StoredLengths.Key);
        var document = Xml(Definitions($"""
            <bpmn:message id="m" name="{new string('m', StoredLengths.Key)}"/>
            <bpmn:process id="{new string('p', StoredLengths.Key)}" name="{new string('n', StoredLengths.Name)}" isExecutable="true">
              <bpmn:startEvent id="start"/><bpmn:receiveTask id="{id}" name="{new string('n', StoredLengths.Name)}" messageRef="m"/><bpmn:endEvent id="end"/>
              {Flows($"start>{id}>end")}
            </bpmn:process>
            """));

        Assert.False(document.HasErrors, string.Join("\n", document.Problems));
    }

    [Fact]
    public void A_process_id_longer_than_its_column_is_an_error()
    {
        Single(Xml(Process($"""<bpmn:startEvent id="start"/><bpmn:endEvent id="end"/>{Flows("start>end")}""", LongKey)), LongKey, Severity.Error, "at most 200");
    }

    [Fact]
    public void A_process_name_longer_than_its_column_is_an_error()
    {
        var xml = Process($"""<bpmn:startEvent id="start"/><bpmn:endEvent id="end"/>{Flows("start>end")}""").Replace("""<bpmn:process id="p" """, $"""<bpmn:process id="p" name="{LongName}" """, StringComparison.Ordinal);

        Single(Xml(xml), "p", Severity.Error, "at most 500");
    }

    [Fact]
    public void An_element_id_longer_than_its_column_is_an_error()
    {
        Single(Body($"""<bpmn:startEvent id="start"/><bpmn:task id="{LongKey}"/><bpmn:endEvent id="end"/>{Flows($"start>{LongKey}>end")}"""), LongKey, Severity.Error, "at most 200");
    }

    [Fact]
    public void An_element_name_longer_than_its_column_is_an_error()
    {
        Single(Body($"""<bpmn:startEvent id="start"/><bpmn:userTask id="t" name="{LongName}"/><bpmn:endEvent id="end"/>{Flows("start>t>end")}"""), "t", Severity.Error, "at most 500");
    }

    [Fact]
    public void A_message_name_longer_than_its_column_is_an_error()
    {
        var document = Xml(Definitions($"""
            <bpmn:message id="m" name="{LongKey}"/>
            <bpmn:process id="p" isExecutable="true">
              <bpmn:startEvent id="start"/><bpmn:intermediateCatchEvent id="x"><bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateCatchEvent><bpmn:endEvent id="end"/>
              {Flows("start>x>end")}
            </bpmn:process>
            """));

        Single(document, "x", Severity.Error, ProblemCodes.TooLong);
    }
}
