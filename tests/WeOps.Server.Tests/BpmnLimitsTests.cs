using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace WeOps.Server.Tests;

/// <summary>The element, depth and problem limits on every route a BPMN file comes in by: the designer's
/// validation, saving a draft, publishing it.</summary>
[Collection(ServerCollection.Name)]
public sealed class BpmnLimitsTests(ServerFixture server)
{
    public static TheoryData<string> Routes() => ["/api/validate", "/api/definitions"];

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_file_of_100_000_tasks_is_a_422_that_names_the_element_limit_and_where_reading_stopped(string route)
    {
        var file = Tasks(100_000);
        var watch = Stopwatch.StartNew();

        using var response = await server.Client.PostAsync(route, Http.Body(file));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{(int)response.StatusCode}: {body[..Math.Min(body.Length, 500)]}");
        var json = await response.JsonAsync();
        Assert.Equal(("elements", 20_000, "t19999", 20_002), ((string?)json["limit"], (int?)json["max"], (string?)json["elementId"], (int?)json["line"]));
        Assert.Contains("more than 20,000 elements", (string?)json["detail"], StringComparison.Ordinal);
        Assert.Single(json["problems"]!.AsArray());
        Assert.True(body.Length < 10_000, $"the answer has {body.Length} characters");
        // Loose: the reader stops at element 20,001 (see the engine's BpmnLimitsTests); before, this took a minute.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"the answer took {watch.Elapsed.TotalSeconds:0.0} s");
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Elements_nested_80_000_deep_are_a_422_that_names_the_depth_limit(string route)
    {
        var nested = new StringBuilder();
        for (var i = 1; i <= 80_000; i++) nested.Append("<bpmn:subProcess id=\"s").Append(i).Append("\">");
        for (var i = 1; i <= 80_000; i++) nested.Append("</bpmn:subProcess>");

        using var response = await server.Client.PostAsync(route, Http.Body(Definitions(nested.ToString())));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var json = await response.JsonAsync();
        Assert.Equal(("depth", 100, "s99"), ((string?)json["limit"], (int?)json["max"], (string?)json["elementId"]));
        Assert.Contains("deeper than 100 levels", (string?)json["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Of_1_500_problems_validation_returns_the_first_1_000_and_the_total()
    {
        using var response = await server.Client.ValidateAsync(Http.Body(BrokenTasks(500)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.JsonAsync();
        Assert.Equal(1_000, json["problems"]!.AsArray().Count);
        Assert.Equal(1_501, (int?)json["totalProblems"]);
        Assert.False((bool)json["valid"]!);
    }

    [Fact]
    public async Task Saving_and_publishing_a_draft_with_1_500_problems_return_the_first_1_000_and_the_total()
    {
        using var saved = await server.Client.PostAsync("/api/definitions", Http.Body(BrokenTasks(500, "many-problems")));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var draft = await saved.JsonAsync();
        Assert.Equal((1_000, 1_501), (draft["problems"]!.AsArray().Count, (int?)draft["totalProblems"]));

        using var published = await server.Client.PostAsJsonAsync("/api/definitions/many-problems/publish", new { note = "too many problems" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, published.StatusCode);
        var refused = await published.JsonAsync();
        Assert.Equal((1_000, 1_501), (refused["problems"]!.AsArray().Count, (int?)refused["totalProblems"]));
    }

    [Fact]
    public async Task A_file_within_the_limits_is_validated_as_before()
    {
        using var response = await server.Client.ValidateAsync(Http.Body(Http.Fixture("noop-runbook-is-valid.bpmn")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.JsonAsync();
        Assert.True((bool)json["valid"]!);
        Assert.Equal(0, (int?)json["totalProblems"]);
    }

    [Fact]
    public async Task The_limits_come_from_configuration()
    {
        await using var node = await RunningServer.StartAsync([$"--Auth:AdminApiKey={RunningServer.AdminKey}", "--Bpmn:MaxElements=100", "--Bpmn:MaxProblems=10"]);
        var client = node.NewClient(RunningServer.AdminKey);

        using var over = await client.ValidateAsync(Http.Body(Tasks(100)));
        using var problems = await client.ValidateAsync(Http.Body(BrokenTasks(20)));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, over.StatusCode);
        var refused = await over.JsonAsync();
        Assert.Equal(("elements", 100), ((string?)refused["limit"], (int?)refused["max"]));
        var json = await problems.JsonAsync();
        Assert.Equal((10, 61), (json["problems"]!.AsArray().Count, (int?)json["totalProblems"]));
    }

    [Theory]
    [InlineData("Bpmn:MaxElements", "0")]
    [InlineData("Bpmn:MaxDepth", "many")]
    [InlineData("Bpmn:MaxProblems", "-1")]
    public async Task A_limit_that_is_not_a_number_in_range_stops_the_server_and_names_the_key(string key, string value)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunningServer.StartAsync([$"--{key}={value}"]));

        Assert.Contains($"{key} is '{value}'; it must be a whole number between", error.Message, StringComparison.Ordinal);
    }

    private static string Definitions(string processBody, string key = "limits") =>
        $"""<?xml version="1.0" encoding="UTF-8"?>""" + "\n" +
        """<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="urn:t">""" + "\n" +
        $"""<bpmn:process id="{key}" isExecutable="true">{processBody}</bpmn:process></bpmn:definitions>""";

    /// <summary>Unconnected tasks t1..tN, one per line from line 4.</summary>
    private static string Tasks(int count)
    {
        var body = new StringBuilder();
        for (var i = 1; i <= count; i++) body.Append('\n').Append("<bpmn:task id=\"t").Append(i).Append("\"/>");
        return Definitions(body.ToString());
    }

    /// <summary>A start event and service tasks without an executor, flows or a way in: three problems per
    /// task (no ops:task, no outgoing flow, unreachable) and one for the start event (no outgoing flow).</summary>
    private static string BrokenTasks(int count, string key = "limits") =>
        Definitions("""<bpmn:startEvent id="s"/>""" + string.Concat(Enumerable.Range(1, count).Select(i => $"""<bpmn:serviceTask id="t{i}"/>""")), key);
}
