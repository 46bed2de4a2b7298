using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using WeOps.Activities.Credentials;
using WeOps.Activities.Email;
using WeOps.Activities.Tests.Support;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Tests.Email;

/// <summary>email.send against the real SMTP server of the test run (scripts/services/smtp.sh).</summary>
public sealed class EmailSendExecutorTests
{
    private readonly InMemoryCredentialStore credentials = new();
    private readonly SmtpOptions defaults = new() { Host = "127.0.0.1", Port = TestSmtpServer.Port, From = "WeOps <weops@weops.test>" };

    public EmailSendExecutorTests()
    {
        credentials.Add(new Credential("mail", CredentialKind.Smtp, new Dictionary<string, string>
        {
            ["host"] = "127.0.0.1",
            ["port"] = TestSmtpServer.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["username"] = TestSmtpServer.User,
            ["password"] = TestSmtpServer.Password,
            ["from"] = "Ops Desk <desk@ops.test>",
        }));
        credentials.Add(new Credential("hook", CredentialKind.Webhook, new Dictionary<string, string> { ["secret"] = "x" }));
    }

    private Task<JsonNode?> RunAsync(JsonObject inputs, SmtpOptions? options = null, CancellationToken cancellationToken = default) =>
        new EmailSendExecutor(credentials, options ?? defaults, TestOutbound.LoopbackAllowed).ExecuteAsync(
            JsonNode.Parse(inputs.ToJsonString())!.AsObject(),
            new ExecutorContext("i-1", "mail", 1, NullLogger.Instance, new InMemoryLargeOutputStore()),
            cancellationToken);

    private static string Marker() => "m" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Text_and_html_arrive_as_alternatives_with_subject_and_every_recipient()
    {
        var marker = Marker();

        var output = (await RunAsync(new JsonObject
        {
            ["to"] = new JsonArray("alice@example.test", "Bob Chen <bob@example.test>"),
            ["cc"] = "carol@example.test; dave@example.test",
            ["bcc"] = "audit@example.test",
            ["subject"] = $"磁盘告警 disk alert {marker}",
            ["text"] = "Disk /var is 95% full.\nSee the runbook.",
            ["html"] = "<p>Disk <b>/var</b> is 95% full.</p>",
        }))!;

        var mail = await TestSmtpServer.WaitForAsync(marker);
        Assert.Equal($"磁盘告警 disk alert {marker}", mail.Subject);
        Assert.Equal(["alice@example.test", "bob@example.test"], mail.AddressesIn("to"));
        Assert.Equal(["carol@example.test", "dave@example.test"], mail.AddressesIn("cc"));
        Assert.Null(mail.Header("bcc"));
        Assert.Equal(["alice@example.test", "audit@example.test", "bob@example.test", "carol@example.test", "dave@example.test"], mail.AddressesIn("x-envelope-to").Order());
        Assert.Equal(["weops@weops.test"], mail.AddressesIn("from"));
        Assert.Equal("multipart/alternative", mail.ContentType);
        Assert.Equal(["text/plain", "text/html"], mail.Parts.Select(p => p.ContentType));
        // Line breaks travel as CRLF in mail (RFC 5322), whatever the step wrote.
        Assert.Equal("Disk /var is 95% full.\r\nSee the runbook.", mail.Parts[0].Body);
        Assert.Equal("<p>Disk <b>/var</b> is 95% full.</p>", mail.Parts[1].Body);
        Assert.Equal((string)output["messageId"]!, mail.Header("message-id"));
        Assert.Equal(5, (int)output["recipients"]!);
        Assert.Equal("", mail.Header("x-authenticated-user"));
    }

    [Fact]
    public async Task A_single_body_is_sent_as_one_part_of_its_type()
    {
        var textMarker = Marker();
        var htmlMarker = Marker();

        await RunAsync(new JsonObject { ["to"] = "ops@example.test", ["subject"] = textMarker, ["text"] = "only text, ünïcode" });
        await RunAsync(new JsonObject { ["to"] = "ops@example.test", ["subject"] = htmlMarker, ["html"] = "<i>only html</i>" });

        var text = await TestSmtpServer.WaitForAsync(textMarker);
        var html = await TestSmtpServer.WaitForAsync(htmlMarker);
        Assert.Equal(("text/plain", "only text, ünïcode"), (text.ContentType, text.Body));
        Assert.Equal(("text/html", "<i>only html</i>"), (html.ContentType, html.Body));
    }

