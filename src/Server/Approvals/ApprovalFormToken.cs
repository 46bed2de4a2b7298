using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace WeOps.Server.Approvals;

/// <summary>The anti-forgery token of a confirmation page: the link's id, protected and time-limited with the
/// cluster's Data Protection keys, so only a page this server rendered for this link can post a decision. No
/// cookie is needed (a mail client's browser may not keep one), and any node can check it.</summary>
public sealed class ApprovalFormToken(IDataProtectionProvider provider)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(2);

    private readonly ITimeLimitedDataProtector protector = provider.CreateProtector("WeOps.Approvals.ConfirmationForm.v1").ToTimeLimitedDataProtector();

    public string Issue(long linkId) => protector.Protect(linkId.ToString(CultureInfo.InvariantCulture), Lifetime);

    public bool IsValidFor(string? token, long linkId)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 1000) return false;
        try
        {
            return protector.Unprotect(token) == linkId.ToString(CultureInfo.InvariantCulture);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
