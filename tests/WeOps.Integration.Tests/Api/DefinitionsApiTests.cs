using System.Net;
using System.Text.Json.Nodes;
using static WeOps.Integration.Tests.Api.WeOpsApi;

namespace WeOps.Integration.Tests.Api;

/// <summary>/api/definitions over PostgreSQL: drafts, validation problems, numbered published versions.</summary>
public sealed class DefinitionsApiTests(ServerOnPostgres server) : IClassFixture<ServerOnPostgres>
{
    private HttpClient Client => server.Admin;

    [Fact]
    public async Task Saving_a_valid_file_returns_its_key_and_only_the_warning_that_nobody_is_in_its_candidate_group()
    {
        using var response = await Client.SaveDraftAsync(Bpmn("noop-check-then-approval", "saved-valid"));

        var saved = await response.JsonAsync(HttpStatusCode.OK);
        Assert.Equal("saved-valid", (string?)saved["key"]);
        var problem = Assert.Single(saved["problems"]!.AsArray())!;
        Assert.Equal(("approve", "warning", "directory.unknown-group"), ((string?)problem["elementId"], (string?)problem["severity"], (string?)problem["code"]));
        Assert.Equal("'cab'", (string?)problem["args"]!["group"]);
    }

    [Fact]
    public async Task A_file_with_errors_is_saved_as_a_draft_and_its_problems_are_listed()
    {
        var xml = Bpmn("service-task-with-unknown-executor-is-kept-as-draft");

        using var response = await Client.SaveDraftAsync(xml);

        var saved = await response.JsonAsync(HttpStatusCode.OK);
        Assert.Equal("service-task-with-unknown-executor-is-kept-as-draft", (string?)saved["key"]);
        var problem = Assert.Single(saved["problems"]!.AsArray(), p => (string?)p!["severity"] == "error")!;
        Assert.Equal("restart", (string?)problem["elementId"]);
        Assert.Equal("executor.unknown", (string?)problem["code"]);
        Assert.Equal("ssh.teleport", (string?)problem["args"]!["type"]);
        using var draft = await Client.GetAsync("/api/definitions/service-task-with-unknown-executor-is-kept-as-draft/draft");
        Assert.Equal(xml, await draft.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_file_that_names_no_process_is_a_422_and_is_not_saved()
    {
        var before = (await ListAsync()).ToJsonString();

        using var response = await Client.SaveDraftAsync(Bpmn("file-without-process-is-not-saved"));

        var refused = await response.JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Null(refused["key"]);
        Assert.NotEmpty(refused["problems"]!.AsArray());
        Assert.Equal(before, (await ListAsync()).ToJsonString());
    }

    [Fact]
    public async Task Publishing_a_draft_creates_version_1()
    {
        using (var saved = await Client.SaveDraftAsync(Bpmn("noop-check-then-approval", "published-once")))
            await saved.JsonAsync(HttpStatusCode.OK);

        using var response = await Client.PublishAsync("published-once");

        var published = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal("published-once", (string?)published["key"]);
        Assert.Equal(1, (int?)published["version"]);
        Assert.Equal("/api/definitions/published-once/versions/1", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Publishing_an_unchanged_draft_again_returns_the_same_version()
    {
        await Client.DeployAsync(Bpmn("noop-check-then-approval", "published-twice"));

        using var response = await Client.PublishAsync("published-twice");

        var again = await response.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, (int?)again["version"]);
        Assert.False((bool)again["created"]!);
        Assert.Single(await VersionsAsync("published-twice"));
    }

    [Fact]
    public async Task Publishing_a_draft_with_errors_is_a_422_that_lists_its_problems()
    {
        using (var saved = await Client.SaveDraftAsync(Bpmn("service-task-with-unknown-executor-is-kept-as-draft", "unpublishable")))
            await saved.JsonAsync(HttpStatusCode.OK);

        using var response = await Client.PublishAsync("unpublishable");

        var refused = await response.JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("unpublishable", (string?)refused["key"]);
        Assert.Contains(refused["problems"]!.AsArray(), p => (string?)p!["elementId"] == "restart" && (string?)p["severity"] == "error");
        Assert.Empty(await VersionsAsync("unpublishable"));
    }

    [Fact]
    public async Task The_list_shows_each_process_with_its_latest_version_and_whether_its_draft_is_published()
    {
        var xml = Bpmn("noop-check-then-approval", "listed-changed");
        await Client.DeployAsync(xml);
        using (var changed = await Client.SaveDraftAsync(xml.Replace("Check disk", "Check disk and inodes", StringComparison.Ordinal)))
            await changed.JsonAsync(HttpStatusCode.OK);
        await Client.DeployAsync(Bpmn("noop-check-then-approval", "listed-published"));
        using (var draftOnly = await Client.SaveDraftAsync(Bpmn("noop-check-then-approval", "listed-draft-only")))
            await draftOnly.JsonAsync(HttpStatusCode.OK);

        var list = await ListAsync();

        Assert.Equal((1, false), Summary(list, "listed-changed"));
        Assert.Equal((1, true), Summary(list, "listed-published"));
        Assert.Equal((0, false), Summary(list, "listed-draft-only"));
        Assert.Equal("Check, then approve", (string?)list.Single(d => (string?)d!["key"] == "listed-published")!["name"]);
    }

    [Fact]
    public async Task The_draft_is_the_xml_last_saved()
    {
        var first = Bpmn("noop-check-then-approval", "draft-read-back");
        var second = first.Replace("Check disk", "Check disk twice", StringComparison.Ordinal);
        await Client.DeployAsync(first);
        using (var saved = await Client.SaveDraftAsync(second))
            await saved.JsonAsync(HttpStatusCode.OK);

        using var response = await Client.GetAsync("/api/definitions/draft-read-back/draft");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(second, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Each_published_version_is_listed_and_keeps_its_own_xml()
    {
        var first = Bpmn("noop-check-then-approval", "versioned");
        var second = first.Replace("Check disk", "Check disk twice", StringComparison.Ordinal);
        Assert.Equal(1, (await Client.DeployAsync(first)).Version);
        Assert.Equal(2, (await Client.DeployAsync(second)).Version);

        var versions = await VersionsAsync("versioned");

        Assert.Equal([1, 2], versions.Select(v => (int)v!["version"]!));
        Assert.All(versions, v => Assert.Equal("integration test", (string?)v!["note"]));
        Assert.Equal("admin", (string?)versions[0]!["publishedBy"]);
        Assert.NotEqual((string?)versions[0]!["hash"], (string?)versions[1]!["hash"]);
        Assert.Equal(first, await VersionXmlAsync("versioned", 1));
        Assert.Equal(second, await VersionXmlAsync("versioned", 2));
    }

    [Theory]
    [InlineData("/api/definitions/no-such-process/draft")]
    [InlineData("/api/definitions/no-such-process/versions")]
    [InlineData("/api/definitions/no-such-process/versions/1")]
    [InlineData("/api/definitions/known-without-version-9/versions/9")]
    public async Task An_unknown_process_or_version_is_a_404_problem(string path)
    {
        await Client.DeployAsync(Bpmn("noop-check-then-approval", "known-without-version-9"));

        using var response = await Client.GetAsync(path);

        var problem = await response.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains(path.Contains("no-such-process", StringComparison.Ordinal) ? "no-such-process" : "version 9", (string?)problem["detail"]);
    }

    [Fact]
    public async Task Publishing_an_unknown_process_is_a_404_problem()
    {
        using var response = await Client.PublishAsync("never-saved");

        var problem = await response.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("never-saved", (string?)problem["detail"]);
    }

    private async Task<JsonArray> ListAsync()
    {
        using var response = await Client.GetAsync("/api/definitions");
        return (await response.JsonAsync(HttpStatusCode.OK)).AsArray();
    }

    private async Task<JsonArray> VersionsAsync(string key)
    {
        using var response = await Client.GetAsync($"/api/definitions/{key}/versions");
        return (await response.JsonAsync(HttpStatusCode.OK)).AsArray();
    }

    private async Task<string> VersionXmlAsync(string key, int version)
    {
        using var response = await Client.GetAsync($"/api/definitions/{key}/versions/{version}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    private static (int LatestVersion, bool DraftPublished) Summary(JsonArray list, string key)
    {
        var definition = Assert.Single(list, d => (string?)d!["key"] == key)!;
        return ((int)definition["latestVersion"]!, (bool)definition["draftPublished"]!);
    }
}
