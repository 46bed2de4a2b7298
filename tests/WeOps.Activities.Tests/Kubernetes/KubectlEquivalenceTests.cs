using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using WeOps.Activities.Kubernetes;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Tests.Kubernetes;

/// <summary>The real kubectl and the executors do the same operation on two identical emulated clusters;
/// the clusters must end in the same state, and where it matters the requests must look the same.
/// These tests need kubectl on PATH and fail when it is missing.</summary>
public sealed class KubectlEquivalenceTests : IAsyncLifetime
{
    private KubernetesTestBed byKubectl = null!;
    private KubernetesTestBed byExecutor = null!;

    public async Task InitializeAsync()
    {
        byKubectl = await KubernetesTestBed.StartAsync();
        byExecutor = await KubernetesTestBed.StartAsync();
    }

    public async Task DisposeAsync()
    {
        // kubectl asks for the OpenAPI schema and copes without it; anything else it needed and did not get is a gap in the emulation.
        Assert.All(byKubectl.Api.UnknownPaths, p => Assert.Matches("^GET /(openapi/v[23]|swagger-2.0.0.pb-v1)$", p));
        await byKubectl.DisposeAsync();
        await byExecutor.DisposeAsync();
    }

    [Fact]
    public async Task Scale_sends_the_request_kubectl_scale_sends_and_ends_in_the_same_state()
    {
        Seed(bed => bed.Api.Seed(Seeds.Deployment("web", replicas: 2)));

        await Kubectl("scale", "deployment", "web", "--replicas=4");
        await byExecutor.RunAsync(new KubernetesScaleExecutor(byExecutor.Connector), new { kind = "deployment", name = "web", replicas = 4 });

        AssertSameState("Deployment", "default", "web");
        var (expected, actual) = (Assert.Single(byKubectl.Api.Writes), Assert.Single(byExecutor.Api.Writes));
        Assert.Equal((expected.Method, expected.Path, expected.ContentType, expected.Body), (actual.Method, actual.Path, actual.ContentType, actual.Body));
    }

    [Fact]
    public async Task Rollout_restart_sends_kubectls_strategic_merge_patch()
    {
        Seed(bed => bed.Api.Seed(Seeds.Deployment("web")));

        await Kubectl("rollout", "restart", "deployment/web");
        await byExecutor.RunAsync(new KubernetesRolloutRestartExecutor(byExecutor.Connector), new { name = "web" });

        var (expected, actual) = (Assert.Single(byKubectl.Api.Writes), Assert.Single(byExecutor.Api.Writes));
        Assert.Equal((expected.Method, expected.Path, expected.ContentType), (actual.Method, actual.Path, actual.ContentType));
        Assert.Equal("application/strategic-merge-patch+json", actual.ContentType);
        Assert.True(JsonNode.DeepEquals(WithoutRestartTime(JsonNode.Parse(expected.Body)), WithoutRestartTime(JsonNode.Parse(actual.Body))),
            $"kubectl sent {expected.Body}; the executor sent {actual.Body}");
        AssertSameState("Deployment", "default", "web");
    }

    [Fact]
    public async Task Delete_pod_deletes_what_kubectl_delete_deletes()
    {
        Seed(bed =>
        {
            bed.Api.Seed(Seeds.Pod("web-1", "web"));
            bed.Api.Seed(Seeds.Pod("web-2", "web"));
        });

        await Kubectl("delete", "pod", "web-1", "--grace-period=5");
        await byExecutor.RunAsync(new KubernetesDeletePodExecutor(byExecutor.Connector), new { name = "web-1", gracePeriodSeconds = 5 });

        var (expected, actual) = (Assert.Single(byKubectl.Api.Writes), Assert.Single(byExecutor.Api.Writes));
        Assert.Equal((expected.Method, expected.Path), (actual.Method, actual.Path));
        var (kubectlOptions, executorOptions) = (JsonNode.Parse(expected.Body)!, JsonNode.Parse(actual.Body)!);
        Assert.Equal(kubectlOptions["gracePeriodSeconds"]!.GetValue<int>(), executorOptions["gracePeriodSeconds"]!.GetValue<int>());
        Assert.Equal(kubectlOptions["propagationPolicy"]!.GetValue<string>(), executorOptions["propagationPolicy"]!.GetValue<string>());
        Assert.Null(byKubectl.Api.Get("Pod", "default", "web-1"));
        AssertSameState("Pod", "default", "web-1");
        AssertSameState("Pod", "default", "web-2");
    }

