using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using WeOps.Activities.Credentials;
using WeOps.Activities.Notify;
using WeOps.Engine.Model;

namespace WeOps.Server.Hooks;

/// <summary>Checks the signature of a call to a hook with <c>auth="hmac"</c>: <c>sha256=</c> and the hex HMAC-SHA256
/// of <c>&lt;timestamp&gt;.&lt;body&gt;</c> keyed by the hook's secret (<see cref="WebhookSigning.Generic"/>, which
/// WeOps' own <c>notify.webhook</c> sends), the timestamp in <see cref="WebhookSigning.TimestampHeader"/> and within
/// <see cref="HookOptions.TimestampWindow"/> of the server's clock, and the signature never seen before on any node.</summary>
public sealed class SignedDelivery(ICredentialStore credentials, HookDeliveries deliveries, IOptions<HookOptions> options, TimeProvider time, ILogger<SignedDelivery> log)
{
    private const string SignaturePrefix = "sha256=";
    private static readonly string TimestampHeader = WebhookSigning.TimestampHeader;

    /// <summary>A delivery whose signature holds and whose timestamp is in the window: <see cref="Signature"/>
    /// is the hex of the signature, remembered until <see cref="ExpiresAt"/>.</summary>
    public sealed record Verified(string Signature, DateTimeOffset ExpiresAt);

    /// <summary>A refused delivery: the status and problem to answer with.</summary>
    public sealed record Refused(int Status, string Title, string Detail);

    /// <summary>The verified delivery, or why it is refused: 401 for a missing, malformed or wrong signature or
    /// timestamp (the caller is not told whether the secret is missing), 409 for a timestamp outside the window.</summary>
    public async Task<(Verified? Delivery, Refused? Refusal)> VerifyAsync(HttpRequest request, byte[] body, HttpTrigger trigger, CancellationToken cancellationToken)
    {
        var header = request.Headers[trigger.SignatureHeader].ToString().Trim();
        var hex = header.StartsWith(SignaturePrefix, StringComparison.OrdinalIgnoreCase) ? header[SignaturePrefix.Length..] : "";
        if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit)) return (null, BadSignature(trigger));

        var timestampText = request.Headers[TimestampHeader].ToString().Trim();
        if (timestampText.Length == 0)
        {
            return (null, new Refused(StatusCodes.Status401Unauthorized, "Timestamp required",
                $"Signed hooks need the header {TimestampHeader}: <Unix time in seconds>, and the signature in {trigger.SignatureHeader} "
                + $"must cover it: {SignaturePrefix}<hex of the HMAC-SHA256 of \"<timestamp>.<body>\">. A signature of the body alone is not accepted."));
        }

        if (!long.TryParse(timestampText, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp) || timestamp > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return (null, new Refused(StatusCodes.Status401Unauthorized, "Bad timestamp",
                $"The header {TimestampHeader} must be the Unix time in seconds (digits only), not '{Endpoints.CredentialsEndpoints.Printable(timestampText)}'."));
        }

        string secret;
        try
        {
            secret = (await credentials.GetAsync(trigger.SecretCredential!, cancellationToken)).Expect(CredentialKind.Webhook).Require("secret");
        }
        catch (Exception e) when (e is CredentialException or CryptographicException)
        {
            log.LogWarning("Hook {Path} cannot verify signatures: {Problem}", trigger.Path, e.Message);
            return (null, BadSignature(trigger));
        }

        var expected = WebhookSigning.GenericMac(secret, timestamp, body);
        if (!CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(hex))) return (null, BadSignature(trigger));

        var window = options.Value.TimestampWindow;
        var signedAt = DateTimeOffset.FromUnixTimeSeconds(timestamp);
        var now = time.GetUtcNow();
        var skew = now - signedAt;
        if (skew.Duration() > window)
        {
            var age = skew > TimeSpan.Zero ? $"{skew.TotalSeconds:0} s old" : $"{-skew.TotalSeconds:0} s ahead of the server's clock";
            return (null, new Refused(StatusCodes.Status409Conflict, "Delivery outside the time window",
                $"The delivery was signed at {signedAt:yyyy-MM-ddTHH:mm:ssZ} ({TimestampHeader}: {timestamp}), {age}; signed deliveries are accepted "
                + $"within {window.TotalSeconds:0} s of the server's time. Nothing was started: sign it again with the current time."));
        }

        return (new Verified(hex.ToLowerInvariant(), signedAt + window), null);
    }

    /// <summary>Records the verified delivery; a refusal when any node recorded it before.</summary>
    public async Task<Refused?> RecordAsync(Verified delivery, CancellationToken cancellationToken) =>
        await deliveries.RecordAsync(delivery.Signature, delivery.ExpiresAt, cancellationToken)
            ? null
            : new Refused(StatusCodes.Status409Conflict, "Delivery already received",
                $"A delivery with this signature was accepted before (within the last {options.Value.TimestampWindow.TotalSeconds:0} s); each signed "
                + "delivery starts its process once. Nothing was started: a new delivery needs a new timestamp and signature.");

    /// <summary>Forgets a recorded delivery that started nothing, so that it may be sent again.</summary>
    public Task ForgetAsync(Verified delivery, CancellationToken cancellationToken) => deliveries.ForgetAsync(delivery.Signature, cancellationToken);

    private static Refused BadSignature(HttpTrigger trigger) =>
        new(StatusCodes.Status401Unauthorized, "Bad signature",
            $"The header {trigger.SignatureHeader} must be {SignaturePrefix}<hex of the HMAC-SHA256 of \"<timestamp>.<body>\"> with the hook's secret, "
            + $"where <timestamp> is the header {TimestampHeader} (Unix time in seconds) and <body> the raw body.");
}
