using System.Globalization;
using MailKit.Net.Imap;
using MailKit.Security;

namespace WeOps.Server.Tests.Approvals;

/// <summary>The IMAP server that scripts/services/imap.sh starts for the test run (Dovecot on 127.0.0.1).</summary>
public static class TestImapServer
{
    public static int Port => int.Parse(Env("WEOPS_TEST_IMAP_PORT"), CultureInfo.InvariantCulture);
    public static string User => Env("WEOPS_TEST_IMAP_USER");
    public static string Password => Env("WEOPS_TEST_IMAP_PASSWORD");

    private static string Env(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set: the approval reply tests need the test IMAP server. Run them through ./test.sh, or: " +
                "bash -c 'source scripts/test-services.sh; svc_smtp_start; svc_imap_start; dotnet test tests/WeOps.Server.Tests --filter FullyQualifiedName~ApprovalReply'");

    /// <summary>A signed-in client on the plain port, as a mail server delivering into the mailbox would write.</summary>
    public static async Task<ImapClient> ConnectAsync()
    {
        var client = new ImapClient { Timeout = 20_000 };
        await client.ConnectAsync("127.0.0.1", Port, SecureSocketOptions.None);
        await client.AuthenticateAsync(User, Password);
        return client;
    }
}
