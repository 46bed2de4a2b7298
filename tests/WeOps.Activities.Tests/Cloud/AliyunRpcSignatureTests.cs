using WeOps.Activities.Cloud;

namespace WeOps.Activities.Tests.Cloud;

/// <summary>Alibaba Cloud RPC signatures against the worked example of its "Signature mechanism"
/// documentation (ECS DescribeRegions, AccessKey ID <c>testid</c>, secret <c>testsecret</c>).</summary>
public sealed class AliyunRpcSignatureTests
{
    private static List<KeyValuePair<string, string>> DescribeRegions(string timestampName) =>
    [
        new(timestampName, "2016-02-23T12:46:24Z"),
        new("Format", "XML"),
        new("AccessKeyId", "testid"),
        new("Action", "DescribeRegions"),
        new("SignatureMethod", "HMAC-SHA1"),
        new("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
        new("Version", "2014-05-26"),
        new("SignatureVersion", "1.0"),
    ];

    [Fact]
    public void Describe_regions_example_gives_the_documented_string_to_sign_and_signature()
    {
        var stringToSign = AliyunRpcSignature.StringToSign("GET", DescribeRegions("Timestamp"));

        Assert.Equal(
            "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1"
            + "%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0"
            + "%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26",
            stringToSign);
        Assert.Equal("OLeaidS1JvxuMvnyHOwuJ+uX5qY=", AliyunRpcSignature.Sign(stringToSign, "testsecret"));
    }

    [Fact]
    public void Earlier_edition_of_the_example_with_TimeStamp_gives_its_documented_signature()
    {
        // The 2016 edition spelled the parameter "TimeStamp" and published CT9X0VtwR86fNWSnsc6v8YGOjuE=, the value the
        // overview of the current page still shows. Its printed string-to-sign left the '&' between parameters
        // unencoded (a typo: the signature only comes out with them encoded), so only the signature is compared.
        var stringToSign = AliyunRpcSignature.StringToSign("GET", DescribeRegions("TimeStamp"));
        Assert.Equal("CT9X0VtwR86fNWSnsc6v8YGOjuE=", AliyunRpcSignature.Sign(stringToSign, "testsecret"));
    }

    [Theory]
    [InlineData("a b", "a%20b")]
    [InlineData("*", "%2A")]
    [InlineData("~-_.", "~-_.")]
    [InlineData("/=&+", "%2F%3D%26%2B")]
    [InlineData("!'()", "%21%27%28%29")]
    [InlineData("未命名", "%E6%9C%AA%E5%91%BD%E5%90%8D")]
    public void Percent_encoding_follows_the_documented_rules(string value, string encoded)
    {
        Assert.Equal(encoded, UriEncoding.Encode(value));
    }

    [Fact]
    public void The_order_parameters_are_given_in_does_not_matter()
    {
        var given = DescribeRegions("Timestamp");
        var reversed = Enumerable.Reverse(given).ToList();
        Assert.Equal(AliyunRpcSignature.StringToSign("GET", given), AliyunRpcSignature.StringToSign("GET", reversed));
    }
}
