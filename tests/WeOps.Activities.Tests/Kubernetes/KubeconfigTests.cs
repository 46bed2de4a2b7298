using WeOps.Activities.Credentials;
using WeOps.Activities.Kubernetes;

namespace WeOps.Activities.Tests.Kubernetes;

public sealed class KubeconfigTests
{
    private const string TwoContexts = """
        apiVersion: v1
        kind: Config
        current-context: prod
        clusters:
        - name: prod-cluster
          cluster:
            server: https://10.0.0.1:6443
            certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUIKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=
        - name: lab-cluster
          cluster:
            server: "https://lab.example:6443"
            insecure-skip-tls-verify: true
        users:
        - name: ops
          user:
            token: s3cr3t-token-value
        - name: lab-admin
          user:
            token: "lab-token"
        contexts:
        - name: prod
          context:
            cluster: prod-cluster
            user: ops
        - name: lab
          context:
            cluster: lab-cluster
            user: lab-admin
            namespace: sandbox
        """;

    [Fact]
    public void Current_context_gives_its_server_ca_and_token()
    {
        var endpoint = Kubeconfig.Parse(TwoContexts).Resolve(null);

        Assert.Equal(new Uri("https://10.0.0.1:6443"), endpoint.Server);
        Assert.Equal("s3cr3t-token-value", endpoint.Token);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", endpoint.CertificateAuthorityPem);
        Assert.False(endpoint.InsecureSkipTlsVerify);
        Assert.Null(endpoint.Namespace);
    }

    [Fact]
    public void A_named_context_is_selected_with_its_namespace_and_insecure_flag()
    {
        var endpoint = Kubeconfig.Parse(TwoContexts).Resolve("lab");

        Assert.Equal("lab.example", endpoint.Server.Host);
        Assert.Equal("lab-token", endpoint.Token);
        Assert.Equal("sandbox", endpoint.Namespace);
        Assert.True(endpoint.InsecureSkipTlsVerify);
    }

    [Fact]
    public void A_missing_context_is_named_with_the_contexts_there_are()
    {
        var e = Assert.Throws<KubeconfigException>(() => Kubeconfig.Parse(TwoContexts).Resolve("staging"));

        Assert.Equal("context 'staging' not found; contexts: prod, lab.", e.Message);
    }

    [Fact]
    public void No_current_context_and_none_given_is_a_clear_error()
    {
        var yaml = TwoContexts.Replace("current-context: prod", "", StringComparison.Ordinal);

        var e = Assert.Throws<KubeconfigException>(() => Kubeconfig.Parse(yaml).Resolve(null));

        Assert.Contains("no current-context", e.Message);
        Assert.Contains("prod, lab", e.Message);
    }

