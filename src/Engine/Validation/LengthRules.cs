using WeOps.Engine.Model;

namespace WeOps.Engine.Validation;

/// <summary>Ids, names and event names the engine stores in columns of bounded length
/// (<see cref="StoredLengths"/>): PostgreSQL would refuse every step that writes a longer one, so it is an
/// error before the process can be published.</summary>
internal static class LengthRules
{
    public static void Check(ProcessCheck check)
    {
        var process = check.Process;
        if (process.Key.Length > StoredLengths.Key)
            check.ProcessError(ProblemCodes.TooLong, TooLong("the process id", process.Key, StoredLengths.Key));
        if (process.Name is { Length: > StoredLengths.Name } processName)
            check.ProcessError(ProblemCodes.TooLong, TooLong("the process name", processName, StoredLengths.Name));

        foreach (var node in check.Nodes)
        {
            if (node.Id.Length > StoredLengths.Key) check.Error(node, ProblemCodes.TooLong, TooLong("the element id", node.Id, StoredLengths.Key));
            if (node.Name is { Length: > StoredLengths.Name } name) check.Error(node, ProblemCodes.TooLong, TooLong("the element name", name, StoredLengths.Name));
            if (EventName(node) is { Length: > StoredLengths.Key } eventName) check.Error(node, ProblemCodes.TooLong, TooLong("the message or signal name", eventName, StoredLengths.Key));
            if (node is TaskNode { UserTask.FormKey: { Length: > StoredLengths.Key } formKey }) check.Error(node, ProblemCodes.TooLong, TooLong("the form key", formKey, StoredLengths.Key));
        }
    }

    /// <summary>The arguments of <see cref="ProblemCodes.TooLong"/>; <paramref name="part"/> is a phrase pages translate.</summary>
    private static (string, object?)[] TooLong(string part, string value, int max) =>
        [("part", part), ("value", ProcessCheck.Quote(value)), ("length", value.Length), ("max", max)];

    private static string? EventName(FlowNode node) => (node switch
    {
        StartEvent e => e.Definition,
        EndEvent e => e.Definition,
        IntermediateCatchEvent e => e.Definition,
        IntermediateThrowEvent e => e.Definition,
        BoundaryEvent e => e.Definition,
        TaskNode t => t.Message,
        _ => null,
    }) switch
    {
        MessageEventDefinition m => m.MessageName,
        SignalEventDefinition s => s.SignalName,
        _ => null,
    };
}
