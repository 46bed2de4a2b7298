using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace WeOps.Server.Tests.Admin;

/// <summary>What the admin console does through the API: secrets stay write-only, every change leaves its audit line,
/// host files are previewed row by row before anything is written.</summary>
[Collection(ServerCollection.Name)]
public sealed class AdminConsoleTests(ServerFixture server)
{
    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    private async Task<JsonArray> AuditAsync(string action)
    {
        using var response = await server.Client.GetAsync($"/api/audit?action={Uri.EscapeDataString(action)}&limit=500");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync())["items"]!.AsArray();
    }

    private async Task AssertAuditedAsync(string action, string detailContains, string actor = "admin")
    {
        var items = await AuditAsync(action);
        Assert.Contains(items, i => ((string?)i!["detail"] ?? "").Contains(detailContains, StringComparison.Ordinal) && (string?)i["actor"] == actor);
    }

    [Fact]
    public async Task Credential_values_of_every_kind_never_come_back_in_any_answer_and_creating_rotating_and_deleting_are_audited()
    {
        var secrets = new Dictionary<string, (string Kind, object Values, string Secret)>
        {
            [Unique("ssh")] = ("ssh", new { username = "ops", privateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nS3CRET-SSH-KEY\n-----END OPENSSH PRIVATE KEY-----" }, "S3CRET-SSH-KEY"),
            [Unique("pw")] = ("ssh", new { username = "ops", password = "S3CRET-PASSWORD" }, "S3CRET-PASSWORD"),
            [Unique("kube")] = ("kubernetes", new { kubeconfig = "apiVersion: v1\nusers: [{name: x, user: {token: S3CRET-KUBE}}]" }, "S3CRET-KUBE"),
            [Unique("token")] = ("kubernetes", new { server = "https://k8s.example.com", token = "S3CRET-TOKEN" }, "S3CRET-TOKEN"),
            [Unique("aws")] = ("aws", new { accessKeyId = "AKIDEXAMPLE", secretAccessKey = "S3CRET-AWS" }, "S3CRET-AWS"),
            [Unique("hook")] = ("webhook", new { url = "https://chat.example.com/hook", secret = "S3CRET-HOOK" }, "S3CRET-HOOK"),
        };
        var answers = new List<string>();
        foreach (var (name, (kind, values, _)) in secrets)
        {
            using var created = await server.Client.PutAsJsonAsync($"/api/credentials/{name}", new { kind, values });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            answers.Add(await created.Content.ReadAsStringAsync());
            using var rotated = await server.Client.PutAsJsonAsync($"/api/credentials/{name}", new { kind, values });
            Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
            answers.Add(await rotated.Content.ReadAsStringAsync());
            answers.Add(await server.Client.GetStringAsync($"/api/credentials/{name}"));
            await AssertAuditedAsync("credential.created", $"credential {name} ({kind})");
            await AssertAuditedAsync("credential.rotated", $"credential {name} ({kind})");
        }

        answers.Add(await server.Client.GetStringAsync("/api/credentials"));
        answers.Add(await server.Client.GetStringAsync("/api/credentials/kinds"));
        answers.Add(await server.Client.GetStringAsync("/api/audit?limit=500"));
        foreach (var (_, (_, _, secret)) in secrets)
            Assert.All(answers, a => Assert.DoesNotContain(secret, a));

        var first = secrets.Keys.First();
        using (var deleted = await server.Client.DeleteAsync($"/api/credentials/{first}"))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await AssertAuditedAsync("credential.deleted", $"credential {first}");
    }

    [Fact]
    public async Task Every_change_to_users_groups_keys_hosts_and_processes_writes_its_audit_line()
    {
        var user = Unique("alice");
        using (var r = await server.Client.PostAsJsonAsync("/api/users", new { username = user, email = $"{user}@example.com", roles = new[] { "operator" } }))
            Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        await AssertAuditedAsync("user.created", $"user {user}: roles operator");
        using (var r = await server.Client.PutAsJsonAsync($"/api/users/{user}", new { email = $"{user}@example.org", roles = new[] { "operator", "approver" } }))
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        await AssertAuditedAsync("user.changed", $"user {user}: roles operator,approver");
        using (var r = await server.Client.PutAsJsonAsync($"/api/users/{user}/password", new { password = "correct horse battery" }))
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        await AssertAuditedAsync("user.password-set", $"user {user}");
        Assert.DoesNotContain("correct horse battery", await server.Client.GetStringAsync("/api/audit?limit=500"));

        var group = Unique("dba");
        using (var r = await server.Client.PutAsync($"/api/groups/{group}/members/{user}", null))
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        await AssertAuditedAsync("group.member-added", $"group {group}: user {user}");
        var groups = JsonNode.Parse(await server.Client.GetStringAsync("/api/groups"))!.AsArray();
        Assert.Contains(groups, g => (string?)g!["name"] == group && g["members"]!.AsArray().Select(m => (string?)m).SequenceEqual([user]));
        using (var r = await server.Client.DeleteAsync($"/api/groups/{group}/members/{user}"))
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        await AssertAuditedAsync("group.member-removed", $"group {group}: user {user}");

        using (var r = await server.Client.PostAsync($"/api/users/{user}/disable", null))
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        await AssertAuditedAsync("user.disabled", $"user {user}");
        using (var refused = await server.Anonymous.PostAsJsonAsync("/api/session", new { username = user, password = "correct horse battery" }))
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using (var r = await server.Client.PostAsync($"/api/users/{user}/enable", null))
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        await AssertAuditedAsync("user.enabled", $"user {user}");
        using (var signedIn = await server.Anonymous.PostAsJsonAsync("/api/session", new { username = user, password = "correct horse battery" }))
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);

        var keyName = Unique("ci");
        Guid keyId;
        using (var r = await server.Client.PostAsJsonAsync("/api/keys", new { name = keyName, roles = new[] { "operator" }, user }))
        {
            Assert.Equal(HttpStatusCode.Created, r.StatusCode);
            var created = await r.JsonAsync();
            keyId = Guid.Parse((string)created["id"]!);
            Assert.DoesNotContain((string)created["key"]!, await server.Client.GetStringAsync("/api/audit?limit=500"));
        }

        await AssertAuditedAsync("api-key.created", $"key {keyId} '{keyName}': roles operator; owner {user}");
        using (var r = await server.Client.DeleteAsync($"/api/keys/{keyId}"))
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        await AssertAuditedAsync("api-key.revoked", $"key {keyId} '{keyName}'");

        var host = Unique("web");
        using (var r = await server.Client.PutAsJsonAsync($"/api/hosts/{host}", new { address = "10.0.0.5", port = 2222, tags = new[] { "web" } }))
            Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        await AssertAuditedAsync("host.saved", $"host {host}: 10.0.0.5:2222");
        using (var r = await server.Client.DeleteAsync($"/api/hosts/{host}"))
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        await AssertAuditedAsync("host.deleted", $"host {host}");

        using (var r = await server.Client.DeleteAsync($"/api/users/{user}"))
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        await AssertAuditedAsync("user.deleted", $"user {user}");

        var key = Unique("audited");
        using (var saved = await server.Client.PostAsync("/api/definitions", Http.Body($"""
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
              <bpmn:process id="{key}" isExecutable="true"><bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e" /><bpmn:endEvent id="e" /></bpmn:process>
            </bpmn:definitions>
            """)))
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        using (var published = await server.Client.PostAsJsonAsync($"/api/definitions/{key}/publish", new { note = "first" }))
            Assert.Equal(HttpStatusCode.Created, published.StatusCode);
        await AssertAuditedAsync("process.published", $"process {key} version 1");

        var prefixed = await AuditAsync("user.");
        Assert.All(prefixed, i => Assert.StartsWith("user.", (string)i!["action"]!));
    }

    [Fact]
    public async Task An_admin_cannot_disable_or_delete_the_account_they_are_signed_in_with()
    {
        var admin = Unique("root");
        using (var r = await server.Client.PostAsJsonAsync("/api/users", new { username = admin, roles = new[] { "admin" }, password = "a long enough password" }))
            Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        using var signIn = await server.Anonymous.PostAsJsonAsync("/api/session", new { username = admin, password = "a long enough password" });
        var self = server.Server.NewClient((string)(await signIn.JsonAsync())["token"]!);
        using (var r = await self.PostAsync($"/api/users/{admin}/disable", null))
            Assert.Equal(HttpStatusCode.Conflict, r.StatusCode);
        using (var r = await self.DeleteAsync($"/api/users/{admin}"))
            Assert.Equal(HttpStatusCode.Conflict, r.StatusCode);
    }

    [Fact]
    public async Task A_csv_preview_shows_every_row_with_its_errors_by_line_and_field_and_the_import_writes_only_the_valid_rows()
    {
        var credential = Unique("key");
        using (var r = await server.Client.PutAsJsonAsync($"/api/credentials/{credential}", new { kind = "ssh", values = new { password = "x" } }))
            Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        var good = Unique("db");
        var bad = Unique("bad");
        var csv = $"""
            name,address,port,user,credential,tags
            {good},10.1.0.1,2222,ops,{credential},db env:prod
            {bad},-oProxyCommand=x,99999,ops,no-such-credential,"a b"

            {good},10.1.0.2,22,,,
            """;
        using var preview = await server.Client.PostAsJsonAsync("/api/hosts/import/preview", new { format = "csv", text = csv });
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var body = await preview.JsonAsync();
        Assert.False((bool)body["imported"]!);
        Assert.Equal(1, (int)body["valid"]!);
        Assert.Equal(2, (int)body["invalid"]!);
        var rows = body["rows"]!.AsArray();
        Assert.Equal([2, 3, 5], rows.Select(r => (int)r!["line"]!));
        Assert.Equal(["db", "env:prod"], rows[0]!["tags"]!.AsArray().Select(t => (string?)t));
        Assert.Empty(rows[0]!["errors"]!.AsObject());
        Assert.Equal(["address", "credential", "port"], rows[1]!["errors"]!.AsObject().Select(e => e.Key).Order());
        Assert.Contains("line 2", (string)rows[2]!["errors"]!["name"]![0]!);
        using (var missing = await server.Client.GetAsync($"/api/hosts/{good}"))
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        using var import = await server.Client.PostAsJsonAsync("/api/hosts/import", new { format = "csv", text = csv });
        var imported = await import.JsonAsync();
        Assert.True((bool)imported["imported"]!);
        Assert.Equal(1, (int)imported["created"]!);
        var host = JsonNode.Parse(await server.Client.GetStringAsync($"/api/hosts/{good}"))!;
        Assert.Equal(2222, (int)host["port"]!);
        Assert.Equal(credential, (string?)host["credential"]);
        using (var none = await server.Client.GetAsync($"/api/hosts/{bad}"))
            Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        await AssertAuditedAsync("hosts.imported", $"1 host(s) from csv: {good}");
    }

    [Fact]
    public async Task An_ansible_inventory_becomes_hosts_tagged_with_their_groups_and_the_tag_filter_selects_like_ssh_exec()
    {
        var web = Unique("web");
        var db = Unique("db");
        var yaml = $"""
            all:
              hosts:
                {web}:
                  ansible_host: 10.2.0.1
              children:
                webservers:
                  hosts:
                    {web}:
                      ansible_port: 2201
                      ansible_user: deploy
                prod:
                  children:
                    dbservers:
                      hosts:
                        {db}:
                          ansible_host: 10.2.0.2
                          ansible_port: twenty
            """;
        using var preview = await server.Client.PostAsJsonAsync("/api/hosts/import/preview", new { format = "yaml", text = yaml });
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var rows = (await preview.JsonAsync())["rows"]!.AsArray();
        Assert.Equal(2, rows.Count);
        Assert.Equal((web, "10.2.0.1", 2201, "deploy"), ((string)rows[0]!["name"]!, (string)rows[0]!["address"]!, (int)rows[0]!["port"]!, (string)rows[0]!["user"]!));
        Assert.Equal(["webservers"], rows[0]!["tags"]!.AsArray().Select(t => (string?)t));
        Assert.Equal(["dbservers"], rows[1]!["tags"]!.AsArray().Select(t => (string?)t));
        Assert.Equal(3, (int)rows[0]!["line"]!);
        Assert.Contains("twenty", (string)rows[1]!["errors"]!["port"]![0]!);

        using (var import = await server.Client.PostAsJsonAsync("/api/hosts/import", new { format = "yaml", text = yaml.Replace("twenty", "22", StringComparison.Ordinal) }))
            Assert.Equal(2, (int)(await import.JsonAsync())["created"]!);
        var selected = JsonNode.Parse(await server.Client.GetStringAsync("/api/hosts?tags=" + Uri.EscapeDataString("webservers !dbservers")))!.AsArray();
        Assert.Contains(selected, h => (string?)h!["name"] == web);
        Assert.DoesNotContain(selected, h => (string?)h!["name"] == db);
        using var wrong = await server.Client.GetAsync("/api/hosts?tags=" + Uri.EscapeDataString("a:b:c"));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("tags", (await wrong.JsonAsync())["errors"]!.AsObject().Select(e => e.Key));
    }

    public static TheoryData<string, string, string> GarbageFiles() => new()
    {
        { "csv", "host,ip\nweb,10.0.0.1", "line 1" },
        { "csv", "\n\nname,address,colour\nweb,10.0.0.1,red", "line 3" },
        { "csv", "name,address\nweb,\"10.0.0.1\nnext", "line 2" },
        { "csv", "name,address\n\u0001\u0002\u0003", "line 2" },
        { "yaml", "all:\n  hosts: [web, db\n", "line 3" },
        { "yaml", "- web\n- db\n", "line 1" },
        { "yaml", "all:\n  children:\n    web:\n      servers: {}\n", "line 4" },
        { "yaml", "all:\n  hosts:\n", "text" },
        { "xml", "<hosts/>", "format" },
        { "csv", "", "text" },
    };

    [Theory]
    [MemberData(nameof(GarbageFiles))]
    public async Task A_file_that_cannot_be_read_is_refused_with_the_line_or_field_that_is_wrong(string format, string text, string where)
    {
        using var preview = await server.Client.PostAsJsonAsync("/api/hosts/import/preview", new { format, text });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, preview.StatusCode);
        var errors = (await preview.JsonAsync())["errors"]!.AsObject();
        Assert.Equal([where], errors.Select(e => e.Key));
        using var import = await server.Client.PostAsJsonAsync("/api/hosts/import", new { format, text });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, import.StatusCode);
    }

    [Fact]
    public async Task A_file_over_the_size_limit_is_refused_before_it_is_read()
    {
        var text = "name,address\n" + string.Concat(Enumerable.Repeat("web,10.0.0.1\n", 90_000));
        using var preview = await server.Client.PostAsJsonAsync("/api/hosts/import/preview", new { format = "csv", text });
        Assert.True(preview.StatusCode is HttpStatusCode.UnprocessableEntity or HttpStatusCode.RequestEntityTooLarge, preview.StatusCode.ToString());
    }
}
