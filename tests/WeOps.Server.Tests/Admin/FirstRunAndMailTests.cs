using System.Net;
using System.Net.Http.Json;
using WeOps.Activities.Tests.Email;

namespace WeOps.Server.Tests.Admin;

/// <summary>A server of its own for each test: the first run needs an empty user directory, and mail settings are
/// server-wide.</summary>
public sealed class FirstRunAndMailTests : IAsyncLifetime
{
    private RunningServer server = null!;

    public async Task InitializeAsync() =>
        server = await RunningServer.StartAsync([$"--Auth:AdminApiKey={RunningServer.AdminKey}", "--Outbound:Allow=127.0.0.0/8,::1", "--Smtp:Host=configured.example.com"]);

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task The_first_admin_can_be_created_without_signing_in_only_while_nobody_exists()
    {
        var anonymous = server.NewClient();
        Assert.True((bool)(await (await anonymous.GetAsync("/api/setup")).JsonAsync())["firstRun"]!);

        using (var tooShort = await anonymous.PostAsJsonAsync("/api/setup/first-admin", new { username = "root", password = "short" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
            Assert.Contains("password", (await tooShort.JsonAsync())["errors"]!.AsObject().Select(e => e.Key));
        }

        using (var created = await anonymous.PostAsJsonAsync("/api/setup/first-admin", new { username = "root", password = "the first admin's password", email = "root@example.com" }))
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using (var signedIn = await anonymous.PostAsJsonAsync("/api/session", new { username = "root", password = "the first admin's password" }))
        {
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
            Assert.Equal(["admin"], (await signedIn.JsonAsync())["roles"]!.AsArray().Select(r => (string?)r));
        }

        Assert.False((bool)(await (await anonymous.GetAsync("/api/setup")).JsonAsync())["firstRun"]!);
        using (var second = await anonymous.PostAsJsonAsync("/api/setup/first-admin", new { username = "intruder", password = "an intruder's password" }))
            Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        using (var stranger = await server.NewClient().GetAsync("/api/users/intruder"))
            Assert.Equal(HttpStatusCode.Unauthorized, stranger.StatusCode);
        using (var withKey = await server.NewClient(RunningServer.AdminKey).PostAsJsonAsync("/api/setup/first-admin", new { username = "second", password = "the second admin's password" }))
            Assert.Equal(HttpStatusCode.Created, withKey.StatusCode);

        var audit = await server.NewClient(RunningServer.AdminKey).GetStringAsync("/api/audit?action=user.first-admin");
        Assert.Contains("user root: roles admin", audit);
        Assert.DoesNotContain("intruder", audit);
    }

    [Fact]
    public async Task Mail_settings_saved_by_an_admin_override_the_configuration_keep_the_password_hidden_and_the_test_reports_the_smtp_answer()
    {
        var admin = server.NewClient(RunningServer.AdminKey);
        var before = await (await admin.GetAsync("/api/settings/mail")).JsonAsync();
        Assert.Equal("configured.example.com", (string?)before["host"]);
        Assert.Equal("configuration", (string?)before["sources"]!["host"]);

        using (var saved = await admin.PutAsJsonAsync("/api/settings/mail", new
        {
            host = "127.0.0.1",
            port = TestSmtpServer.Port,
            tlsMode = "none",
            username = TestSmtpServer.User,
            password = TestSmtpServer.Password,
            from = "WeOps <weops@weops.test>",
        }))
        {
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
            var text = await saved.Content.ReadAsStringAsync();
            Assert.DoesNotContain(TestSmtpServer.Password, text);
            Assert.Contains("\"passwordSet\":true", text);
        }

        var view = await admin.GetStringAsync("/api/settings/mail");
        Assert.DoesNotContain(TestSmtpServer.Password, view);
        Assert.Contains("\"host\":\"database\"", view);
        Assert.DoesNotContain(TestSmtpServer.Password, await admin.GetStringAsync("/api/audit?limit=500"));
        Assert.Contains("settings.mail-changed", await admin.GetStringAsync("/api/audit?action=settings.mail-changed"));

        using (var sent = await admin.PostAsJsonAsync("/api/settings/mail/test", new { to = "admin@weops.test" }))
        {
            var result = await sent.JsonAsync();
            Assert.True((bool)result["sent"]!, (string?)result["answer"]);
            // The SMTP server's own reply to the message, as it sent it (scripts/services/smtp_sink.py).
            Assert.Equal("250 OK stored", (string?)result["answer"]);
            Assert.Equal(250, (int?)result["code"]);
            var mail = await TestSmtpServer.WaitForAsync((string)result["subject"]!);
            Assert.Equal(TestSmtpServer.User, mail.Header("x-authenticated-user"));
        }

        using (var rejected = await admin.PostAsJsonAsync("/api/settings/mail/test", new { to = "rejected-admin@weops.test" }))
        {
            var result = await rejected.JsonAsync();
            Assert.False((bool)result["sent"]!);
            Assert.Equal("550 5.1.1 No such mailbox", (string?)result["answer"]);
            Assert.Equal(550, (int?)result["code"]);
        }

        using (var busy = await admin.PostAsJsonAsync("/api/settings/mail/test", new { to = "busy-admin@weops.test" }))
        {
            var result = await busy.JsonAsync();
            Assert.False((bool)result["sent"]!);
            Assert.Equal("451 4.3.0 Mailbox busy, try again later", (string?)result["answer"]);
        }

        // A blank password in the form keeps the stored one.
        using (var kept = await admin.PutAsJsonAsync("/api/settings/mail", new { host = "127.0.0.1", port = TestSmtpServer.Port, tlsMode = "none", username = TestSmtpServer.User, from = "weops@weops.test" }))
            Assert.Contains("\"passwordSet\":true", await kept.Content.ReadAsStringAsync());

        using var invalid = await admin.PutAsJsonAsync("/api/settings/mail", new { host = "", port = 70000, tlsMode = "ssl", from = "nobody" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(["from", "host", "port", "tlsMode"], (await invalid.JsonAsync())["errors"]!.AsObject().Select(e => e.Key).Order());

        // Implicit TLS to the test server's second listener, whose self-signed certificate is not trusted here: the
        // test names the failure in words (no SMTP reply came).
        using (var tls = await admin.PutAsJsonAsync("/api/settings/mail", new { host = "127.0.0.1", port = TestSmtpServer.TlsPort, tlsMode = "tls", username = TestSmtpServer.User, from = "weops@weops.test" }))
            Assert.Contains("\"tlsMode\":\"tls\"", await tls.Content.ReadAsStringAsync());
        using (var untrusted = await admin.PostAsJsonAsync("/api/settings/mail/test", new { to = "admin@weops.test" }))
        {
            var result = await untrusted.JsonAsync();
            Assert.False((bool)result["sent"]!);
            Assert.Null((int?)result["code"]);
            Assert.Contains("certificate", (string)result["answer"]!, StringComparison.Ordinal);
        }
    }
}
