using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace WeOps.Server.Tests.Approvals;

/// <summary>The inbox and decisions over the API: keys that belong to users, tasks for the caller, decide,
/// delegate and reassign, and the user directory's validation.</summary>
[Collection(ApprovalCollection.Name)]
public sealed class ApprovalApiTests(ApprovalServer approvals)
{
    private async Task<long> TaskIdAsync(Guid instance) => (long)(await approvals.WaitForTaskAsync(instance, "approve"))["id"]!;

    [Fact]
    public async Task The_inbox_shows_tasks_where_the_caller_is_an_approver_who_has_not_decided()
    {
        var key = await approvals.PublishAsync($"""<ops:approval approvers="alice, group:cab" {ApprovalServer.Titled}/>""");
        var (id, _) = await approvals.StartAsync(key);
        var task = await TaskIdAsync(id);

        async Task<bool> InInbox(string user) =>
            (await (await approvals.As(user).GetAsync("/api/tasks?mine=true")).JsonAsync()).AsArray().Any(t => (long)t!["id"]! == task);

        Assert.True(await InInbox("alice"));
        Assert.True(await InInbox("cora"));
        Assert.False(await InInbox("bob"));

        using var decided = await approvals.As("alice").PostAsJsonAsync($"/api/tasks/{task}/decision", new { decision = "approve", comment = "ok" });
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        Assert.False(await InInbox("alice"));
        Assert.True(await InInbox("carl"));
        var view = (await decided.JsonAsync())["task"]!;
        Assert.Equal(["group:cab"], view["pendingApprovers"]!.AsArray().Select(a => (string?)a));
    }

    [Fact]
    public async Task Deciding_from_the_api_records_the_channel_and_continues_the_process()
    {
        var key = await approvals.PublishAsync($"""<ops:approval approvers="alice, group:cab" policy="all" {ApprovalServer.Titled}/>""");
        var (id, _) = await approvals.StartAsync(key);
        var task = await TaskIdAsync(id);

        (await approvals.As("alice").PostAsJsonAsync($"/api/tasks/{task}/decision", new { decision = "approve" })).EnsureSuccessStatusCode();
        using var last = await approvals.As("carl").PostAsJsonAsync($"/api/tasks/{task}/decision", new { decision = "approve", channel = "designer" });

        Assert.Equal("approved", (string?)(await last.JsonAsync())["outcome"]);
        await approvals.WaitForTaskAsync(id, "deploy");
        var decisions = (await approvals.InstanceAsync(id))["variables"]!["approval"]!["decisions"]!.AsArray();
        Assert.Equal(["api", "designer"], decisions.Select(d => (string?)d!["channel"]));
        Assert.Equal("group:cab", (string?)decisions[1]!["seat"]);
    }

    [Fact]
    public async Task Strangers_twice_and_garbage_get_4xx_that_say_why()
    {
        var key = await approvals.PublishAsync($"""<ops:approval approvers="alice, bob" {ApprovalServer.Titled}/>""");
        var (id, _) = await approvals.StartAsync(key);
        var task = await TaskIdAsync(id);

        using (var stranger = await approvals.As("carol").PostAsJsonAsync($"/api/tasks/{task}/decision", new { decision = "approve" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, stranger.StatusCode);
            Assert.Contains("carol is not an approver", (string?)(await stranger.JsonAsync())["detail"], StringComparison.Ordinal);
        }

        (await approvals.As("alice").PostAsJsonAsync($"/api/tasks/{task}/decision", new { decision = "approve" })).EnsureSuccessStatusCode();
        using (var twice = await approvals.As("alice").PostAsJsonAsync($"/api/tasks/{task}/decision", new { decision = "reject" }))
            Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);

        foreach (var body in new object[] { new { decision = "maybe" }, new { }, new { decision = "approve", comment = new string('x', 2001) }, new { decision = "approve", channel = "link" } })
        {
            using var bad = await approvals.As("bob").PostAsJsonAsync($"/api/tasks/{task}/decision", body);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.NotNull((await bad.JsonAsync())["errors"]);
        }

        using (var notJson = await approvals.As("bob").PostAsync($"/api/tasks/{task}/decision", Http.Body("{decision", "application/json")))
            Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        using (var none = await approvals.As("bob").PostAsJsonAsync("/api/tasks/987654321/decision", new { decision = "approve" }))
            Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        using (var complete = await approvals.As("bob").PostAsJsonAsync($"/api/tasks/{task}/complete", new { outcome = "approved" }))
            Assert.Equal(HttpStatusCode.Conflict, complete.StatusCode);
    }