    [Fact]
    public void A_context_naming_a_missing_user_or_cluster_says_which()
    {
        var yaml = TwoContexts.Replace("user: lab-admin", "user: ghost", StringComparison.Ordinal);

        var e = Assert.Throws<KubeconfigException>(() => Kubeconfig.Parse(yaml).Resolve("lab"));

        Assert.Equal("context 'lab' names user 'ghost', which is not in the kubeconfig; users: ops, lab-admin.", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Client_certificate_and_key_data_decode_to_pem(bool ec)
    {
        var (cert, key) = KubernetesTestBed.Pki.IssueClient("alice", ec: ec);
        var yaml = $"""
            clusters: [{"{"}name: c, cluster: {"{"}server: "https://127.0.0.1:6443"{"}"}{"}"}]
            users:
            - name: alice
              user:
                client-certificate-data: {KubernetesTestBed.Base64(cert)}
                client-key-data: {KubernetesTestBed.Base64(key)}
            contexts: [{"{"}name: x, context: {"{"}cluster: c, user: alice{"}"}{"}"}]
            current-context: x
            """;

        var endpoint = Kubeconfig.Parse(yaml).Resolve(null);

        Assert.Equal(cert, endpoint.ClientCertificatePem);
        Assert.Equal(key, endpoint.ClientKeyPem);
        Assert.Contains(ec ? "BEGIN EC PRIVATE KEY" : "BEGIN RSA PRIVATE KEY", endpoint.ClientKeyPem);
        Assert.Null(endpoint.Token);
    }

    [Fact]
    public void File_references_are_read_relative_to_the_kubeconfig_directory()
    {
        var directory = Directory.CreateTempSubdirectory("weops-kubeconfig-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "ca.crt"), KubernetesTestBed.Pki.CaPem);
            File.WriteAllText(Path.Combine(directory, "token"), "file-token\n");
            var yaml = """
                clusters:
                - name: c
                  cluster: {server: "https://127.0.0.1:6443", certificate-authority: ca.crt}
                users:
                - name: u
                  user: {tokenFile: token}
                contexts:
                - name: x
                  context: {cluster: c, user: u, namespace: ops}
                current-context: x
                """;

            var endpoint = Kubeconfig.Parse(yaml, directory).Resolve(null);

            Assert.Equal(KubernetesTestBed.Pki.CaPem, endpoint.CertificateAuthorityPem);
            Assert.Equal("file-token", endpoint.Token);
            Assert.Equal("ops", endpoint.Namespace);
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }

    [Theory]
    [InlineData("clusters:\n- name: c\n  cluster: {server: \"https://h:1\", certificate-authority: /etc/ssl/certs/ca-certificates.crt}", "cluster 'c': certificate-authority refers to a file; a kubeconfig given as text must embed the data (certificate-authority-data).")]
    [InlineData("clusters:\n- name: c\n  cluster: {server: \"https://h:1\"}", "user 'u': tokenFile refers to a file; a kubeconfig given as text must embed the data (token).")]
    public void A_kubeconfig_given_as_text_does_not_read_server_files(string clusters, string message)
    {
        var yaml = clusters + "\nusers: [{name: u, user: {tokenFile: /etc/hostname}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\n";

        var e = Assert.Throws<KubeconfigException>(() => Kubeconfig.Parse(yaml).Resolve("x"));

        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{{{")]
    [InlineData("key: [unclosed")]
    [InlineData("- just\n- a list")]
    [InlineData("clusters: 42")]
    [InlineData("clusters:\n- cluster: {server: x}")]
    [InlineData("a: 1\n---\nb: 2")]
    [InlineData("\t\u0000\u0001binary")]
    [InlineData("users:\n- name: u\n  user: {token: [1, 2]}\ncontexts: []")]
    public void Garbage_gives_a_kubeconfig_error_not_a_crash(string yaml)
    {
        var e = Record.Exception(() => Kubeconfig.Parse(yaml).Resolve(null));

        var error = Assert.IsType<KubeconfigException>(e);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Not_yaml_names_the_line()
    {
        var e = Assert.Throws<KubeconfigException>(() => Kubeconfig.Parse("clusters:\n- name: a\n  cluster: {server: [}\n"));

        Assert.StartsWith("kubeconfig is not valid YAML (line 3", e.Message);
    }

    [Fact]
    public void An_alias_bomb_fails_fast_instead_of_expanding()
    {
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + string.Concat(Enumerable.Range(1, 9).Select(i =>
            $"{(char)('a' + i)}: &{(char)('a' + i)} [*{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}]\n"));

        var e = Assert.Throws<KubeconfigException>(() => Kubeconfig.Parse(yaml));

        Assert.Contains("more than", e.Message);
    }

    [Fact]
    public void Deep_nesting_is_refused_instead_of_overflowing_the_stack()
    {
        var flow = "a: " + new string('[', 200_000) + new string(']', 200_000);
        var block = string.Concat(Enumerable.Range(0, 1_000).Select(i => new string(' ', i) + $"k{i}:\n"));

        var deepFlow = Assert.Throws<KubeconfigException>(() => Kubeconfig.Parse(flow));
        var deepBlock = Assert.Throws<KubeconfigException>(() => Kubeconfig.Parse(block));

        Assert.Contains("deeper than", deepFlow.Message);
        Assert.Contains("deeper than", deepBlock.Message);
    }

    [Fact]
    public void Bad_base64_names_the_field_and_not_the_value()
    {
        var yaml = """
            clusters: [{name: c, cluster: {server: "https://h:1"}}]
            users: [{name: u, user: {client-certificate-data: "%%not-base64-secret%%", client-key-data: "%%"}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            """;

        var e = Assert.Throws<KubeconfigException>(() => Kubeconfig.Parse(yaml).Resolve("x"));

        Assert.Equal("user 'u': client-certificate-data is not base64.", e.Message);
    }

    [Fact]
    public void An_exec_plugin_user_is_refused_with_the_reason()
    {
        var yaml = """
            clusters: [{name: c, cluster: {server: "https://h:1"}}]
            users: [{name: eks, user: {exec: {command: aws, apiVersion: client.authentication.k8s.io/v1beta1}}}]
            contexts: [{name: x, context: {cluster: c, user: eks}}]
            """;

        var e = Assert.Throws<KubeconfigException>(() => Kubeconfig.Parse(yaml).Resolve("x"));

        Assert.Contains("exec plugin", e.Message);
    }

    [Fact]
    public void A_user_without_token_or_certificate_is_an_error()
    {
        var yaml = """
            clusters: [{name: c, cluster: {server: "https://h:1"}}]
            users: [{name: u, user: {}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            """;

        var e = Assert.Throws<KubeconfigException>(() => Kubeconfig.Parse(yaml).Resolve("x"));

        Assert.Equal("user 'u' has neither a token nor a client certificate.", e.Message);
    }

    [Fact]
    public void A_server_and_token_credential_needs_no_kubeconfig()
    {
        var credential = new Credential("k", CredentialKind.Kubernetes, new Dictionary<string, string>
        {
            ["server"] = "https://127.0.0.1:6443",
            ["token"] = "t0k3n",
            ["certificateAuthority"] = KubernetesTestBed.Pki.CaPem,
        });

        var endpoint = KubernetesEndpoint.FromCredential(credential, null);

        Assert.Equal("t0k3n", endpoint.Token);
        Assert.Equal(KubernetesTestBed.Pki.CaPem, endpoint.CertificateAuthorityPem);
        Assert.DoesNotContain("t0k3n", endpoint.ToString());
    }

    [Fact]
    public void The_credential_context_applies_unless_the_step_names_another()
    {
        var credential = new Credential("k", CredentialKind.Kubernetes, new Dictionary<string, string> { ["kubeconfig"] = TwoContexts, ["context"] = "lab" });

        Assert.Equal("sandbox", KubernetesEndpoint.FromCredential(credential, null).Namespace);
        Assert.Equal("s3cr3t-token-value", KubernetesEndpoint.FromCredential(credential, "prod").Token);
    }

    [Fact]
    public void Credential_errors_name_the_credential_and_never_the_token()
    {
        var credential = new Credential("prod-kube", CredentialKind.Kubernetes, new Dictionary<string, string> { ["kubeconfig"] = TwoContexts });

        var e = Assert.Throws<KubeconfigException>(() => KubernetesEndpoint.FromCredential(credential, "nope"));

        Assert.StartsWith("Credential 'prod-kube': context 'nope' not found", e.Message);
        Assert.DoesNotContain("s3cr3t", e.Message);
    }

    [Fact]
    public void A_credential_of_another_kind_is_refused()
    {
        var credential = new Credential("ssh-key", CredentialKind.Ssh, new Dictionary<string, string> { ["username"] = "root" });

        var e = Assert.Throws<CredentialException>(() => KubernetesEndpoint.FromCredential(credential, null));

        Assert.Contains("needs a 'kubernetes' credential", e.Message);
    }
}
