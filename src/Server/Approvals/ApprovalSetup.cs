using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using WeOps.Activities.Approvals;
using WeOps.Engine.Approvals;

namespace WeOps.Server.Approvals;

/// <summary>Approval mail and pages: where links point (<c>Approvals:BaseUrl</c>), the mailer, the form tokens, and
/// approval by reply (<c>Approvals:Reply</c>): the signed reply tokens and, when configured, the IMAP reader.</summary>
public static class ApprovalSetup
{
    public static WebApplicationBuilder AddWeOpsApprovals(this WebApplicationBuilder builder)
    {
        var configured = builder.Configuration["Approvals:BaseUrl"];
        if (!string.IsNullOrWhiteSpace(configured)
            && (!Uri.TryCreate(configured, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(parsed.Query)))
            throw new InvalidOperationException($"Approvals:BaseUrl is '{configured}'; it must be an absolute http(s) address without a query, e.g. https://weops.example.com.");

        builder.Services.AddSingleton(sp => new ApprovalLinkBase(() => string.IsNullOrWhiteSpace(configured) ? OwnAddress(sp) : new Uri(configured)));
        builder.Services.AddSingleton<IApprovalMailer, ApprovalMailer>();
        builder.Services.AddSingleton<ApprovalFormToken>();

        var replies = builder.Configuration.GetSection("Approvals:Reply").Get<ApprovalReplyOptions>() ?? new ApprovalReplyOptions();
        if (replies.Problem() is { } problem) throw new InvalidOperationException(problem);
        builder.Services.AddSingleton(replies);
        builder.Services.AddSingleton<ApprovalReplyToken>();
        builder.Services.AddSingleton<ApprovalReplyLedger>();
        builder.Services.AddSingleton<ApprovalReplyDesk>();
        if (replies.Enabled) builder.Services.AddHostedService<ApprovalReplyInbox>();
        return builder;
    }

    /// <summary>The address the server listens on, with a wildcard host made loopback: links that work on this machine.
    /// Behind a proxy or for other machines, set Approvals:BaseUrl.</summary>
    private static Uri OwnAddress(IServiceProvider services)
    {
        var address = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:5080";
        address = address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal);
        return new Uri(address);
    }
}