    [Fact]
    public async Task The_requester_cannot_decide_their_own_change()
    {
        var key = await approvals.PublishAsync($"""<ops:approval approvers="rita, bob" {ApprovalServer.Titled}/>""");
        var (id, _) = await approvals.StartAsync(key, requester: "rita");
        var task = await TaskIdAsync(id);

        using var own = await approvals.As("rita").PostAsJsonAsync($"/api/tasks/{task}/decision", new { decision = "approve" });

        Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
        var view = (await (await approvals.Admin.GetAsync($"/api/tasks?instanceId={id}")).JsonAsync()).AsArray().Single();
        Assert.Equal(["user:bob"], view!["pendingApprovers"]!.AsArray().Select(a => (string?)a));
    }

    [Fact]
    public async Task Delegating_hands_the_approval_on_with_a_new_mail_and_reassigning_needs_an_operator()
    {
        var key = await approvals.PublishAsync($"""<ops:approval approvers="alice, bob" {ApprovalServer.Titled}/>""");
        var (id, marker) = await approvals.StartAsync(key);
        var task = await TaskIdAsync(id);
        var bobsLink = await ApprovalServer.LinkAsync("bob", marker);

        using (var delegated = await approvals.As("bob").PostAsJsonAsync($"/api/tasks/{task}/delegate", new { to = "carol" }))
            Assert.Equal(HttpStatusCode.OK, delegated.StatusCode);
        using (var old = await approvals.Browser.GetAsync(bobsLink))
            Assert.Equal(HttpStatusCode.Gone, old.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await approvals.DecideAsync(await ApprovalServer.LinkAsync("carol", marker), "approve")).Status);

        using (var moved = await approvals.As("alice").PostAsJsonAsync($"/api/tasks/{task}/reassign", new { from = "alice", to = "cora" }))
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode); // alice's key has the operator role
        var events = (await approvals.InstanceAsync(id))["events"]!.AsArray();
        Assert.Contains(events, e => (string?)e!["kind"] == "TaskReassigned" && ((string?)e["detail"])!.Contains("delegated from bob to carol", StringComparison.Ordinal));
        Assert.Contains(events, e => (string?)e!["kind"] == "TaskReassigned" && ((string?)e["detail"])!.Contains("reassigned from alice to cora", StringComparison.Ordinal));

        using (var bad = await approvals.As("alice").PostAsJsonAsync($"/api/tasks/{task}/delegate", new { to = "a b" }))
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using (var nobody = await approvals.As("alice").PostAsJsonAsync($"/api/tasks/{task}/reassign", new { from = "cora", to = "nobody-here" }))
            Assert.Equal(HttpStatusCode.BadRequest, nobody.StatusCode);
        using (var notMine = await approvals.As("carl").PostAsJsonAsync($"/api/tasks/{task}/delegate", new { to = "cora" }))
            Assert.Equal(HttpStatusCode.Forbidden, notMine.StatusCode);
    }

    [Fact]
    public async Task Users_are_validated_field_by_field()
    {
        var name = "u" + Guid.NewGuid().ToString("N")[..8];
        using (var bad = await approvals.Admin.PostAsJsonAsync("/api/users", new { username = "a,b", email = "not-mail", groups = new[] { "o k" }, roles = new[] { "root" } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            var errors = (await bad.JsonAsync())["errors"]!.AsObject();
            Assert.Equal(["email", "groups", "roles", "username"], errors.Select(e => e.Key).Order());
        }

        using (var created = await approvals.Admin.PostAsJsonAsync("/api/users", new { username = name, email = $"{name}@example.com", groups = new[] { "ops" } }))
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using (var again = await approvals.Admin.PostAsJsonAsync("/api/users", new { username = name }))
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        using (var changed = await approvals.Admin.PutAsJsonAsync($"/api/users/{name}", new { displayName = "New", groups = new[] { "ops", "cab" } }))
            Assert.Equal(["ops", "cab"], (await changed.JsonAsync())["groups"]!.AsArray().Select(g => (string?)g));
        using (var key = await approvals.Admin.PostAsJsonAsync("/api/keys", new { name = "k", roles = new[] { "approver" }, user = "nobody-" + name }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, key.StatusCode);
            Assert.NotNull((await key.JsonAsync())["errors"]!["user"]);
        }

        using (var forbidden = await approvals.As("alice").GetAsync("/api/users"))
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await approvals.Admin.DeleteAsync($"/api/users/{name}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await approvals.Admin.GetAsync($"/api/users/{name}")).StatusCode);
    }
}