    [Fact]
    public async Task A_credential_authenticates_and_gives_the_sender()
    {
        var marker = Marker();

        var output = (await RunAsync(new JsonObject { ["to"] = "ops@example.test", ["subject"] = marker, ["text"] = "x", ["credential"] = "mail" }))!;

        var mail = await TestSmtpServer.WaitForAsync(marker);
        Assert.Equal(TestSmtpServer.User, mail.Header("x-authenticated-user"));
        Assert.Equal(["desk@ops.test"], mail.AddressesIn("from"));
        Assert.Equal("desk@ops.test", (string)output["from"]!);
    }

    [Fact]
    public async Task Server_settings_authenticate_when_they_name_a_user_and_the_step_from_wins()
    {
        var marker = Marker();
        var options = defaults with { Username = TestSmtpServer.User, Password = TestSmtpServer.Password };

        await RunAsync(new JsonObject { ["to"] = "ops@example.test", ["subject"] = marker, ["text"] = "x", ["from"] = "noc@ops.test" }, options);

        var mail = await TestSmtpServer.WaitForAsync(marker);
        Assert.Equal(TestSmtpServer.User, mail.Header("x-authenticated-user"));
        Assert.Equal(["noc@ops.test"], mail.AddressesIn("from"));
    }

    [Fact]
    public async Task A_permanently_rejected_recipient_is_the_bpmn_error_EMAIL_REJECTED()
    {
        var error = await Assert.ThrowsAsync<BpmnErrorException>(() => RunAsync(new JsonObject
        {
            ["to"] = "rejected@example.test",
            ["subject"] = Marker(),
            ["text"] = "x",
        }));

        Assert.Equal("EMAIL_REJECTED", error.ErrorCode);
        Assert.Contains("rejected@example.test", error.Message);
        Assert.Contains("550", error.Message);
    }

    [Fact]
    public async Task A_temporary_refusal_is_a_technical_failure_with_the_smtp_code()
    {
        var error = await Assert.ThrowsAsync<EmailDeliveryException>(() => RunAsync(new JsonObject
        {
            ["to"] = "busy@example.test",
            ["subject"] = Marker(),
            ["text"] = "x",
        }));

        Assert.Contains("451", error.Message, StringComparison.Ordinal);
        Assert.Contains("try again later", error.Message);
    }