    [Fact]
    public async Task Get_pods_selects_what_kubectl_get_pods_selects()
    {
        Seed(bed =>
        {
            bed.Api.Seed(Seeds.Pod("web-1", "web", tier: "front"));
            bed.Api.Seed(Seeds.Pod("web-2", "web", tier: "back", phase: "Pending", ready: false));
            bed.Api.Seed(Seeds.Pod("web-3", "web", tier: "edge", node: "node-2"));
            bed.Api.Seed(Seeds.Pod("db-1", "db"));
        });
        const string selector = "app=web,tier notin (back)";

        var (_, output, _) = await Kubectl("get", "pods", "-l", selector, "-o", "json");
        var result = await byExecutor.RunAsync(new KubernetesGetPodsExecutor(byExecutor.Connector), new { labelSelector = selector });

        var expected = JsonNode.Parse(output)!["items"]!.AsArray()
            .Select(p => $"{p!["metadata"]!["name"]} {p["status"]!["phase"]} {p["spec"]!["nodeName"]} {p["status"]!["podIP"]}");
        var actual = result!["pods"]!.AsArray().Select(p => $"{p!["name"]} {p["phase"]} {p["node"]} {p["ip"]}");
        Assert.Equal(["web-1 Running node-1 10.1.0.5", "web-3 Running node-2 10.1.0.5"], expected);
        Assert.Equal(expected, actual);
        var kubectlQuery = QueryHelpers.ParseQuery(byKubectl.Api.Requests.Last(r => r.Path.EndsWith("/pods", StringComparison.Ordinal)).Query);
        var executorQuery = QueryHelpers.ParseQuery(byExecutor.Api.Requests.Last().Query);
        Assert.Equal(selector, kubectlQuery["labelSelector"].ToString());
        Assert.Equal(selector, executorQuery["labelSelector"].ToString());
    }

    [Fact]
    public async Task Logs_read_what_kubectl_logs_reads()
    {
        Seed(bed =>
        {
            bed.Api.Seed(Seeds.Pod("web-1", "web", containers: ["web", "proxy"]));
            bed.Api.Objects.AddLog("default", "web-1", "web", "starting\nlistening on :8080\nGET /health 200\n");
            bed.Api.Objects.AddLog("default", "web-1", "web", "panic: out of memory\n", previous: true);
            bed.Api.Objects.AddLog("default", "web-1", "proxy", "proxy up\n");
        });
        var logs = new KubernetesLogsExecutor(byExecutor.Connector);

        var tail = await Kubectl("logs", "web-1", "-c", "web", "--tail=2");
        var previous = await Kubectl("logs", "web-1", "-c", "web", "--previous");
        var ours = await byExecutor.RunAsync(logs, new { pod = "web-1", container = "web", tailLines = 2 });
        var oursPrevious = await byExecutor.RunAsync(logs, new { pod = "web-1", container = "web", previous = true });

        Assert.Equal("listening on :8080\nGET /health 200\n", tail.Output);
        Assert.Equal(tail.Output, ours!["log"]!.GetValue<string>());
        Assert.Equal(previous.Output, oursPrevious!["log"]!.GetValue<string>());
    }

