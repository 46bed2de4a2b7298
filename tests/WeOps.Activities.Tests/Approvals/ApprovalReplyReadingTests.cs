using MimeKit;
using WeOps.Activities.Approvals;

namespace WeOps.Activities.Tests.Approvals;

/// <summary>What the server reads out of a mail in the reply mailbox, before it touches anything.</summary>
public sealed class ApprovalReplyReadingTests
{
    private const string Token = "abcdefghijklmnopqrstuvwxyz234567";

    private static MimeMessage Mail(string body, string to = $"approvals+{Token}@example.com", Action<MimeMessage>? change = null)
    {
        var message = new MimeMessage { Subject = "Re: Approval needed", Body = new TextPart("plain") { Text = body }, MessageId = "r1@example.com" };
        message.From.Add(MailboxAddress.Parse("Alice <alice@example.com>"));
        message.To.Add(MailboxAddress.Parse(to));
        change?.Invoke(message);
        return message;
    }

    [Theory]
    [InlineData("approve", "approve", null)]
    [InlineData("Approved.\n\n> quoted request", "approve", null)]
    [InlineData("\n  APPROVE looks fine\n", "approve", "looks fine")]
    [InlineData("reject, not during the freeze", "reject", "not during the freeze")]
    [InlineData("Rejected: no rollback plan", "reject", "no rollback plan")]
    [InlineData("同意", "approve", null)]
    [InlineData("拒绝，变更窗口冲突", "reject", "变更窗口冲突")]
    public void The_first_line_gives_the_decision_and_the_reason(string body, string decision, string? comment)
    {
        var reply = ApprovalReply.Read(Mail(body), "approvals@example.com");

        Assert.Equal((decision, comment), (reply.Decision, reply.Comment));
        Assert.Equal(Token, reply.Token);
        Assert.Equal("alice@example.com", reply.Sender);
        Assert.Equal("<r1@example.com>", reply.MessageId);
        Assert.Null(reply.Automatic);
    }

    [Theory]
    [InlineData("approvement pending")]
    [InlineData("> approve")]
    [InlineData("I approve")]
    [InlineData("")]
    public void A_first_line_that_is_not_a_decision_decides_nothing(string body) =>
        Assert.Null(ApprovalReply.Read(Mail(body), "approvals@example.com").Decision);

    [Fact]
    public void The_token_is_found_in_in_reply_to_when_the_reply_went_to_the_plain_address()
    {
        var reply = ApprovalReply.Read(Mail("approve", "approvals@example.com", m => m.InReplyTo = $"approval.{Token}@example.com"), "approvals@example.com");

        Assert.Equal(Token, reply.Token);
    }

    [Fact]
    public void A_reply_to_another_address_names_no_token() =>
        Assert.Null(ApprovalReply.Read(Mail("approve", $"other+{Token}@example.com"), "approvals@example.com").Token);

    [Theory]
    [InlineData("Auto-Submitted", "auto-replied")]
    [InlineData("X-Autoreply", "yes")]
    [InlineData("Precedence", "bulk")]
    [InlineData("Return-Path", "<>")]
    public void Auto_replies_and_bounces_are_recognised(string header, string value)
    {
        var reply = ApprovalReply.Read(Mail("approve", change: m => m.Headers.Add(header, value)), "approvals@example.com");

        Assert.NotNull(reply.Automatic);
    }

    [Fact]
    public void Auto_submitted_no_is_a_person() =>
        Assert.Null(ApprovalReply.Read(Mail("approve", change: m => m.Headers.Add("Auto-Submitted", "no")), "approvals@example.com").Automatic);
}
