using MailKit;
using MimeKit;
using WeOps.Activities.Tests.Email;

namespace WeOps.Server.Tests.Approvals;

/// <summary>The approval server reading replies from a mailbox of its own on the test IMAP server (Dovecot).</summary>
public sealed class ApprovalReplyServer : ApprovalServer
{
    public const string ReplyAddress = "approvals@example.com";

    public string Mailbox { get; } = "replies-" + Guid.NewGuid().ToString("N")[..8];

    protected override string[] ExtraArguments =>
    [
        $"--Approvals:Reply:Address={ReplyAddress}",
        "--Approvals:Reply:Host=127.0.0.1",
        $"--Approvals:Reply:Port={TestImapServer.Port}",
        "--Approvals:Reply:Tls=none",
        $"--Approvals:Reply:Username={TestImapServer.User}",
        $"--Approvals:Reply:Password={TestImapServer.Password}",
        $"--Approvals:Reply:Mailbox={Mailbox}",
        "--Approvals:Reply:PollSeconds=1",
    ];

    public override async Task InitializeAsync()
    {
        using (var imap = await TestImapServer.ConnectAsync())
        {
            await imap.GetFolder(imap.PersonalNamespaces[0]).CreateAsync(Mailbox, true);
            await imap.DisconnectAsync(true);
        }

        await base.InitializeAsync();
    }

    /// <summary>Delivers a message into the reply mailbox, as the mail server would.</summary>
    public async Task DeliverAsync(MimeMessage message)
    {
        using var imap = await TestImapServer.ConnectAsync();
        var folder = await imap.GetFolderAsync(Mailbox);
        await folder.AppendAsync(message);
        await imap.DisconnectAsync(true);
    }
}

[CollectionDefinition(Name)]
public sealed class ApprovalReplyCollection : ICollectionFixture<ApprovalReplyServer>
{
    public const string Name = "approval replies";
}

/// <summary>End to end: approval mail through the test SMTP server, the approver's reply delivered into the reply
/// mailbox on the test IMAP server, read by the server (IDLE), and its answer mail back through SMTP.</summary>
[Collection(ApprovalReplyCollection.Name)]
public sealed class ApprovalReplyTests(ApprovalReplyServer approvals)
{
    [Fact]
    public async Task A_reply_approve_from_the_approver_decides_with_its_message_id_in_the_history_and_is_confirmed()
    {
        var key = await approvals.PublishAsync($"""<ops:approval approvers="alice" {ApprovalServer.Titled}/>""");
        var (id, marker) = await approvals.StartAsync(key);
        var request = await ApprovalServer.MailAsync("alice", marker);
        Assert.Matches(@"approvals\+[a-z2-7]{32}@example\.com", request.Header("reply-to"));

        var reply = Reply(request, "alice@example.com", "Approve\n\nOn Monday WeOps wrote:\n> Approval needed");
        await approvals.DeliverAsync(reply);

        await approvals.WaitForTaskAsync(id, "deploy");
        var instance = await approvals.InstanceAsync(id);
        var decision = instance["variables"]!["approval"]!["decisions"]!.AsArray().Single()!;
        Assert.Equal(("alice", "approve", "mail"), ((string?)decision["approver"], (string?)decision["decision"], (string?)decision["channel"]));
        Assert.Contains(instance["events"]!.AsArray(), e => (string?)e!["kind"] == "ApprovalDecided" && ((string?)e["detail"])!.Contains($"<{reply.MessageId}>", StringComparison.Ordinal));
        var answer = await ApprovalServer.MailAsync("alice", marker, "Re: Approval needed");
        Assert.Contains("Your decision (approve) is recorded.", answer.Body, StringComparison.Ordinal);
        Assert.Equal("auto-replied", answer.Header("auto-submitted"));
    }

    [Fact]
    public async Task A_reply_in_chinese_rejects_with_its_reason_through_the_message_id_alone()
    {
        var key = await approvals.PublishAsync($"""<ops:approval approvers="bob" {ApprovalServer.Titled}/>""");
        var (id, marker) = await approvals.StartAsync(key);
        var request = await ApprovalServer.MailAsync("bob", marker);

        // Sent to the plain reply address: only In-Reply-To names the request.
        var reply = Reply(request, "bob@example.com", "拒绝，变更窗口冲突\n");
        reply.To.Clear();
        reply.To.Add(MailboxAddress.Parse(ApprovalReplyServer.ReplyAddress));
        await approvals.DeliverAsync(reply);

        await approvals.WaitForTaskAsync(id, "refuse");
        var decision = (await approvals.InstanceAsync(id))["variables"]!["approval"]!["decisions"]!.AsArray().Single()!;
        Assert.Equal(("reject", "变更窗口冲突"), ((string?)decision["decision"], (string?)decision["comment"]));
    }