    [Fact]
    public async Task Apply_server_side_ends_as_kubectl_apply_server_side_ends_and_conflicts_alike()
    {
        const string manifest = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
              labels: {app: web}
            data:
              level: debug
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - name: web
                    image: nginx:1.27
                    ports: [{containerPort: 80}]
            """;
        Seed(bed => bed.Api.Seed("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","namespace":"default"},"data":{"owner":"ops"}}"""));
        var file = WriteManifest(manifest);

        var kubectl = await Kubectl("apply", "--server-side", "--validate=false", "--field-manager=weops", "-f", file);
        await byExecutor.RunAsync(new KubernetesApplyExecutor(byExecutor.Connector), new { manifest });

        Assert.Contains("deployment.apps/web serverside-applied", kubectl.Output);
        AssertSameState("ConfigMap", "default", "settings");
        AssertSameState("Deployment", "default", "web");
        var (expected, actual) = (byKubectl.Api.Writes.ToList(), byExecutor.Api.Writes.ToList());
        Assert.Equal(expected.Select(Apply), actual.Select(Apply));
        Assert.All(actual, r => Assert.Equal("Strict", QueryHelpers.ParseQuery(r.Query)["fieldValidation"].ToString()));

        // Another manager changing a field weops owns: both sides refuse with the same conflict.
        var changed = WriteManifest(manifest.Replace("replicas: 2", "replicas: 5", StringComparison.Ordinal));
        var refused = await byKubectl.KubectlAsync(byKubectl.Kubeconfig(), "apply", "--server-side", "--validate=false", "--field-manager=other", "-f", changed);
        var e = await Assert.ThrowsAsync<BpmnErrorException>(() => byExecutor.RunAsync(new KubernetesApplyExecutor(byExecutor.Connector),
            new { manifest = manifest.Replace("replicas: 2", "replicas: 5", StringComparison.Ordinal), fieldManager = "other" }));
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("conflict with \"weops\": .spec.replicas", refused.Error);
        Assert.Equal(KubernetesErrorCodes.Conflict, e.ErrorCode);
        Assert.Contains("conflict with \"weops\": .spec.replicas", e.Message);
        AssertSameState("Deployment", "default", "web");
    }

    [Fact]
    public async Task A_client_certificate_user_is_the_same_user_to_kubectl_and_to_the_executor()
    {
        var kubeconfig = byKubectl.Kubeconfig(certificateUser: "robot", ecKey: true);
        Seed(bed => bed.Api.Seed(Seeds.Pod("web-1", "web")));
        byExecutor.Credentials.Add(new WeOps.Activities.Credentials.Credential("cert", WeOps.Activities.Credentials.CredentialKind.Kubernetes,
            new Dictionary<string, string> { ["kubeconfig"] = byExecutor.Kubeconfig(certificateUser: "robot", ecKey: true) }));

        var (code, output, error) = await byKubectl.KubectlAsync(kubeconfig, "get", "pods", "-o", "name");
        await byExecutor.RunAsync(new KubernetesGetPodsExecutor(byExecutor.Connector), new { credential = "cert" });

        Assert.True(code == 0, error);
        Assert.Equal("pod/web-1\n", output);
        Assert.Equal("robot", byKubectl.Api.Requests.Last().User);
        Assert.Equal("robot", byExecutor.Api.Requests.Last().User);
    }

    // kubectl --validate=false asks for fieldValidation=Ignore; the executor asks for Strict, as kubectl does by default.
    private static (string, string, string?, string, string, string?) Apply(RecordedRequest r)
    {
        var query = QueryHelpers.ParseQuery(r.Query);
        return (r.Method, r.Path, r.ContentType, query["fieldManager"].ToString(), query["force"].ToString(), JsonNode.Parse(r.Body)?["kind"]?.ToString());
    }

    private void Seed(Action<KubernetesTestBed> seed)
    {
        seed(byKubectl);
        seed(byExecutor);
    }

    private async Task<(int ExitCode, string Output, string Error)> Kubectl(params string[] args)
    {
        var result = await byKubectl.KubectlAsync(byKubectl.Kubeconfig(), args);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', args)} failed ({result.ExitCode}): {result.Error}");
        return result;
    }

    private string WriteManifest(string manifest)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("weops-manifest-").FullName, "manifest.yaml");
        File.WriteAllText(path, manifest);
        return path;
    }

    private void AssertSameState(string kind, string ns, string name)
    {
        var expected = Normalise(byKubectl.Api.Get(kind, ns, name));
        var actual = Normalise(byExecutor.Api.Get(kind, ns, name));
        Assert.True(JsonNode.DeepEquals(expected, actual), $"after kubectl: {expected?.ToJsonString()}\nafter the executor: {actual?.ToJsonString()}");
    }

    // What differs between two clusters by nature: identities, times, and the restart stamp's value.
    private static JsonNode? Normalise(JsonObject? obj)
    {
        if (obj is null) return null;
        var metadata = (JsonObject)obj["metadata"]!;
        foreach (var field in new[] { "uid", "creationTimestamp", "resourceVersion" }) metadata.Remove(field);
        return WithoutRestartTime(obj);
    }

    private static JsonNode? WithoutRestartTime(JsonNode? node)
    {
        if (node?["spec"]?["template"]?["metadata"]?["annotations"] is JsonObject annotations
            && annotations[KubernetesRolloutRestartExecutor.RestartedAtAnnotation] is JsonValue stamp)
        {
            Assert.True(DateTimeOffset.TryParse(stamp.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, out _), $"restartedAt '{stamp}' is not a time");
            annotations[KubernetesRolloutRestartExecutor.RestartedAtAnnotation] = "<time>";
        }

        return node;
    }
}
