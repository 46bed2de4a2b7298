using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace WeOps.Server.Tests.Approvals;

/// <summary>End to end: approval mail through the real test SMTP server, links followed with an HTTP client
/// (GET the page, POST its form), and every way a link can be misused.</summary>
[Collection(ApprovalCollection.Name)]
public sealed class ApprovalLinkTests(ApprovalServer approvals)
{
    [Fact]
    public async Task Two_approvers_under_all_approve_by_mail_and_the_change_takes_the_approved_path()
    {
        var key = await approvals.PublishAsync($"""<ops:approval approvers="alice, bob" policy="all" {ApprovalServer.Titled}/>""");
        var (id, marker) = await approvals.StartAsync(key);

        var aliceMail = await ApprovalServer.MailAsync("alice", marker);
        Assert.Equal($"Approval needed: Change {marker}", aliceMail.Subject);
        var text = aliceMail.AllParts().First(p => p.ContentType == "text/plain").Body;
        Assert.Contains("Requested by: rita", text, StringComparison.Ordinal);
        Assert.Contains($"ticket: {marker}", text, StringComparison.Ordinal);
        var html = aliceMail.AllParts().First(p => p.ContentType == "text/html").Body;
        Assert.Contains("low &lt;script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);

        var (status, page) = await approvals.DecideAsync(await ApprovalServer.LinkAsync("alice", marker), "approve", "Looks safe");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("still waits for other approvers", page, StringComparison.Ordinal);

        (status, page) = await approvals.DecideAsync(await ApprovalServer.LinkAsync("bob", marker), "approve");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("now approved", page, StringComparison.Ordinal);

        await approvals.WaitForTaskAsync(id, "deploy");
        var instance = await approvals.InstanceAsync(id);
        var approval = instance["variables"]!["approval"]!;
        Assert.Equal("approved", (string?)approval["outcome"]);
        var decisions = approval["decisions"]!.AsArray();
        Assert.Equal(["alice", "bob"], decisions.Select(d => (string?)d!["approver"]));
        Assert.Equal("Looks safe", (string?)decisions[0]!["comment"]);
        Assert.All(decisions, d => Assert.Equal("link", (string?)d!["channel"]));
        var events = instance["events"]!.AsArray();
        Assert.Contains(events, h => (string?)h!["kind"] == "ApprovalDecided" && (string?)h["actor"] == "alice");
        Assert.Contains(events, h => (string?)h!["kind"] == "ApprovalDecided" && (string?)h["actor"] == "bob");
        Assert.Contains(instance["history"]!.AsArray(), h => (string?)h!["elementId"] == "approve" && (string?)h["outcome"] == "completed" && (string?)h["actor"] == "bob");
    }

    [Fact]
    public async Task A_rejection_by_link_takes_the_rejected_path()
    {
        var key = await approvals.PublishAsync($"""<ops:approval approvers="alice, bob" {ApprovalServer.Titled}/>""");
        var (id, marker) = await approvals.StartAsync(key);

        var (status, page) = await approvals.DecideAsync(await ApprovalServer.LinkAsync("bob", marker, "reject"), "reject", "Not during the freeze");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("now rejected", page, StringComparison.Ordinal);
        await approvals.WaitForTaskAsync(id, "refuse");
        Assert.Equal("rejected", (string?)(await approvals.InstanceAsync(id))["variables"]!["approval"]!["outcome"]);

        // alice's link now leads to a page saying so.
        using var late = await approvals.Browser.GetAsync(await ApprovalServer.LinkAsync("alice", marker));
        Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
        Assert.Contains("already been decided", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quorum_two_of_three_including_a_group()
    {
        var key = await approvals.PublishAsync($"""<ops:approval approvers="alice, bob, group:cab" policy="quorum" quorum="2" {ApprovalServer.Titled}/>""");
        var (id, marker) = await approvals.StartAsync(key);

        Assert.Equal(HttpStatusCode.OK, (await approvals.DecideAsync(await ApprovalServer.LinkAsync("alice", marker), "reject")).Status);
        Assert.Equal(HttpStatusCode.OK, (await approvals.DecideAsync(await ApprovalServer.LinkAsync("carl", marker), "approve")).Status);
        // cora is in cab too: carl decided for the group.
        using (var cora = await approvals.Browser.GetAsync(await ApprovalServer.LinkAsync("cora", marker)))
        {
            Assert.Equal(HttpStatusCode.Gone, cora.StatusCode);
            Assert.Contains("group cab has already decided", await cora.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var (_, page) = await approvals.DecideAsync(await ApprovalServer.LinkAsync("bob", marker), "approve");
        Assert.Contains("now approved", page, StringComparison.Ordinal);
        await approvals.WaitForTaskAsync(id, "deploy");
    }

    [Fact]
    public async Task Opening_a_link_changes_nothing()
    {
        var key = await approvals.PublishAsync($"""<ops:approval approvers="alice" {ApprovalServer.Titled}/>""");
        var (id, marker) = await approvals.StartAsync(key);
        var link = await ApprovalServer.LinkAsync("alice", marker);

        for (var i = 0; i < 3; i++)
        {
            using var page = await approvals.Browser.GetAsync(link);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
            Assert.Contains("no-referrer", page.Headers.GetValues("Referrer-Policy"));
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains($"Change {marker}", html, StringComparison.Ordinal);
            Assert.Contains("Deciding as <strong>alice</strong>", html, StringComparison.Ordinal);
            Assert.Contains("low &lt;script&gt;", html, StringComparison.Ordinal);
        }

        await approvals.WaitForTaskAsync(id, "approve");
        Assert.Null((string?)(await approvals.InstanceAsync(id))["variables"]!["approval"]!["outcome"]);
    }

    [Fact]
    public async Task A_used_link_replayed_is_gone_and_decides_nothing_more()
    {
        var key = await approvals.PublishAsync($"""<ops:approval approvers="alice, bob" {ApprovalServer.Titled}/>""");
        var (id, marker) = await approvals.StartAsync(key);
        var link = await ApprovalServer.LinkAsync("alice", marker);
        using var page = await approvals.Browser.GetAsync(link);
        var formToken = ApprovalServer.FormToken(await page.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, (await approvals.PostAsync(link, formToken, "approve")).Status);
        var (status, html) = await approvals.PostAsync(link, formToken, "reject");

        Assert.Equal(HttpStatusCode.Gone, status);
        Assert.Contains("already been used", html, StringComparison.Ordinal);
        using var again = await approvals.Browser.GetAsync(link);
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        var decisions = (await approvals.InstanceAsync(id))["variables"]!["approval"]!["decisions"]!.AsArray();
        Assert.Equal("approve", (string?)Assert.Single(decisions)!["decision"]);
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("short")]
    [InlineData("long")]
    [InlineData("symbols")]
    public async Task A_tampered_or_unknown_token_gets_a_clear_404_page(string how)
    {
        var key = await approvals.PublishAsync($"""<ops:approval approvers="alice" {ApprovalServer.Titled}/>""");
        var (_, marker) = await approvals.StartAsync(key);
        var link = await ApprovalServer.LinkAsync("alice", marker);
        var token = link.AbsolutePath["/approve/".Length..];
        var tampered = how switch
        {
            "flip" => (token[0] == 'A' ? 'B' : 'A') + token[1..],
            "short" => token[..20],
            "long" => token + new string('x', 5000),
            _ => Uri.EscapeDataString("<script>'\"&%00..%2f"),
        };

        using var page = await approvals.Browser.GetAsync($"/approve/{tampered}");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("This link is not valid", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);

        var (status, _) = await approvals.PostAsync(new Uri(approvals.Server.Address, $"/approve/{tampered}"), "anything", "approve");
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task A_post_needs_this_links_own_confirmation_page()
    {
        var key = await approvals.PublishAsync($"""<ops:approval approvers="alice, bob" {ApprovalServer.Titled}/>""");
        var (id, marker) = await approvals.StartAsync(key);
        var alice = await ApprovalServer.LinkAsync("alice", marker);
        var bob = await ApprovalServer.LinkAsync("bob", marker);
        using var bobsPage = await approvals.Browser.GetAsync(bob);
        var bobsToken = ApprovalServer.FormToken(await bobsPage.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, (await approvals.PostAsync(alice, null, "approve")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await approvals.PostAsync(alice, "forged", "approve")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await approvals.PostAsync(alice, bobsToken, "approve")).Status);
        using (var alicesPage = await approvals.Browser.GetAsync(alice))
        {
            var token = ApprovalServer.FormToken(await alicesPage.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.BadRequest, (await approvals.PostAsync(alice, token, "maybe")).Status);
            Assert.Equal(HttpStatusCode.BadRequest, (await approvals.PostAsync(alice, token, "approve", new string('x', 2001))).Status);
        }

        using (var json = await approvals.Browser.PostAsync(alice.GetLeftPart(UriPartial.Path), JsonContent.Create(new { decision = "approve" })))
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        using (var huge = await approvals.Browser.PostAsync(alice.GetLeftPart(UriPartial.Path),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["comment"] = new string('x', 100_000) })))
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);

        Assert.Empty((await approvals.InstanceAsync(id))["variables"]!["approval"]!["decisions"]!.AsArray());
    }

    [Fact]
    public async Task A_link_decides_only_its_own_task_never_another_task_of_the_same_approver()
    {
        var key = await approvals.PublishAsync($"""<ops:approval approvers="alice, bob" {ApprovalServer.Titled}/>""");
        var (first, firstMarker) = await approvals.StartAsync(key);
        var (second, secondMarker) = await approvals.StartAsync(key);
        var firstLink = await ApprovalServer.LinkAsync("alice", firstMarker, "reject");
        var secondLink = await ApprovalServer.LinkAsync("alice", secondMarker);
        using var secondPage = await approvals.Browser.GetAsync(secondLink);
        var secondForm = ApprovalServer.FormToken(await secondPage.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, (await approvals.PostAsync(firstLink, secondForm, "reject")).Status);
        var (status, _) = await approvals.DecideAsync(firstLink, "reject");
        Assert.Equal(HttpStatusCode.OK, status);
        await approvals.WaitForTaskAsync(first, "refuse");
        var replayed = await approvals.PostAsync(firstLink, secondForm, "approve");

        Assert.InRange((int)replayed.Status, 400, 499);
        Assert.Equal("rejected", (string?)(await approvals.InstanceAsync(first))["variables"]!["approval"]!["outcome"]);
        Assert.Empty((await approvals.InstanceAsync(second))["variables"]!["approval"]!["decisions"]!.AsArray());
        await approvals.WaitForTaskAsync(second, "approve");
        Assert.Equal(HttpStatusCode.OK, (await approvals.DecideAsync(secondLink, "approve")).Status);
    }

    [Fact]
    public async Task Twenty_parallel_posts_of_one_link_make_one_decision()
    {
        var key = await approvals.PublishAsync($"""<ops:approval approvers="alice" {ApprovalServer.Titled}/>""");
        var (id, marker) = await approvals.StartAsync(key);
        var link = await ApprovalServer.LinkAsync("alice", marker);
        using var page = await approvals.Browser.GetAsync(link);
        var formToken = ApprovalServer.FormToken(await page.Content.ReadAsStringAsync());

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => approvals.PostAsync(link, formToken, i % 2 == 0 ? "approve" : "reject")));

        var decided = Assert.Single(results, r => r.Status == HttpStatusCode.OK);
        Assert.All(results.Where(r => r.Status != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Gone, r.Status));
        var instance = await approvals.InstanceAsync(id);
        var decision = (string?)Assert.Single(instance["variables"]!["approval"]!["decisions"]!.AsArray())!["decision"];
        await approvals.WaitForTaskAsync(id, decision == "approve" ? "deploy" : "refuse");
        instance = await approvals.InstanceAsync(id);
        Assert.Single(instance["events"]!.AsArray(), h => (string?)h!["kind"] == "ApprovalDecided");
        Assert.Single(instance["history"]!.AsArray(), h => (string?)h!["elementId"] == "approve" && (string?)h["outcome"] == "completed");
        Assert.Contains(decision == "approve" ? "You approved" : "You rejected", decided.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_approvers_at_the_same_moment_both_count_and_the_process_continues_once()
    {
        var key = await approvals.PublishAsync($"""<ops:approval approvers="alice, bob" {ApprovalServer.Titled}/>""");
        var (id, marker) = await approvals.StartAsync(key);
        var links = new[] { await ApprovalServer.LinkAsync("alice", marker), await ApprovalServer.LinkAsync("bob", marker) };

        var results = await Task.WhenAll(links.Select(l => approvals.DecideAsync(l, "approve")));

        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Single(results, r => r.Html.Contains("now approved", StringComparison.Ordinal));
        await approvals.WaitForTaskAsync(id, "deploy");
        var instance = await approvals.InstanceAsync(id);
        Assert.Single(instance["history"]!.AsArray(), h => (string?)h!["elementId"] == "deploy");
        Assert.Equal(2, instance["events"]!.AsArray().Count(h => (string?)h!["kind"] == "ApprovalDecided"));
    }

    [Fact]
    public async Task A_link_of_a_cancelled_instance_is_dead()
    {
        var key = await approvals.PublishAsync($"""<ops:approval approvers="alice" {ApprovalServer.Titled}/>""");
        var (id, marker) = await approvals.StartAsync(key);
        var link = await ApprovalServer.LinkAsync("alice", marker);
        using var page = await approvals.Browser.GetAsync(link);
        var formToken = ApprovalServer.FormToken(await page.Content.ReadAsStringAsync());

        (await approvals.Admin.PostAsJsonAsync($"/api/instances/{id}/cancel", new { reason = "withdrawn" })).EnsureSuccessStatusCode();

        using var after = await approvals.Browser.GetAsync(link);
        Assert.Equal(HttpStatusCode.Gone, after.StatusCode);
        Assert.Contains("withdrawn", await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, (await approvals.PostAsync(link, formToken, "approve")).Status);
    }

    [Fact]
    public async Task Expiry_on_the_fake_clock_kills_the_links_and_fires_the_outcome_once()
    {
        var key = await approvals.PublishAsync($"""<ops:approval approvers="alice, bob" expiry="P2D" onExpiry="reject" {ApprovalServer.Titled}/>""");
        var (id, marker) = await approvals.StartAsync(key);
        var link = await ApprovalServer.LinkAsync("alice", marker);

        approvals.Clock.Advance(TimeSpan.FromDays(2) + TimeSpan.FromSeconds(1));
        using (var page = await approvals.Browser.GetAsync(link))
            Assert.Equal(HttpStatusCode.Gone, page.StatusCode);

        await approvals.WaitForTaskAsync(id, "refuse");
        var instance = await approvals.InstanceAsync(id);
        Assert.Equal("rejected", (string?)instance["variables"]!["approval"]!["outcome"]);
        Assert.True((bool)instance["variables"]!["approval"]!["expired"]!);
        Assert.Single(instance["events"]!.AsArray(), h => (string?)h!["kind"] == "ApprovalExpired");
    }

    [Fact]
    public async Task A_reminder_mails_a_new_link_to_who_has_not_decided()
    {
        var key = await approvals.PublishAsync($"""<ops:approval approvers="alice, bob" remind="PT4H" {ApprovalServer.Titled}/>""");
        var (_, marker) = await approvals.StartAsync(key);
        await approvals.DecideAsync(await ApprovalServer.LinkAsync("alice", marker), "approve");

        approvals.Clock.Advance(TimeSpan.FromHours(4) + TimeSpan.FromSeconds(1));

        var reminder = await ApprovalServer.LinkAsync("bob", marker, "approve", "Reminder: approval needed");
        Assert.Equal(HttpStatusCode.OK, (await approvals.DecideAsync(reminder, "approve")).Status);
    }
}