    [Fact]
    public async Task A_reply_from_another_address_decides_nothing_and_is_told_why()
    {
        var key = await approvals.PublishAsync($"""<ops:approval approvers="alice" {ApprovalServer.Titled}/>""");
        var (id, marker) = await approvals.StartAsync(key);
        var request = await ApprovalServer.MailAsync("alice", marker);

        await approvals.DeliverAsync(Reply(request, "mallory@example.com", "approve"));

        var answer = await ApprovalServer.MailAsync("mallory", marker, "Re: Approval needed");
        Assert.Contains("Nothing was decided", answer.Body, StringComparison.Ordinal);
        Assert.Contains("cannot decide it", answer.Body, StringComparison.Ordinal);
        Assert.Equal(0, Decisions(await approvals.InstanceAsync(id)));
        await approvals.WaitForTaskAsync(id, "approve");
    }

    [Fact]
    public async Task A_replayed_reply_and_a_second_reply_change_nothing_and_are_told_why()
    {
        var key = await approvals.PublishAsync($"""<ops:approval approvers="carol" {ApprovalServer.Titled}/>""");
        var (id, marker) = await approvals.StartAsync(key);
        var request = await ApprovalServer.MailAsync("carol", marker);
        var reply = Reply(request, "carol@example.com", "approve");
        await approvals.DeliverAsync(reply);
        await approvals.WaitForTaskAsync(id, "deploy");
        await ApprovalServer.MailAsync("carol", marker, "Re: Approval needed");

        // The same message again (another copy), then a fresh reply that tries to turn the decision around.
        reply.Subject = "Re: Approval needed: replay " + marker;
        await approvals.DeliverAsync(reply);
        var second = Reply(request, "carol@example.com", "reject, changed my mind");
        second.Subject = "Re: Approval needed: second " + marker;
        await approvals.DeliverAsync(second);

        var replayed = await ApprovalServer.MailAsync("carol", "replay " + marker, "Re: Approval needed");
        Assert.Contains("received before", replayed.Body, StringComparison.Ordinal);
        var late = await ApprovalServer.MailAsync("carol", "second " + marker, "Re: Approval needed");
        Assert.Contains("Nothing was decided", late.Body, StringComparison.Ordinal);
        var approval = (await approvals.InstanceAsync(id))["variables"]!["approval"]!;
        Assert.Equal("approved", (string?)approval["outcome"]);
        Assert.Single(approval["decisions"]!.AsArray());
    }

    [Fact]
    public async Task An_auto_reply_is_ignored_without_an_answer()
    {
        var key = await approvals.PublishAsync($"""<ops:approval approvers="alice" {ApprovalServer.Titled}/>""");
        var (id, marker) = await approvals.StartAsync(key);
        var request = await ApprovalServer.MailAsync("alice", marker);
        var vacation = Reply(request, "alice@example.com", "approve");
        vacation.Headers.Add(HeaderId.AutoSubmitted, "auto-replied");
        vacation.Subject = "Out of office: " + marker;
        await approvals.DeliverAsync(vacation);
        // A reply after it is read in turn: once it is answered, the auto-reply has been passed over.
        var after = Reply(request, "mallory@example.com", "approve");
        after.Subject = "Re: Approval needed: after " + marker;
        await approvals.DeliverAsync(after);

        await ApprovalServer.MailAsync("mallory", "after " + marker, "Re: Approval needed");
        await Assert.ThrowsAsync<TimeoutException>(() => TestSmtpServer.WaitForAsync("Re: Out of office: " + marker, TimeSpan.FromMilliseconds(500)));
        Assert.Equal(0, Decisions(await approvals.InstanceAsync(id)));
    }

    private static int Decisions(System.Text.Json.Nodes.JsonNode instance) => instance["variables"]?["approval"]?["decisions"]?.AsArray().Count ?? 0;

    /// <summary>A reply as a mail program writes it: to the Reply-To, In-Reply-To and References the request.</summary>
    private static MimeMessage Reply(StoredMail request, string from, string text)
    {
        var reply = new MimeMessage { Subject = "Re: " + request.Subject, Body = new TextPart("plain") { Text = text } };
        reply.From.Add(MailboxAddress.Parse(from));
        reply.To.Add(MailboxAddress.Parse(request.Header("reply-to")!));
        var id = request.Header("message-id")!.Trim('<', '>');
        reply.InReplyTo = id;
        reply.References.Add(id);
        reply.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("example.com");
        return reply;
    }
}