    [Fact]
    public async Task A_refused_connection_is_a_technical_failure_naming_the_server()
    {
        using var closed = new Support.ClosedPort();
        var port = closed.Port;

        var error = await Assert.ThrowsAsync<EmailDeliveryException>(() => RunAsync(
            new JsonObject { ["to"] = "ops@example.test", ["subject"] = "x", ["text"] = "x" },
            defaults with { Port = port }));

        Assert.Contains($"127.0.0.1:{port}", error.Message);
        Assert.Contains("refused", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task StartTls_with_an_untrusted_certificate_fails_instead_of_sending_in_clear()
    {
        var marker = Marker();
        credentials.Add(new Credential("tls", CredentialKind.Smtp, new Dictionary<string, string>
        {
            ["host"] = "127.0.0.1",
            ["port"] = TestSmtpServer.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["username"] = TestSmtpServer.User,
            ["password"] = TestSmtpServer.Password,
            ["startTls"] = "true",
            ["from"] = "desk@ops.test",
        }));

        var error = await Assert.ThrowsAsync<EmailDeliveryException>(() => RunAsync(new JsonObject
        {
            ["to"] = "ops@example.test",
            ["subject"] = marker,
            ["text"] = "x",
            ["credential"] = "tls",
        }));

        Assert.Contains("certificate", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(TestSmtpServer.Password, error.Message);
        await Assert.ThrowsAsync<TimeoutException>(() => TestSmtpServer.WaitForAsync(marker, TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task Implicit_tls_with_the_servers_pinned_certificate_authenticates_sends_and_reports_the_servers_answer()
    {
        var marker = Marker();
        credentials.Add(new Credential("smtps", CredentialKind.Smtp, new Dictionary<string, string>
        {
            ["host"] = "127.0.0.1",
            ["port"] = TestSmtpServer.TlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["username"] = TestSmtpServer.User,
            ["password"] = TestSmtpServer.Password,
            ["tls"] = "tls",
            ["certificateSha256"] = TestSmtpServer.CertificateSha256,
            ["from"] = "desk@ops.test",
        }));

        var output = (await RunAsync(new JsonObject { ["to"] = "ops@example.test", ["subject"] = marker, ["text"] = "over TLS", ["credential"] = "smtps" }))!;

        var mail = await TestSmtpServer.WaitForAsync(marker);
        Assert.Equal(TestSmtpServer.User, mail.Header("x-authenticated-user"));
        Assert.Equal("250 OK stored", (string?)output["answer"]);
    }

    [Fact]
    public async Task Implicit_tls_with_an_untrusted_certificate_fails_and_sends_nothing()
    {
        var marker = Marker();
        credentials.Add(new Credential("smtps-untrusted", CredentialKind.Smtp, new Dictionary<string, string>
        {
            ["host"] = "127.0.0.1",
            ["port"] = TestSmtpServer.TlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["username"] = TestSmtpServer.User,
            ["password"] = TestSmtpServer.Password,
            ["tls"] = "tls",
            ["from"] = "desk@ops.test",
        }));

        var error = await Assert.ThrowsAsync<EmailDeliveryException>(() => RunAsync(
            new JsonObject { ["to"] = "ops@example.test", ["subject"] = marker, ["text"] = "x", ["credential"] = "smtps-untrusted" }));

        Assert.Contains("certificate", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(TestSmtpServer.Password, error.Message);
        await Assert.ThrowsAsync<TimeoutException>(() => TestSmtpServer.WaitForAsync(marker, TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task Cancellation_stops_a_send_to_a_server_that_never_answers()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        // Accepts the connection and never greets: the client waits for a 220 that does not come.
        var accepted = listener.AcceptTcpClientAsync();
        using var step = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();
        try
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunAsync(
                new JsonObject { ["to"] = "ops@example.test", ["subject"] = "x", ["text"] = "x" },
                defaults with { Port = port },
                step.Token));
        }
        finally
        {
            if (accepted.IsCompletedSuccessfully) (await accepted).Dispose();
            listener.Stop();
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData("to", "not-an-address")]
    [InlineData("to", "bob@")]
    [InlineData("to", "bob@example")]
    [InlineData("cc", "ok@example.test, @example.test")]
    [InlineData("bcc", "a@example.test\r\nBcc: evil@example.test")]
    [InlineData("from", "ops at example.test")]
    public async Task A_bad_address_is_an_error_naming_the_field_and_the_address(string field, string address)
    {
        var inputs = new JsonObject { ["to"] = "ops@example.test", ["subject"] = "x", ["text"] = "x" };
        inputs[field] = address;

        var error = await Assert.ThrowsAsync<ExecutorInputException>(() => RunAsync(inputs));

        Assert.Contains($"'{field}'", error.Message);
        Assert.Contains(address.Split(',')[^1].Trim().Split('\r')[0], error.Message);
    }

    [Theory]
    [InlineData("""{"to":"a@example.test","subject":"s"}""", "give 'text', 'html' or both")]
    [InlineData("""{"to":[],"subject":"s","text":"x"}""", "no recipient")]
    [InlineData("""{"to":[1],"subject":"s","text":"x"}""", "as strings")]
    [InlineData("""{"to":{"a":1},"subject":"s","text":"x"}""", "an address or an array")]
    [InlineData("""{"to":"a@example.test","subject":"two\nlines","text":"x"}""", "one line")]
    [InlineData("""{"to":"a@example.test","text":"x"}""", "'subject' is required")]
    [InlineData("""{"subject":"s","text":"x"}""", "'to' is required")]
    [InlineData("""{"to":"a@example.test","subject":"s","text":"x","credential":"hook"}""", "needs a 'smtp' credential")]
    public async Task Garbage_inputs_get_a_clear_error(string inputs, string expected)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunAsync(JsonNode.Parse(inputs)!.AsObject()));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task More_than_a_hundred_recipients_are_refused()
    {
        var many = new JsonArray([.. Enumerable.Range(0, 101).Select(i => (JsonNode)$"u{i}@example.test")]);

        var error = await Assert.ThrowsAsync<ExecutorInputException>(() => RunAsync(new JsonObject { ["to"] = many, ["subject"] = "s", ["text"] = "x" }));

        Assert.Contains("at most 100", error.Message);
    }

    [Fact]
    public async Task Without_a_credential_or_server_settings_the_step_says_what_to_configure()
    {
        var error = await Assert.ThrowsAsync<ExecutorInputException>(() => RunAsync(
            new JsonObject { ["to"] = "a@example.test", ["subject"] = "s", ["text"] = "x" },
            new SmtpOptions()));

        Assert.Contains("Smtp:Host", error.Message);
    }

    [Fact]
    public async Task Without_any_sender_the_step_says_where_to_give_one()
    {
        var error = await Assert.ThrowsAsync<ExecutorInputException>(() => RunAsync(
            new JsonObject { ["to"] = "a@example.test", ["subject"] = "s", ["text"] = "x" },
            defaults with { From = null }));

        Assert.Contains("no sender", error.Message);
    }
}
