using System.Text.Json.Nodes;
using WeOps.Activities.Tickets;

namespace WeOps.Activities.Tests.Tickets;

public sealed class TicketPolicyTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(1, 2, 2)]
    [InlineData(1, 3, 3)]
    [InlineData(2, 1, 2)]
    [InlineData(2, 2, 3)]
    [InlineData(2, 3, 4)]
    [InlineData(3, 1, 3)]
    [InlineData(3, 2, 4)]
    [InlineData(3, 3, 5)]
    public void The_default_matrix_is_the_common_ITIL_one(int impact, int urgency, int priority) =>
        Assert.Equal(priority, new TicketPolicy().Priority(impact, urgency));

    [Fact]
    public void A_configured_matrix_and_SLA_replace_the_defaults()
    {
        var policy = new TicketPolicy(new TicketOptions
        {
            PriorityMatrix = [[1, 1, 2], [2, 2, 3], [3, 4, 5]],
            Sla = new() { ["P1"] = new SlaTarget { Response = TimeSpan.FromMinutes(5), Resolution = TimeSpan.FromHours(1) } },
        });

        Assert.Equal(1, policy.Priority(1, 2));
        Assert.Equal((TimeSpan.FromMinutes(5), TimeSpan.FromHours(1)), policy.Targets(1));
        Assert.Equal(TicketPolicy.DefaultSla[2], policy.Targets(2));
    }

    private static readonly TicketOptions[] BadOptions =
    [
        new TicketOptions { PriorityMatrix = [[1, 2, 3], [2, 3, 4]] },
        new TicketOptions { PriorityMatrix = [[1, 2, 3], [2, 3, 4], [3, 4, 9]] },
        new TicketOptions { Sla = new() { ["P9"] = new SlaTarget { Response = TimeSpan.FromMinutes(1), Resolution = TimeSpan.FromHours(1) } } },
        new TicketOptions { Sla = new() { ["P1"] = new SlaTarget { Response = TimeSpan.FromHours(2), Resolution = TimeSpan.FromHours(1) } } },
        new TicketOptions { Sla = new() { ["P2"] = new SlaTarget() } },
    ];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Settings_that_cannot_work_stop_at_startup_naming_the_key(int bad)
    {
        var error = Assert.Throws<InvalidOperationException>(() => new TicketPolicy(BadOptions[bad]));
        Assert.StartsWith("Tickets:", error.Message);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("\"high\"", 1)]
    [InlineData("\"Medium\"", 2)]
    [InlineData("3", 3)]
    [InlineData("\"low\"", 3)]
    [InlineData("\"2\"", 2)]
    [InlineData("0", null)]
    [InlineData("4", null)]
    [InlineData("1.5", null)]
    [InlineData("\"urgent\"", null)]
    [InlineData("true", null)]
    [InlineData("[1]", null)]
    public void Impact_and_urgency_are_1_to_3_or_high_medium_low(string json, int? level) =>
        Assert.Equal(level, TicketPolicy.ParseLevel(JsonNode.Parse(json)));

    [Theory]
    [InlineData("P1", 1)]
    [InlineData("p5", 5)]
    [InlineData("3", 3)]
    [InlineData("P0", null)]
    [InlineData("P6", null)]
    [InlineData("-1", null)]
    [InlineData("", null)]
    public void Priorities_are_P1_to_P5(string text, int? priority) => Assert.Equal(priority, TicketPolicy.ParsePriority(text));
}
