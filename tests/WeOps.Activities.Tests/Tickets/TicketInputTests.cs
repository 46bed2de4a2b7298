using System.Text.Json.Nodes;
using WeOps.Activities.Tickets;

namespace WeOps.Activities.Tests.Tickets;

public sealed class TicketInputTests
{
    [Fact]
    public void Every_problem_of_a_new_ticket_is_named_with_its_field()
    {
        var error = Assert.Throws<TicketInputException>(() => TicketInput.ReadNew("bug", " ", null, JsonValue.Create("urgent"), JsonValue.Create(7),
            "a\u0001b", new string('x', 201), null, JsonNode.Parse("""{"hosts":"web-1"}"""), JsonNode.Parse("[1]")));

        Assert.Equal(["type", "title", "impact", "urgency", "requester", "assignee", "affected.hosts", "fields"], error.Problems.Select(p => p.Field));
    }

    [Theory]
    [InlineData("""{"hosts":[1]}""")]
    [InlineData("""{"hosts":[""]}""")]
    [InlineData("""{"servers":["a"]}""")]
    [InlineData("""["a"]""")]
    public void Affected_is_an_object_of_name_lists(string json)
    {
        var error = Assert.Throws<TicketInputException>(() => TicketInput.ReadNew("incident", "t", null, null, null, null, null, null, JsonNode.Parse(json), null));
        Assert.StartsWith("affected", error.Problems.Single().Field);
    }

    [Fact]
    public void Defaults_are_low_impact_and_urgency_and_duplicate_hosts_are_kept_once()
    {
        var ticket = TicketInput.ReadNew("change", "Rotate certificates", null, null, null, null, null, null,
            JsonNode.Parse("""{"hosts":["a","a","b"]}"""), null);

        Assert.Equal((3, 3), (ticket.Impact, ticket.Urgency));
        Assert.Equal(["a", "b"], ticket.Affected.Hosts);
    }

    [Theory]
    [InlineData("INC-000001", true)]
    [InlineData("REL-123456789", true)]
    [InlineData("INC-1", false)]
    [InlineData("inc-000001", false)]
    [InlineData("FOO-000001", false)]
    [InlineData("INC-000001\n", false)]
    public void Numbers_are_a_type_prefix_and_at_least_six_digits(string text, bool valid) => Assert.Equal(valid, TicketInput.IsNumber(text));
}
