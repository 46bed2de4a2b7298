using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using WeOps.Server.Tests.Approvals;

namespace WeOps.Server.Tests.Tasks;

/// <summary>The task list people work from: rows with their process, ticket, summary and due date; the scopes mine,
/// groups and all; claiming, releasing and delegating a task, with the refusals a person can act on.</summary>
[Collection(ApprovalCollection.Name)]
public sealed class TaskListTests(ApprovalServer approvals)
{
    /// <summary>A change that opens its ticket, then waits at "review" for the group cab, due by <c>${dueBy}</c>.</summary>
    private static string Process(string key) => $"""
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
          <bpmn:process id="{key}" name="Database change" isExecutable="true">
            <bpmn:startEvent id="start" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="open" />
            <bpmn:serviceTask id="open" name="Open the change ticket">
              <bpmn:extensionElements>
                <ops:task type="ticket.create" />
                <ops:input name="type" value="change" />
                <ops:input name="title" value="{"${title}"}" />
                <ops:output name="ticket" value="{"${number}"}" />
              </bpmn:extensionElements>
            </bpmn:serviceTask>
            <bpmn:sequenceFlow id="f2" sourceRef="open" targetRef="review" />
            <bpmn:userTask id="review" name="Review the change">
              <bpmn:extensionElements><ops:assignment candidateGroups="cab" dueDate="{"${dueBy}"}" /></bpmn:extensionElements>
            </bpmn:userTask>
            <bpmn:sequenceFlow id="f3" sourceRef="review" targetRef="done" />
            <bpmn:endEvent id="done" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    private async Task<string> PublishAsync()
    {
        var key = "db-change-" + Guid.NewGuid().ToString("N")[..8];
        using (var saved = await approvals.Admin.PostAsync("/api/definitions", Http.Body(Process(key))))
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        using var published = await approvals.Admin.PostAsJsonAsync($"/api/definitions/{key}/publish", new { });
        Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());
        return key;
    }

    private async Task<(Guid Instance, long Task)> StartAsync(string key, string dueBy = "P1D", string title = "Add an index to orders")
    {
        using var started = await approvals.Admin.PostAsJsonAsync("/api/instances", new
        {
            definitionKey = key,
            businessKey = "orders-" + Guid.NewGuid().ToString("N")[..6],
            variables = new { title, dueBy, description = "Orders by customer take 4 s at peak.\nPlan attached." },
        });
        Assert.True(started.StatusCode == HttpStatusCode.Created, await started.Content.ReadAsStringAsync());
        var id = Guid.Parse((string)(await started.JsonAsync())["id"]!);
        return (id, (long)(await approvals.WaitForTaskAsync(id, "review"))["id"]!);
    }

    private async Task<JsonArray> ListAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync($"/api/tasks?{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync()).AsArray();
    }

    private static bool Has(JsonArray tasks, long id) => tasks.Any(t => (long)t!["id"]! == id);

    /// <summary>A key of <paramref name="username"/> with the approver role only: it may not list everybody's tasks.</summary>
    private async Task<HttpClient> ApproverOnlyAsync(string username)
    {
        using var created = await approvals.Admin.PostAsJsonAsync("/api/keys", new { name = $"{username} works tasks {Guid.NewGuid():N}", roles = new[] { "approver" }, user = username });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return approvals.Server.NewClient((string)(await created.JsonAsync())["key"]!);
    }

    [Fact]
    public async Task A_row_carries_its_process_ticket_summary_and_due_date()
    {
        var key = await PublishAsync();
        var (instance, task) = await StartAsync(key, dueBy: "PT4H", title: "Add an index to orders");

        var row = Assert.Single(await ListAsync(approvals.Admin, $"scope=all&instanceId={instance}"))!;

        Assert.Equal(task, (long)row["id"]!);
        Assert.Equal("Database change", (string?)row["processName"]);
        Assert.Equal(key, (string?)row["processKey"]);
        Assert.Equal(1, (int)row["processVersion"]!);
        Assert.Matches("^CHG-[0-9]{6}$", (string?)row["ticket"]!["number"]);
        Assert.Equal("Add an index to orders", (string?)row["ticket"]!["title"]);
        Assert.Equal("new", (string?)row["ticket"]!["state"]);
        Assert.StartsWith("orders-", (string?)row["businessKey"], StringComparison.Ordinal);
        Assert.Equal("Orders by customer take 4 s at peak.", (string?)row["summary"]);
        var created = DateTimeOffset.Parse((string)row["createdAt"]!, System.Globalization.CultureInfo.InvariantCulture);
        var due = DateTimeOffset.Parse((string)row["dueAt"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromHours(4), due - created);
        Assert.False((bool)row["overdue"]!);
        Assert.Equal(["cab"], row["candidateGroups"]!.AsArray().Select(g => (string?)g));

        using var single = await approvals.Admin.GetAsync($"/api/tasks/{task}");
        Assert.Equal("Database change", (string?)(await single.JsonAsync())["processName"]);
    }

    [Fact]
    public async Task A_task_past_its_due_date_is_overdue_until_it_closes()
    {
        var key = await PublishAsync();
        var (instance, task) = await StartAsync(key, dueBy: "2020-01-01T09:00:00Z");

        var row = Assert.Single(await ListAsync(approvals.Admin, $"scope=all&instanceId={instance}"))!;
        Assert.True((bool)row["overdue"]!);
        Assert.Equal(new DateTimeOffset(2020, 1, 1, 9, 0, 0, TimeSpan.Zero),
            DateTimeOffset.Parse((string)row["dueAt"]!, System.Globalization.CultureInfo.InvariantCulture));

        using (var completed = await approvals.Admin.PostAsJsonAsync($"/api/tasks/{task}/complete", new { }))
            Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        var closed = Assert.Single(await ListAsync(approvals.Admin, $"scope=all&state=completed&instanceId={instance}"))!;
        Assert.False((bool)closed["overdue"]!);
    }

    [Fact]
    public async Task Mine_holds_what_I_claimed_groups_what_my_groups_may_take_and_all_needs_the_operate_permission()
    {
        var key = await PublishAsync();
        var (_, task) = await StartAsync(key);
        var cora = await ApproverOnlyAsync("cora");
        var bob = await ApproverOnlyAsync("bob");
        var coraCount = (int)(await (await cora.GetAsync("/api/tasks/count")).JsonAsync())["count"]!;

        Assert.True(Has(await ListAsync(cora, "scope=groups"), task));
        Assert.False(Has(await ListAsync(cora, "scope=mine"), task));
        Assert.False(Has(await ListAsync(bob, "scope=groups"), task));
        Assert.False(Has(await ListAsync(bob, "scope=mine"), task));
        Assert.True(Has(await ListAsync(approvals.Admin, "scope=all"), task));
        using (var refused = await bob.GetAsync("/api/tasks?scope=all"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("scope=all", (string?)(await refused.JsonAsync())["detail"], StringComparison.Ordinal);
        }

        using (var claimed = await cora.PostAsync($"/api/tasks/{task}/claim", null))
            Assert.Equal(HttpStatusCode.OK, claimed.StatusCode);

        Assert.True(Has(await ListAsync(cora, "scope=mine"), task));
        Assert.False(Has(await ListAsync(cora, "scope=groups"), task));
        Assert.False(Has(await ListAsync(await ApproverOnlyAsync("carl"), "scope=groups"), task));
        Assert.Equal(coraCount + 1, (int)(await (await cora.GetAsync("/api/tasks/count")).JsonAsync())["count"]!);
    }

    [Fact]
    public async Task Claiming_a_task_someone_else_holds_is_a_409_naming_the_holder_and_only_the_holder_releases_it()
    {
        var key = await PublishAsync();
        var (instance, task) = await StartAsync(key);
        var cora = await ApproverOnlyAsync("cora");
        var carl = await ApproverOnlyAsync("carl");
        var bob = await ApproverOnlyAsync("bob");

        using (var outsider = await bob.PostAsync($"/api/tasks/{task}/claim", null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, outsider.StatusCode);
            Assert.Contains("offered to the group(s) cab", (string?)(await outsider.JsonAsync())["detail"], StringComparison.Ordinal);
        }

        using (var claimed = await cora.PostAsync($"/api/tasks/{task}/claim", null))
        {
            Assert.Equal(HttpStatusCode.OK, claimed.StatusCode);
            Assert.Equal("cora", (string?)(await claimed.JsonAsync())["assignee"]);
        }

        using (var second = await carl.PostAsync($"/api/tasks/{task}/claim", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
            var problem = await second.JsonAsync();
            Assert.Contains("held by cora", (string?)problem["detail"], StringComparison.Ordinal);
            Assert.Equal("cora", (string?)problem["holder"]);
        }

        using (var notHis = await carl.PostAsync($"/api/tasks/{task}/unclaim", null))
            Assert.Equal(HttpStatusCode.Forbidden, notHis.StatusCode);
        using (var released = await cora.PostAsync($"/api/tasks/{task}/unclaim", null))
        {
            Assert.Equal(HttpStatusCode.OK, released.StatusCode);
            Assert.Null((string?)(await released.JsonAsync())["assignee"]);
        }

        using (var twice = await cora.PostAsync($"/api/tasks/{task}/unclaim", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
            Assert.Contains("held by nobody", (string?)(await twice.JsonAsync())["detail"], StringComparison.Ordinal);
        }

        using (var carlTakes = await carl.PostAsync($"/api/tasks/{task}/claim", null))
            Assert.Equal("carl", (string?)(await carlTakes.JsonAsync())["assignee"]);
        var events = (await approvals.InstanceAsync(instance))["events"]!.AsArray().Select(e => (string?)e!["detail"]).ToList();
        Assert.Contains("claimed by cora", events);
        Assert.Contains("released by cora to its candidates", events);
        Assert.Contains("claimed by carl", events);
    }

    [Fact]
    public async Task The_holder_delegates_a_claimed_task_and_others_may_not()
    {
        var key = await PublishAsync();
        var (_, task) = await StartAsync(key);
        var cora = await ApproverOnlyAsync("cora");
        var carl = await ApproverOnlyAsync("carl");
        using (var claimed = await cora.PostAsync($"/api/tasks/{task}/claim", null))
            Assert.Equal(HttpStatusCode.OK, claimed.StatusCode);

        using (var notHis = await carl.PostAsJsonAsync($"/api/tasks/{task}/delegate", new { to = "carl" }))
            Assert.Equal(HttpStatusCode.Forbidden, notHis.StatusCode);
        using (var nobody = await cora.PostAsJsonAsync($"/api/tasks/{task}/delegate", new { to = "nobody-" + Guid.NewGuid().ToString("N")[..6] }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, nobody.StatusCode);
            Assert.NotNull((await nobody.JsonAsync())["errors"]!["to"]);
        }

        using var delegated = await cora.PostAsJsonAsync($"/api/tasks/{task}/delegate", new { to = "carl" });
        Assert.Equal(HttpStatusCode.OK, delegated.StatusCode);
        Assert.Equal("carl", (string?)(await delegated.JsonAsync())["assignee"]);
        Assert.True(Has(await ListAsync(carl, "scope=mine"), task));
        Assert.False(Has(await ListAsync(cora, "scope=mine"), task));
    }

    [Fact]
    public async Task Claims_on_closed_approval_and_unknown_tasks_are_refused_with_what_happened()
    {
        var key = await PublishAsync();
        var (_, task) = await StartAsync(key);
        using (var completed = await approvals.Admin.PostAsJsonAsync($"/api/tasks/{task}/complete", new { }))
            Assert.Equal(HttpStatusCode.OK, completed.StatusCode);

        using (var closed = await approvals.As("cora").PostAsync($"/api/tasks/{task}/claim", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, closed.StatusCode);
            Assert.Contains("completed", (string?)(await closed.JsonAsync())["detail"], StringComparison.Ordinal);
        }

        var approvalKey = await approvals.PublishAsync("""<ops:approval approvers="alice" />""");
        var (approvalInstance, _) = await approvals.StartAsync(approvalKey);
        var approval = (long)(await approvals.WaitForTaskAsync(approvalInstance, "approve"))["id"]!;
        using (var seat = await approvals.As("alice").PostAsync($"/api/tasks/{approval}/claim", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, seat.StatusCode);
            Assert.Contains("approval", (string?)(await seat.JsonAsync())["detail"], StringComparison.Ordinal);
        }

        foreach (var action in new[] { "claim", "unclaim" })
        {
            using var unknown = await approvals.As("cora").PostAsync($"/api/tasks/{long.MaxValue}/{action}", null);
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Contains($"no task {long.MaxValue}", (string?)(await unknown.JsonAsync())["detail"], StringComparison.Ordinal);
            using var garbage = await approvals.As("cora").PostAsync($"/api/tasks/12abc/{action}", null);
            Assert.Equal(HttpStatusCode.NotFound, garbage.StatusCode);
        }

        using var missing = await approvals.As("cora").GetAsync($"/api/tasks/{long.MaxValue}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Pages_follow_the_task_id_after_the_last_row()
    {
        var key = await PublishAsync();
        var first = await StartAsync(key);
        var second = await StartAsync(key);

        var page = await ListAsync(approvals.Admin, $"scope=all&processKey={key}&limit=1");
        Assert.Equal(first.Task, (long)Assert.Single(page)!["id"]!);
        var next = await ListAsync(approvals.Admin, $"scope=all&processKey={key}&limit=1&after={first.Task}");
        Assert.Equal(second.Task, (long)Assert.Single(next)!["id"]!);
        Assert.Empty(await ListAsync(approvals.Admin, $"scope=all&processKey={key}&after={second.Task}"));
    }

    public static TheoryData<string, string> BadQueries() => new()
    {
        { "scope=everyone", "scope" },
        { "state=done", "state" },
        { "limit=0", "limit" },
        { "limit=501", "limit" },
        { "limit=ten", "limit" },
        { "after=-1", "after" },
        { "instanceId=not-a-guid", "instanceId" },
        { "mine=yes", "mine" },
        { "assignee=a%00b", "assignee" },
    };

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task A_bad_list_query_is_a_400_naming_the_parameter(string query, string parameter)
    {
        using var response = await approvals.As("cora").GetAsync($"/api/tasks?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.JsonAsync())["errors"]![parameter]);
    }
}
