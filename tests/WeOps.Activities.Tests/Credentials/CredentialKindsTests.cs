using WeOps.Activities.Credentials;

namespace WeOps.Activities.Tests.Credentials;

public sealed class CredentialKindsTests
{
    private static IReadOnlyList<string> Check(CredentialKind kind, params (string Field, string? Value)[] values) =>
        CredentialKinds.Check(kind, values.ToDictionary(v => v.Field, v => v.Value));

    [Fact]
    public void Complete_credentials_of_every_kind_pass()
    {
        Assert.Empty(Check(CredentialKind.Ssh, ("username", "ops"), ("privateKey", "k")));
        Assert.Empty(Check(CredentialKind.Ssh, ("password", "p")));
        Assert.Empty(Check(CredentialKind.Kubernetes, ("kubeconfig", "apiVersion: v1")));
        Assert.Empty(Check(CredentialKind.Kubernetes, ("server", "https://127.0.0.1:6443"), ("token", "t")));
        Assert.Empty(Check(CredentialKind.Aws, ("accessKeyId", "a"), ("secretAccessKey", "s")));
        Assert.Empty(Check(CredentialKind.Aliyun, ("accessKeyId", "a"), ("accessKeySecret", "s")));
        Assert.Empty(Check(CredentialKind.Tencent, ("secretId", "a"), ("secretKey", "s")));
        Assert.Empty(Check(CredentialKind.Smtp, ("host", "127.0.0.1"), ("port", "2525")));
        Assert.Empty(Check(CredentialKind.Webhook, ("secret", "s")));
    }

    [Fact]
    public void A_missing_required_field_is_named()
    {
        var problems = Check(CredentialKind.Aws, ("accessKeyId", "a"));
        Assert.Equal(["values.secretAccessKey: required for a aws credential."], problems);
    }

    [Fact]
    public void A_kind_that_needs_one_of_several_fields_says_which()
    {
        Assert.Contains("values: a ssh credential needs privateKey or password.", Check(CredentialKind.Ssh, ("username", "ops")));
        Assert.Contains("values.server: required with a token (or give a whole kubeconfig).", Check(CredentialKind.Kubernetes, ("token", "t")));
    }

    [Fact]
    public void An_unknown_field_is_refused_and_its_value_is_not_repeated()
    {
        var problems = Check(CredentialKind.Tencent, ("secretId", "a"), ("secretKey", "s"), ("secretKee", "TOPSECRET"));
        var problem = Assert.Single(problems);
        Assert.StartsWith("values.secretKee: a tencent credential has no such field", problem);
        Assert.DoesNotContain("TOPSECRET", problem);
    }

    [Fact]
    public void Oversized_values_and_bad_ports_are_refused()
    {
        Assert.Contains($"values.privateKey: at most {CredentialKinds.MaxValueLength} characters.",
            Check(CredentialKind.Ssh, ("privateKey", new string('k', CredentialKinds.MaxValueLength + 1))));
        Assert.Contains("values.port: a port number from 1 to 65535.", Check(CredentialKind.Smtp, ("host", "h"), ("port", "70000")));
    }

    [Theory]
    [InlineData("prod-ssh", true)]
    [InlineData("a.b_c-1", true)]
    [InlineData("", false)]
    [InlineData("-oProxyCommand", false)]
    [InlineData("has space", false)]
    [InlineData("../etc/passwd", false)]
    public void Credential_names_are_plain_words(string name, bool valid) =>
        Assert.Equal(valid, CredentialKinds.IsValidName(name));
}
