using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace WeOps.Server.Tests;

/// <summary>A runbook that faults after opening its incident marks the incident (timeline entry and process mark,
/// on the ticket and in the list); whoever may operate instances retries it from the ticket, and the mark clears.</summary>
[Collection(ServerCollection.Name)]
public sealed class TicketProcessFaultTests(ServerFixture server)
{
    private async Task<(string Instance, string Number)> StartFaultingRunbook()
    {
        var key = "faulting-runbook-" + Guid.NewGuid().ToString("N")[..8];
        var xml = $$"""
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
              <bpmn:process id="{{key}}" isExecutable="true">
                <bpmn:startEvent id="start" />
                <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="open" />
                <bpmn:serviceTask id="open">
                  <bpmn:extensionElements>
                    <ops:task type="ticket.create"/>
                    <ops:input name="type" value="incident"/>
                    <ops:input name="title" value="Disk full on db-2"/>
                    <ops:input name="group" value="ops"/>
                    <ops:output name="ticket" value="${number}"/>
                  </bpmn:extensionElements>
                </bpmn:serviceTask>
                <bpmn:sequenceFlow id="f2" sourceRef="open" targetRef="cleanup" />
                <bpmn:scriptTask id="cleanup" name="Clean up /var" scriptFormat="javascript">
                  <bpmn:script>if (!cleanable) throw new Error('no space left to stage the archive');</bpmn:script>
                </bpmn:scriptTask>
                <bpmn:sequenceFlow id="f3" sourceRef="cleanup" targetRef="end" />
                <bpmn:endEvent id="end" />
              </bpmn:process>
            </bpmn:definitions>
            """;
        using (var saved = await server.Client.PostAsync("/api/definitions", Http.Body(xml)))
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        using (var published = await server.Client.PostAsJsonAsync($"/api/definitions/{key}/publish", new { }))
            Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());
        using var started = await server.Client.PostAsJsonAsync("/api/instances", new { definitionKey = key, variables = new { cleanable = false } });
        var instanceId = (string)(await started.JsonAsync())["id"]!;
        var instance = await WaitForStatus(instanceId, "faulted");
        return (instanceId, (string)instance["variables"]!["ticket"]!);
    }

    private async Task<JsonNode> WaitForStatus(string instanceId, string status)
    {
        JsonNode instance;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await Task.Delay(100);
            using var read = await server.Client.GetAsync($"/api/instances/{instanceId}");
            instance = await read.JsonAsync();
        }
        while ((string?)instance["status"] != status && DateTime.UtcNow < deadline);

        Assert.Equal(status, (string?)instance["status"]);
        return instance;
    }

    private async Task<JsonNode> Ticket(string number)
    {
        using var read = await server.As("operator").GetAsync($"/api/tickets/{number}");
        return await Ok(read);
    }

    private static async Task<JsonNode> Ok(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.JsonAsync();
    }

    [Fact]
    public async Task A_faulted_runbook_marks_its_ticket_with_the_element_and_message_on_the_timeline_and_in_the_list()
    {
        var (instanceId, number) = await StartFaultingRunbook();

        var ticket = await Ticket(number);

        var fault = ticket["ticket"]!["processFault"]!;
        Assert.Equal((instanceId, "cleanup", "Clean up /var"), ((string?)fault["instanceId"], (string?)fault["elementId"], (string?)fault["elementName"]));
        Assert.Contains("no space left", (string?)fault["message"], StringComparison.Ordinal);
        var entry = ticket["timeline"]!.AsArray().Last()!;
        Assert.Equal(("processFaulted", "cleanup"), ((string?)entry["kind"], (string?)entry["detail"]!["element"]));
        using var list = await server.As("operator").GetAsync($"/api/tickets?q={number}");
        Assert.NotNull((await Ok(list))["items"]![0]!["processFault"]);
    }

    [Theory]
    [InlineData("approver")]
    [InlineData("designer")]
    public async Task Only_who_may_operate_instances_retries_from_the_ticket(string role)
    {
        var (_, number) = await StartFaultingRunbook();

        using var refused = await server.As(role).PostAsync($"/api/tickets/{number}/retry", null);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.NotNull((await Ticket(number))["ticket"]!["processFault"]);
    }

    [Fact]
    public async Task A_successful_retry_clears_the_mark_with_a_timeline_entry_naming_who_retried()
    {
        var (instanceId, number) = await StartFaultingRunbook();
        using (var fixedIt = await server.As("operator").PostAsJsonAsync($"/api/instances/{instanceId}/variables", new { cleanable = true }))
            Assert.True(fixedIt.IsSuccessStatusCode, await fixedIt.Content.ReadAsStringAsync());

        using var retried = await server.As("operator").PostAsync($"/api/tickets/{number}/retry", null);

        var ticket = await Ok(retried);
        Assert.Null(ticket["ticket"]!["processFault"]);
        var entry = ticket["timeline"]!.AsArray().Last()!;
        Assert.Equal(("processRecovered", "test operator"), ((string?)entry["kind"], (string?)entry["actor"]));
        await WaitForStatus(instanceId, "completed");
        using var again = await server.As("operator").PostAsync($"/api/tickets/{number}/retry", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }
}
