using System.Text;
using WeOps.Activities.Cloud;

namespace WeOps.Activities.Tests.Cloud;

/// <summary>AWS Signature Version 4 against AWS's published test suite (Fixtures/aws-sigv4) and the worked
/// example of the IAM documentation.</summary>
public sealed class AwsSigV4Tests
{
    private const string AccessKey = "AKIDEXAMPLE";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static readonly DateTimeOffset SuiteTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    public static TheoryData<string> SuiteCases()
    {
        var cases = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(Path.Combine(AppContext.BaseDirectory, "Fixtures", "aws-sigv4")).Order(StringComparer.Ordinal))
            cases.Add(Path.GetFileName(dir));
        return cases;
    }

    [Fact]
    public void The_suite_fixtures_are_present()
    {
        Assert.True(SuiteCases().Count >= 20);
    }

    [Theory]
    [MemberData(nameof(SuiteCases))]
    public void Canonical_request_matches_the_suite(string name)
    {
        Assert.Equal(Read(name, "creq"), SignSuiteCase(name).CanonicalRequest);
    }

    [Theory]
    [MemberData(nameof(SuiteCases))]
    public void String_to_sign_matches_the_suite(string name)
    {
        Assert.Equal(Read(name, "sts"), SignSuiteCase(name).StringToSign);
    }

    [Theory]
    [MemberData(nameof(SuiteCases))]
    public void Authorization_matches_the_suite(string name)
    {
        Assert.Equal(Read(name, "authz"), SignSuiteCase(name).Authorization);
    }

    [Fact]
    public void Iam_list_users_example_gives_the_documented_key_hash_and_signature()
    {
        // AWS General Reference, "Examples of the complete Signature Version 4 signing process" (IAM ListUsers).
        var request = new AwsRequestToSign(
            "GET",
            "/",
            [new("Action", "ListUsers"), new("Version", "2010-05-08")],
            [
                new("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                new("Host", "iam.amazonaws.com"),
                new("X-Amz-Date", "20150830T123600Z"),
            ],
            []);

        var signature = AwsSigV4.Sign(request, AccessKey, Secret, "us-east-1", "iam", SuiteTime);

        Assert.Equal("c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9",
            Convert.ToHexStringLower(AwsSigV4.SigningKey(Secret, "20150830", "us-east-1", "iam")));
        Assert.Equal("AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\nf536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59",
            signature.StringToSign);
        Assert.Equal("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
            signature.Authorization);
    }

    [Fact]
    public void A_changed_secret_changes_the_signature()
    {
        var request = ParseRequest(Read("get-vanilla", "req"));
        var good = AwsSigV4.Sign(request, AccessKey, Secret, "us-east-1", "service", SuiteTime);
        var other = AwsSigV4.Sign(request, AccessKey, Secret + "x", "us-east-1", "service", SuiteTime);
        Assert.Equal(good.CanonicalRequest, other.CanonicalRequest);
        Assert.NotEqual(good.Signature, other.Signature);
    }

    private static AwsSignature SignSuiteCase(string name) =>
        AwsSigV4.Sign(ParseRequest(Read(name, "req")), AccessKey, Secret, "us-east-1", "service", SuiteTime);

    private static string Read(string name, string extension) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "aws-sigv4", name, $"{name}.{extension}"), Encoding.UTF8);

    /// <summary>Reads a suite <c>.req</c> file: request line, <c>Name:value</c> headers, blank line, body.</summary>
    private static AwsRequestToSign ParseRequest(string text)
    {
        var blank = text.IndexOf("\n\n", StringComparison.Ordinal);
        var head = blank < 0 ? text : text[..blank];
        var body = blank < 0 ? "" : text[(blank + 2)..];
        var lines = head.Split('\n');

        // The path may hold a space (get-space), so the method and protocol are cut from the ends.
        var requestLine = lines[0];
        var method = requestLine[..requestLine.IndexOf(' ')];
        var target = requestLine[(method.Length + 1)..requestLine.LastIndexOf(' ')];
        var question = target.IndexOf('?');
        var path = question < 0 ? target : target[..question];
        var query = new List<KeyValuePair<string, string>>();
        if (question >= 0)
        {
            foreach (var pair in target[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=');
                query.Add(equals < 0
                    ? new(Uri.UnescapeDataString(pair), "")
                    : new(Uri.UnescapeDataString(pair[..equals]), Uri.UnescapeDataString(pair[(equals + 1)..])));
            }
        }

        var headers = lines.Skip(1)
            .Select(line => new KeyValuePair<string, string>(line[..line.IndexOf(':')], line[(line.IndexOf(':') + 1)..]))
            .ToList();
        return new AwsRequestToSign(method, path, query, headers, Encoding.UTF8.GetBytes(body));
    }
}
