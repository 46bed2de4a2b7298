using System.Net;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WeOps.Activities.Email;
using WeOps.Activities.Network;

namespace WeOps.Activities.Approvals;

/// <summary>Reads the reply mailbox over IMAP and hands every unseen message to <see cref="ApprovalReplyDesk"/>:
/// waits with IDLE where the server offers it, else looks every <see cref="ApprovalReplyOptions.PollSeconds"/>.
/// A message is flagged \Seen once handled; a broken connection is opened again after the poll interval.</summary>
public sealed class ApprovalReplyInbox(ApprovalReplyOptions options, ApprovalReplyDesk desk, OutboundPolicy outbound, ILogger<ApprovalReplyInbox> logger)
    : BackgroundService
{
    /// <summary>Servers drop an IDLE after 30 minutes (RFC 2177); it is renewed well before.</summary>
    private static readonly TimeSpan IdleRenewal = TimeSpan.FromMinutes(9);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromSeconds(options.PollSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var client = await ConnectAsync(stoppingToken);
                var folder = await client.GetFolderAsync(options.Mailbox, stoppingToken);
                await folder.OpenAsync(FolderAccess.ReadWrite, stoppingToken);
                logger.LogInformation("Reading approval replies from {Mailbox} on {Host}:{Port} ({How})", options.Mailbox, options.Host, options.Port,
                    client.Capabilities.HasFlag(ImapCapabilities.Idle) ? "IDLE" : $"every {options.PollSeconds} s");
                while (!stoppingToken.IsCancellationRequested && client.IsConnected)
                {
                    await ReadUnseenAsync(folder, stoppingToken);
                    if (client.Capabilities.HasFlag(ImapCapabilities.Idle))
                        await IdleAsync(client, folder, stoppingToken);
                    else
                    {
                        await Task.Delay(poll, stoppingToken);
                        await client.NoOpAsync(stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning("The approval reply mailbox {Mailbox} on {Host}:{Port} failed; trying again in {Seconds} s: {Error}",
                    options.Mailbox, options.Host, options.Port, options.PollSeconds, e.Message);
                try
                {
                    await Task.Delay(poll, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Handles every message not yet flagged \Seen, oldest first.</summary>
    public async Task ReadUnseenAsync(IMailFolder folder, CancellationToken cancellationToken)
    {
        var unseen = await folder.SearchAsync(SearchQuery.NotSeen, cancellationToken);
        foreach (var uid in unseen.OrderBy(u => u.Id))
        {
            var message = await folder.GetMessageAsync(uid, cancellationToken);
            await desk.HandleAsync(message, $"{folder.UidValidity}:{uid.Id}", cancellationToken);
            await folder.AddFlagsAsync(uid, MessageFlags.Seen, true, cancellationToken);
        }
    }

    private async Task<ImapClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var client = new ImapClient { Timeout = options.TimeoutSeconds * 1000, CheckCertificateRevocation = false };
        client.ServerCertificateValidationCallback = (_, certificate, _, errors) => CertificatePin.Trusted(options.CertificateSha256, certificate, errors);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds));
            var socket = await outbound.ConnectAsync(options.Host!, options.Port, timeout.Token);
            var security = options.Tls switch
            {
                SmtpTlsMode.None => SecureSocketOptions.None,
                SmtpTlsMode.StartTls => SecureSocketOptions.StartTls,
                SmtpTlsMode.Tls => SecureSocketOptions.SslOnConnect,
                _ => throw new ArgumentOutOfRangeException(nameof(options), options.Tls, null),
            };
            await client.ConnectAsync(socket, options.Host!, options.Port, security, timeout.Token);
            client.AuthenticationMechanisms.Remove("XOAUTH2");
            client.AuthenticationMechanisms.Remove("OAUTHBEARER");
            await client.AuthenticateAsync(new NetworkCredential(options.Username, options.Password ?? ""), timeout.Token);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>IDLE until a message arrives, the renewal time passes, or the server stops.</summary>
    private static async Task IdleAsync(ImapClient client, IMailFolder folder, CancellationToken stoppingToken)
    {
        using var done = new CancellationTokenSource(IdleRenewal);
        void Arrived(object? sender, EventArgs e) => done.Cancel();
        folder.CountChanged += Arrived;
        try
        {
            await client.IdleAsync(done.Token, stoppingToken);
        }
        finally
        {
            folder.CountChanged -= Arrived;
        }
    }
}
