using System.Net;

namespace WeOps.Server.Tests;

/// <summary>Whatever arrives instead of a BPMN file is one validation problem, never a server error.</summary>
[Collection(ServerCollection.Name)]
public sealed class GarbageInputTests(ServerFixture server)
{
    private static readonly Dictionary<string, Func<HttpContent>> Garbage = new()
    {
        ["not-xml"] = () => Http.Body("This is a sentence, not a process.\n", "text/plain"),
        ["truncated-xml"] = () =>
        {
            var xml = Http.Fixture("noop-runbook-is-valid.bpmn");
            return Http.Body(xml[..(xml.Length / 2)]);
        },
        ["html-page"] = () => Http.Body(
            "<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form action=\"/login\"><input name=\"user\"></form></body></html>\n",
            "text/html"),
        ["dtd-external-entity"] = () => Http.Body(ExternalEntity),
        ["random-bytes"] = () =>
        {
            var bytes = new byte[64 * 1024];
            new Random(20260101).NextBytes(bytes);
            return Http.Body(bytes, "application/octet-stream");
        },
        ["json"] = () => Http.Body("""{"id":"restart","type":"serviceTask","next":["end"]}""", "application/json"),
    };

    private const string ExternalEntity = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE definitions [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="defs">
          <bpmn:process id="p" name="&secret;" isExecutable="true"><bpmn:startEvent id="start" /></bpmn:process>
        </bpmn:definitions>
        """;

    public static TheoryData<string> Kinds() => [.. Garbage.Keys];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Garbage_is_invalid_with_exactly_one_problem(string kind)
    {
        using var response = await server.Client.ValidateAsync(Garbage[kind]());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.JsonAsync();
        Assert.False((bool)json["valid"]!);
        Assert.Empty(json["processes"]!.AsArray());
        var problem = Assert.Single(json["problems"]!.AsArray())!;
        Assert.Equal("error", (string?)problem["severity"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["message"]));
    }

    [Fact]
    public async Task A_DTD_with_an_external_entity_is_refused_without_reading_the_entity()
    {
        using var response = await server.Client.ValidateAsync(Http.Body(ExternalEntity));

        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("document type declaration", body);
        Assert.DoesNotContain("root:", body);
    }

    [Fact]
    public async Task Fifty_concurrent_garbage_validations_give_no_server_error_and_health_stays_ok()
    {
        var kinds = Garbage.Values.Append(() => Http.Body([], "application/xml")).ToList();

        var statuses = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            using var response = await server.Client.ValidateAsync(kinds[i % kinds.Count]());
            return response.StatusCode;
        }));

        // 200 with a problem for garbage, 400 for the empty bodies; anything else (a 5xx) fails.
        Assert.All(statuses, status => Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.BadRequest }));
        using var health = await server.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
