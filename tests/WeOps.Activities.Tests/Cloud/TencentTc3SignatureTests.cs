using System.Text;
using WeOps.Activities.Cloud;

namespace WeOps.Activities.Tests.Cloud;

/// <summary>Tencent Cloud TC3-HMAC-SHA256 against the CVM DescribeInstances example of its "Signature v3"
/// documentation (timestamp 1551113065, region ap-guangzhou).</summary>
public sealed class TencentTc3SignatureTests
{
    // The escapes stay literal: the example signs the JSON exactly as sent.
    private static readonly byte[] Payload =
        Encoding.UTF8.GetBytes("{\"Limit\": 1, \"Filters\": [{\"Values\": [\"\\u672a\\u547d\\u540d\"], \"Name\": \"instance-name\"}]}");

    [Fact]
    public void Current_example_gives_the_documented_canonical_request_string_to_sign_and_signature()
    {
        // The current page masks its keys: the SecretKey is printed as 32 '*' and the SecretId as "AKID" and 32 '*'.
        // Its published derived keys and signature are exactly those of that printed string, so the example is
        // used as published.
        var masked = new string('*', 32);
        var signature = TencentTc3Signature.Sign(
            "AKID" + masked,
            masked,
            "cvm",
            [new("Content-Type", "application/json; charset=utf-8"), new("Host", "cvm.tencentcloudapi.com"), new("X-TC-Action", "DescribeInstances")],
            Payload,
            1551113065);

        Assert.Equal(
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\nx-tc-action:describeinstances\n\n"
            + "content-type;host;x-tc-action\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064",
            signature.CanonicalRequest);
        Assert.Equal(
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84",
            signature.StringToSign);
        Assert.Equal("b596b923aad85185e2d1f6659d2a062e0a86731226e021e61bfe06f7ed05f5af",
            Convert.ToHexStringLower(TencentTc3Signature.SigningKey(masked, "2019-02-25", "cvm")));
        Assert.Equal(
            $"TC3-HMAC-SHA256 Credential=AKID{masked}/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host;x-tc-action, "
            + "Signature=10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f",
            signature.Authorization);
    }

    [Fact]
    public void Earlier_example_signing_content_type_and_host_gives_its_documented_signature()
    {
        // The earlier (English) edition signs only content-type;host and names the key Gu5t9xGARNpq86cd98joQYCN3EXAMPLE.
        var signature = TencentTc3Signature.Sign(
            "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
            "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
            "cvm",
            [new("Content-Type", "application/json; charset=utf-8"), new("Host", "cvm.tencentcloudapi.com")],
            Payload,
            1551113065);

        Assert.Equal(
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031",
            signature.StringToSign);
        Assert.Equal("72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168", signature.Signature);
    }

    [Fact]
    public void The_credential_date_is_the_utc_date_of_the_timestamp()
    {
        // 1551113065 is 2019-02-26 00:44:25 in UTC+8; the scope must still say 2019-02-25.
        var signature = TencentTc3Signature.Sign("id", "key", "cvm", [new("host", "h")], [], 1551113065);
        Assert.Contains("\n2019-02-25/cvm/tc3_request\n", signature.StringToSign, StringComparison.Ordinal);
    }
}
