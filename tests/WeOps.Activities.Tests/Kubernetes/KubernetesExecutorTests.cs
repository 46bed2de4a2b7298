using System.Text.Json.Nodes;
using WeOps.Activities.Credentials;
using WeOps.Activities.Kubernetes;
using WeOps.Activities.Tests.Support;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Tests.Kubernetes;

public sealed class KubernetesExecutorTests : IAsyncLifetime
{
    private KubernetesTestBed bed = null!;

    public async Task InitializeAsync() => bed = await KubernetesTestBed.StartAsync();

    public async Task DisposeAsync() => await bed.DisposeAsync();

    [Fact]
    public async Task Scale_patches_the_scale_subresource_and_reports_the_previous_count()
    {
        bed.Api.Seed(Seeds.Deployment("web", replicas: 2));

        var output = await bed.RunAsync(new KubernetesScaleExecutor(bed.Connector), new { kind = "deployment", name = "web", replicas = 5 });

        Assert.Equal(5, bed.Api.Get("Deployment", "default", "web")!["spec"]!["replicas"]!.GetValue<int>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"name":"web","namespace":"default","replicas":5,"previousReplicas":2}"""), output));
        var patch = Assert.Single(bed.Api.Writes);
        Assert.Equal(("PATCH", "/apis/apps/v1/namespaces/default/deployments/web/scale", "application/merge-patch+json"), (patch.Method, patch.Path, patch.ContentType));
        Assert.Equal("""{"spec":{"replicas":5}}""", patch.Body);
    }

    [Fact]
    public async Task Scale_reaches_a_statefulset_in_the_namespace_given()
    {
        bed.Api.Seed(Seeds.Deployment("db", replicas: 3, ns: "data", kind: "StatefulSet"));

        var output = await bed.RunAsync(new KubernetesScaleExecutor(bed.Connector), new { kind = "statefulset", name = "db", replicas = 0, @namespace = "data" });

        Assert.Equal(0, bed.Api.Get("StatefulSet", "data", "db")!["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(3, output!["previousReplicas"]!.GetValue<int>());
    }

    [Fact]
    public async Task Scale_by_adds_to_the_current_count_and_stops_at_the_maximum()
    {
        bed.Api.Seed(Seeds.Deployment("web", replicas: 9));

        var output = await bed.RunAsync(new KubernetesScaleExecutor(bed.Connector), new { name = "web", by = 2, maxReplicas = 10 });

        Assert.Equal(10, bed.Api.Get("Deployment", "default", "web")!["spec"]!["replicas"]!.GetValue<int>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"name":"web","namespace":"default","replicas":10,"previousReplicas":9}"""), output));
        Assert.Equal("""{"spec":{"replicas":10}}""", Assert.Single(bed.Api.Writes).Body);
    }

    [Theory]
    [InlineData(10, 2)] // at the maximum
    [InlineData(12, 2)] // above it: a change upwards does not bring it down to the maximum
    [InlineData(1, -1)] // at the minimum
    public async Task Scale_by_towards_a_bound_already_reached_writes_nothing(int replicas, int by)
    {
        bed.Api.Seed(Seeds.Deployment("web", replicas: replicas));

        var output = await bed.RunAsync(new KubernetesScaleExecutor(bed.Connector), new { name = "web", by, minReplicas = 1, maxReplicas = 10 });

        Assert.Equal(replicas, output!["replicas"]!.GetValue<int>());
        Assert.Equal(replicas, output["previousReplicas"]!.GetValue<int>());
        Assert.Equal(replicas, bed.Api.Get("Deployment", "default", "web")!["spec"]!["replicas"]!.GetValue<int>());
        Assert.Empty(bed.Api.Writes);
    }

    [Fact]
    public async Task Scale_by_a_negative_number_stops_at_the_minimum()
    {
        bed.Api.Seed(Seeds.Deployment("web", replicas: 3));

        var output = await bed.RunAsync(new KubernetesScaleExecutor(bed.Connector), new { name = "web", by = -5, minReplicas = 2 });

        Assert.Equal(2, output!["replicas"]!.GetValue<int>());
        Assert.Equal(2, bed.Api.Get("Deployment", "default", "web")!["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public async Task Scale_to_a_count_holds_it_within_the_bounds()
    {
        bed.Api.Seed(Seeds.Deployment("web", replicas: 3));

        var output = await bed.RunAsync(new KubernetesScaleExecutor(bed.Connector), new { name = "web", replicas = 50, maxReplicas = 8 });

        Assert.Equal(8, output!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public async Task Rollout_restart_stamps_the_pod_template_and_keeps_its_other_annotations()
    {
        bed.Api.Seed(Seeds.Deployment("web"));
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var output = await bed.RunAsync(new KubernetesRolloutRestartExecutor(bed.Connector), new { name = "web" });

        var annotations = bed.Api.Get("Deployment", "default", "web")!["spec"]!["template"]!["metadata"]!["annotations"]!;
        var restartedAt = annotations["kubectl.kubernetes.io/restartedAt"]!.GetValue<string>();
        Assert.Equal(output!["restartedAt"]!.GetValue<string>(), restartedAt);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", restartedAt);
        Assert.InRange(DateTimeOffset.Parse(restartedAt, System.Globalization.CultureInfo.InvariantCulture), before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal("ops", annotations["team"]!.GetValue<string>());
        var patch = Assert.Single(bed.Api.Writes);
        Assert.Equal("application/strategic-merge-patch+json", patch.ContentType);
    }

    [Fact]
    public async Task Delete_pod_removes_it_and_passes_the_grace_period()
    {
        bed.Api.Seed(Seeds.Pod("web-1", "web"));
        bed.Api.Seed(Seeds.Pod("web-2", "web"));

        var output = await bed.RunAsync(new KubernetesDeletePodExecutor(bed.Connector), new { name = "web-1", gracePeriodSeconds = 0 });

        Assert.Null(bed.Api.Get("Pod", "default", "web-1"));
        Assert.NotNull(bed.Api.Get("Pod", "default", "web-2"));
        Assert.True(output!["deleted"]!.GetValue<bool>());
        Assert.Equal(0, JsonNode.Parse(Assert.Single(bed.Api.Writes).Body)!["gracePeriodSeconds"]!.GetValue<int>());
    }

    [Fact]
    public async Task Get_pods_filters_by_a_set_based_selector_and_summarises_each_pod()
    {
        bed.Api.Seed(Seeds.Pod("web-1", "web", tier: "front", restarts: 2));
        bed.Api.Seed(Seeds.Pod("web-2", "web", tier: "back", phase: "Pending", ready: false));
        bed.Api.Seed(Seeds.Pod("db-1", "db", tier: "front"));

        var output = await bed.RunAsync(new KubernetesGetPodsExecutor(bed.Connector), new { labelSelector = "app=web,tier in (front)" });

        Assert.Equal(1, output!["count"]!.GetValue<int>());
        var expected = JsonNode.Parse("""{"name":"web-1","phase":"Running","ready":true,"restarts":2,"node":"node-1","ip":"10.1.0.5","startTime":"2026-01-02T03:04:05Z"}""");
        Assert.True(JsonNode.DeepEquals(expected, output["pods"]![0]), output.ToJsonString());
    }

    [Fact]
    public async Task Get_pods_honours_a_field_selector()
    {
        bed.Api.Seed(Seeds.Pod("web-1", "web"));
        bed.Api.Seed(Seeds.Pod("web-2", "web", phase: "Failed", ready: false));

        var output = await bed.RunAsync(new KubernetesGetPodsExecutor(bed.Connector), new { labelSelector = "app=web", fieldSelector = "status.phase!=Running" });

        Assert.Equal("web-2", Assert.Single(output!["pods"]!.AsArray())!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("app=web,", "labelSelector")]
    [InlineData("app in (a", "labelSelector")]
    public async Task A_bad_selector_fails_before_any_request(string selector, string input)
    {
        var e = await Assert.ThrowsAsync<ExecutorInputException>(() => bed.RunAsync(new KubernetesGetPodsExecutor(bed.Connector), new { labelSelector = selector }));

        Assert.Contains(input, e.Message);
        Assert.DoesNotContain(bed.Api.Requests, r => r.Path.Contains("/pods", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Logs_of_a_container_with_tail_and_previous()
    {
        bed.Api.Seed(Seeds.Pod("web-1", "web", containers: ["web", "sidecar"]));
        bed.Api.Objects.AddLog("default", "web-1", "web", "one\ntwo\nthree\n");
        bed.Api.Objects.AddLog("default", "web-1", "web", "panic: boom\n", previous: true);
        var logs = new KubernetesLogsExecutor(bed.Connector);

        var tail = await logs.ExecuteAsync(Inputs(new { pod = "web-1", container = "web", tailLines = 2 }), bed.Context, default);
        var previous = await bed.RunAsync(logs, new { pod = "web-1", container = "web", previous = true });

        Assert.Equal("two\nthree\n", tail!["log"]!.GetValue<string>());
        Assert.False(tail["truncated"]!.GetValue<bool>());
        Assert.Null(tail["logRef"]);
        Assert.Equal("panic: boom\n", previous!["log"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_pod_with_two_containers_needs_one_named()
    {
        bed.Api.Seed(Seeds.Pod("web-1", "web", containers: ["web", "sidecar"]));

        var e = await Assert.ThrowsAsync<BpmnErrorException>(() => bed.RunAsync(new KubernetesLogsExecutor(bed.Connector), new { pod = "web-1" }));

        Assert.Equal(KubernetesErrorCodes.Invalid, e.ErrorCode);
        Assert.Contains("choose one of: [web sidecar]", e.Message);
    }

    [Fact]
    public async Task A_long_log_is_capped_and_kept_whole_in_the_large_output_store()
    {
        await using var small = await KubernetesTestBed.StartAsync(new KubernetesOptions { MaxLogChars = 100 });
        small.Api.Seed(Seeds.Pod("web-1", "web"));
        var text = string.Concat(Enumerable.Range(1, 50).Select(i => $"line {i}\n"));
        small.Api.Objects.AddLog("default", "web-1", "web", text);

        var output = await small.RunAsync(new KubernetesLogsExecutor(small.Connector), new { pod = "web-1" });

        Assert.Equal(text[..100], output!["log"]!.GetValue<string>());
        Assert.True(output["truncated"]!.GetValue<bool>());
        var stored = small.LargeOutputs.Outputs[output["logRef"]!.GetValue<string>()];
        Assert.Equal(text, stored.Content);
        Assert.Equal(("instance-1", "step-1"), (stored.InstanceId, stored.ElementId));
    }

    [Fact]
    public async Task Apply_creates_and_updates_every_document_of_a_manifest()
    {
        bed.Api.Seed("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","namespace":"default"},"data":{"a":"0","keep":"yes"}}""");
        const string manifest = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
            data:
              a: "1"
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: api
              namespace: team
            spec:
              replicas: 2
              selector: {matchLabels: {app: api}}
              template:
                metadata: {labels: {app: api}}
                spec:
                  containers: [{name: api, image: "api:1.0"}]
            """;

        var output = await bed.RunAsync(new KubernetesApplyExecutor(bed.Connector), new { manifest });

        var settings = bed.Api.Get("ConfigMap", "default", "settings")!;
        Assert.Equal("1", settings["data"]!["a"]!.GetValue<string>());
        Assert.Equal("yes", settings["data"]!["keep"]!.GetValue<string>());
        Assert.Equal(2, bed.Api.Get("Deployment", "team", "api")!["spec"]!["replicas"]!.GetValue<int>());
        var applied = output!["applied"]!.AsArray();
        Assert.Equal(["ConfigMap/default/settings", "Deployment/team/api"], applied.Select(a => $"{a!["kind"]}/{a["namespace"]}/{a["name"]}"));
        Assert.Equal(settings["metadata"]!["resourceVersion"]!.GetValue<string>(), applied[0]!["resourceVersion"]!.GetValue<string>());
        Assert.All(bed.Api.Writes, w =>
        {
            Assert.Equal("application/apply-patch+yaml", w.ContentType);
            Assert.Equal("?fieldManager=weops&fieldValidation=Strict&force=false", w.Query);
        });
    }

    [Fact]
    public async Task Apply_accepts_json_and_finds_an_unlisted_kind_through_discovery()
    {
        const string manifest = """{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w1"},"spec":{"size":3}}""";

        await bed.RunAsync(new KubernetesApplyExecutor(bed.Connector), new { manifest, fieldManager = "runbook" });

        Assert.Equal(3, bed.Api.Get("Widget", "default", "w1")!["spec"]!["size"]!.GetValue<int>());
        Assert.Contains(bed.Api.Requests, r => r.Path == "/apis/example.com/v1");
    }

    [Fact]
    public async Task Apply_of_a_kind_the_server_does_not_serve_names_it()
    {
        const string manifest = "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\n";

        var e = await Assert.ThrowsAsync<BpmnErrorException>(() => bed.RunAsync(new KubernetesApplyExecutor(bed.Connector), new { manifest }));

        Assert.Equal(KubernetesErrorCodes.Invalid, e.ErrorCode);
        Assert.Contains("does not serve kind Gadget in example.com/v1", e.Message);
    }

    [Theory]
    [InlineData("kind: [unclosed", "not valid YAML")]
    [InlineData("just a string", "not an object")]
    [InlineData("---\n---\n", "holds no object")]
    [InlineData("apiVersion: v1\nkind: ConfigMap\ndata: {a: b}", "has no metadata.name")]
    [InlineData("kind: ConfigMap\nmetadata: {name: x}", "has no apiVersion")]
    [InlineData("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ../../x}", "is not a Kubernetes name")]
    [InlineData("apiVersion: ../v1\nkind: Widget\nmetadata: {name: w}", "is not group/version or version")]
    [InlineData("apiVersion: example.com/..\nkind: Widget\nmetadata: {name: w}", "is not group/version or version")]
    public async Task A_bad_manifest_says_what_is_wrong_and_sends_nothing(string manifest, string reason)
    {
        var e = await Assert.ThrowsAsync<ExecutorInputException>(() => bed.RunAsync(new KubernetesApplyExecutor(bed.Connector), new { manifest }));

        Assert.Contains(reason, e.Message);
        Assert.Empty(bed.Api.Writes);
    }

    [Fact]
    public async Task The_namespace_defaults_to_the_contexts()
    {
        bed.Credentials.Add(new Credential("kube-ops", CredentialKind.Kubernetes, new Dictionary<string, string> { ["kubeconfig"] = bed.Kubeconfig(ns: "ops") }));
        bed.Api.Seed(Seeds.Pod("tool", "tool", ns: "ops"));

        var output = await bed.RunAsync(new KubernetesGetPodsExecutor(bed.Connector), new { credential = "kube-ops" });

        Assert.Equal("tool", Assert.Single(output!["pods"]!.AsArray())!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_client_certificate_authenticates_as_its_common_name(bool ecKey)
    {
        bed.Credentials.Add(new Credential("kube-cert", CredentialKind.Kubernetes, new Dictionary<string, string>
        {
            ["kubeconfig"] = bed.Kubeconfig(certificateUser: "robot", ecKey: ecKey),
        }));
        bed.Api.Seed(Seeds.Pod("web-1", "web"));

        await bed.RunAsync(new KubernetesGetPodsExecutor(bed.Connector), new { credential = "kube-cert" });

        Assert.Equal("robot", bed.Api.Requests.Last().User);
    }

    [Fact]
    public async Task A_server_and_token_credential_with_its_ca_works()
    {
        bed.Credentials.Add(new Credential("plain", CredentialKind.Kubernetes, new Dictionary<string, string>
        {
            ["server"] = bed.Api.Address.AbsoluteUri,
            ["token"] = KubernetesTestBed.AdminToken,
            ["certificateAuthority"] = KubernetesTestBed.Pki.CaPem,
        }));
        bed.Api.Seed(Seeds.Pod("web-1", "web"));

        var output = await bed.RunAsync(new KubernetesGetPodsExecutor(bed.Connector), new { credential = "plain" });

        Assert.Equal(1, output!["count"]!.GetValue<int>());
        Assert.Equal("admin", bed.Api.Requests.Last().User);
    }

    [Fact]
    public async Task A_server_certificate_from_another_ca_is_refused_unless_the_kubeconfig_says_insecure()
    {
        using var otherCa = new TestPki("other-ca");
        var wrongCa = bed.Kubeconfig().Replace(KubernetesTestBed.Base64(KubernetesTestBed.Pki.CaPem), KubernetesTestBed.Base64(otherCa.CaPem), StringComparison.Ordinal);
        var insecure = System.Text.RegularExpressions.Regex.Replace(bed.Kubeconfig(), "certificate-authority-data: .*", "insecure-skip-tls-verify: true");
        bed.Credentials.Add(new Credential("wrong-ca", CredentialKind.Kubernetes, new Dictionary<string, string> { ["kubeconfig"] = wrongCa }));
        bed.Credentials.Add(new Credential("insecure", CredentialKind.Kubernetes, new Dictionary<string, string> { ["kubeconfig"] = insecure }));

        var e = await Assert.ThrowsAsync<KubernetesApiException>(() => bed.RunAsync(new KubernetesGetPodsExecutor(bed.Connector), new { credential = "wrong-ca" }));
        var output = await bed.RunAsync(new KubernetesGetPodsExecutor(bed.Connector), new { credential = "insecure" });

        Assert.Contains("Cannot reach the API server", e.Message);
        Assert.Equal(0, output!["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Without_a_ca_the_system_roots_decide_and_refuse_the_test_ca()
    {
        var noCa = System.Text.RegularExpressions.Regex.Replace(bed.Kubeconfig(), "\\s*certificate-authority-data: .*", "");
        bed.Credentials.Add(new Credential("no-ca", CredentialKind.Kubernetes, new Dictionary<string, string> { ["kubeconfig"] = noCa }));

        await Assert.ThrowsAsync<KubernetesApiException>(() => bed.RunAsync(new KubernetesGetPodsExecutor(bed.Connector), new { credential = "no-ca" }));

        Assert.Empty(bed.Api.Requests);
    }

    [Fact]
    public async Task One_http_client_serves_repeated_steps_on_the_same_cluster()
    {
        var clients = new KubernetesClients(new KubernetesOptions(), TestOutbound.LoopbackAllowed);
        var endpoint = Kubeconfig.Parse(bed.Kubeconfig()).Resolve(null);
        var other = endpoint with { Token = "another" };
        var cert = Kubeconfig.Parse(bed.Kubeconfig(certificateUser: "robot")).Resolve(null);

        Assert.Same(clients.For(endpoint), clients.For(other));
        Assert.NotSame(clients.For(endpoint), clients.For(cert));
        clients.Dispose();
    }

    [Fact]
    public void Every_descriptor_names_its_errors_and_takes_a_credential()
    {
        IExecutor[] executors =
        [
            new KubernetesScaleExecutor(bed.Connector), new KubernetesRolloutRestartExecutor(bed.Connector), new KubernetesDeletePodExecutor(bed.Connector),
            new KubernetesGetPodsExecutor(bed.Connector), new KubernetesLogsExecutor(bed.Connector), new KubernetesApplyExecutor(bed.Connector),
        ];

        Assert.Equal(["k8s.scale", "k8s.rolloutRestart", "k8s.deletePod", "k8s.getPods", "k8s.logs", "k8s.apply"], executors.Select(e => e.Descriptor.Type));
        Assert.All(executors, e =>
        {
            Assert.Contains("K8S_NOT_FOUND", e.Descriptor.Description);
            Assert.Equal("credential", e.Descriptor.Input("credential")!.UiHint);
            Assert.True(e.Descriptor.Input("credential")!.Required);
            Assert.NotNull(e.Descriptor.Input("namespace"));
        });
        Assert.Equal(["deployment", "statefulSet", "replicaSet"], executors[0].Descriptor.Input("kind")!.Options);
    }

    private static JsonObject Inputs(object inputs)
    {
        var json = System.Text.Json.JsonSerializer.SerializeToNode(inputs)!.AsObject();
        json["credential"] = "kube";
        return json;
    }
}
