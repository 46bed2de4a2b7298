using WeOps.Activities.Tickets;

namespace WeOps.Activities.Tests.Tickets;

public sealed class TicketStateMachineTests
{
    public static TheoryData<string, string, string> Allowed() => new()
    {
        { "incident", "new", "assigned" },
        { "incident", "assigned", "inProgress" },
        { "incident", "inProgress", "onHold" },
        { "incident", "onHold", "inProgress" },
        { "incident", "inProgress", "resolved" },
        { "incident", "resolved", "closed" },
        { "incident", "resolved", "inProgress" },
        { "change", "new", "assess" },
        { "change", "new", "authorize" },
        { "change", "new", "scheduled" },
        { "change", "assess", "authorize" },
        { "change", "assess", "rejected" },
        { "change", "authorize", "scheduled" },
        { "change", "authorize", "rejected" },
        { "change", "rejected", "new" },
        { "change", "scheduled", "implement" },
        { "change", "implement", "review" },
        { "change", "implement", "backout" },
        { "change", "backout", "review" },
        { "change", "review", "closed" },
        { "problem", "new", "investigation" },
        { "problem", "investigation", "knownError" },
        { "problem", "knownError", "resolved" },
        { "problem", "resolved", "closed" },
        { "release", "plan", "build" },
        { "release", "build", "test" },
        { "release", "test", "build" },
        { "release", "test", "deploy" },
        { "release", "deploy", "review" },
        { "release", "deploy", "rollback" },
        { "release", "rollback", "review" },
        { "release", "review", "closed" },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Each_ITIL_move_is_allowed(string type, string from, string to) =>
        Assert.True(TicketStateMachines.ForType(type)!.Allows(from, to));

    [Fact]
    public void The_machines_allow_exactly_the_listed_moves()
    {
        var listed = Allowed().Select(row => ((string)row[0], (string)row[1], (string)row[2])).Order().ToList();
        var data = TicketStateMachines.All.SelectMany(m => m.Transitions.Select(t => (m.Type, t.From, t.To))).Order().ToList();
        Assert.Equal(listed, data);
    }

    [Theory]
    [InlineData("incident", "new", "resolved")]
    [InlineData("incident", "closed", "inProgress")]
    [InlineData("incident", "onHold", "resolved")]
    [InlineData("change", "new", "implement")]
    [InlineData("change", "closed", "new")]
    [InlineData("problem", "new", "resolved")]
    [InlineData("release", "plan", "deploy")]
    public void A_move_outside_the_machine_is_refused_naming_from_to_and_the_allowed_ones(string type, string from, string to)
    {
        var machine = TicketStateMachines.ForType(type)!;
        Assert.False(machine.Allows(from, to));
        var refusal = new TicketTransitionRefusedException(machine, from, to);
        Assert.Contains($"'{from}'", refusal.Message);
        Assert.Contains($"'{to}'", refusal.Message);
        foreach (var allowed in machine.AllowedFrom(from)) Assert.Contains(allowed, refusal.Message);
        Assert.Equal(machine.AllowedFrom(from), refusal.Allowed);
    }

    [Fact]
    public void An_unknown_state_is_named_with_the_states_of_the_type()
    {
        var message = TicketStateMachines.Incident.Refusal("new", "done");
        Assert.Contains("'done' is not a state of a incident", message);
        Assert.Contains("onHold", message);
    }

    [Fact]
    public void Every_type_has_its_own_prefix_and_a_reachable_close()
    {
        Assert.Equal(["INC", "CHG", "PRB", "REL"], TicketStateMachines.All.Select(m => m.Prefix));
        foreach (var machine in TicketStateMachines.All)
        {
            var seen = new HashSet<string> { machine.Initial };
            var queue = new Queue<string>(seen);
            while (queue.TryDequeue(out var state))
                foreach (var next in machine.AllowedFrom(state))
                    if (seen.Add(next)) queue.Enqueue(next);
            Assert.Contains("closed", seen);
            Assert.Equal(machine.States.Order(), seen.Order());
        }
    }
}
