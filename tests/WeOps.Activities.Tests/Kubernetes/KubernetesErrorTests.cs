using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using WeOps.Activities.Credentials;
using WeOps.Activities.Kubernetes;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Tests.Kubernetes;

public sealed class KubernetesErrorTests : IAsyncLifetime
{
    private KubernetesTestBed bed = null!;

    public async Task InitializeAsync() => bed = await KubernetesTestBed.StartAsync();

    public async Task DisposeAsync() => await bed.DisposeAsync();

    [Fact]
    public async Task A_rejected_token_is_K8S_UNAUTHORIZED_and_the_message_hides_it()
    {
        bed.Credentials.Add(new Credential("stale", CredentialKind.Kubernetes, new Dictionary<string, string> { ["kubeconfig"] = bed.Kubeconfig(token: "expired-token-xyz") }));

        var e = await Assert.ThrowsAsync<BpmnErrorException>(() => bed.RunAsync(new KubernetesGetPodsExecutor(bed.Connector), new { credential = "stale" }));

        Assert.Equal(KubernetesErrorCodes.Unauthorized, e.ErrorCode);
        Assert.Contains("rejected the credential", e.Message);
        Assert.Contains("401", e.Message);
        Assert.DoesNotContain("expired-token-xyz", e.Message);
    }

    [Fact]
    public async Task A_certificate_from_an_unknown_ca_is_unauthorized()
    {
        using var rogue = new TestPki("rogue-ca");
        var (cert, key) = rogue.IssueClient("mallory");
        var kubeconfig = System.Text.RegularExpressions.Regex.Replace(bed.Kubeconfig(), "token: .*",
            $"client-certificate-data: {KubernetesTestBed.Base64(cert)}\n    client-key-data: {KubernetesTestBed.Base64(key)}");
        bed.Credentials.Add(new Credential("rogue", CredentialKind.Kubernetes, new Dictionary<string, string> { ["kubeconfig"] = kubeconfig }));

        var e = await Assert.ThrowsAsync<BpmnErrorException>(() => bed.RunAsync(new KubernetesGetPodsExecutor(bed.Connector), new { credential = "rogue" }));

        Assert.Equal(KubernetesErrorCodes.Unauthorized, e.ErrorCode);
    }

    [Fact]
    public async Task Rbac_refusal_is_K8S_FORBIDDEN_naming_verb_and_resource()
    {
        bed.Credentials.Add(new Credential("viewer", CredentialKind.Kubernetes, new Dictionary<string, string> { ["kubeconfig"] = bed.Kubeconfig(token: KubernetesTestBed.ViewerToken) }));
        bed.Api.Seed(Seeds.Deployment("web", replicas: 2));

        var e = await Assert.ThrowsAsync<BpmnErrorException>(() =>
            bed.RunAsync(new KubernetesScaleExecutor(bed.Connector), new { credential = "viewer", name = "web", replicas = 4 }));

        Assert.Equal(KubernetesErrorCodes.Forbidden, e.ErrorCode);
        Assert.Contains("Forbidden to patch deployment scale 'web' in namespace 'default'", e.Message);
        Assert.Contains("User \"viewer\" cannot patch resource \"deployments/scale\" in API group \"apps\"", e.Message);
        Assert.Equal(2, bed.Api.Get("Deployment", "default", "web")!["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_missing_object_is_K8S_NOT_FOUND_naming_kind_name_and_namespace()
    {
        var e = await Assert.ThrowsAsync<BpmnErrorException>(() =>
            bed.RunAsync(new KubernetesRolloutRestartExecutor(bed.Connector), new { kind = "daemonset", name = "agent", @namespace = "monitoring" }));

        Assert.Equal(KubernetesErrorCodes.NotFound, e.ErrorCode);
        Assert.StartsWith("Daemonset 'agent' in namespace 'monitoring' not found", e.Message);
    }

    [Fact]
    public async Task Deleting_a_pod_that_is_gone_is_K8S_NOT_FOUND()
    {
        var e = await Assert.ThrowsAsync<BpmnErrorException>(() => bed.RunAsync(new KubernetesDeletePodExecutor(bed.Connector), new { name = "web-9" }));

        Assert.Equal(KubernetesErrorCodes.NotFound, e.ErrorCode);
        Assert.Contains("pods \"web-9\" not found", e.Message);
    }

    [Fact]
    public async Task An_apply_conflict_names_the_other_manager_and_hints_force()
    {
        var apply = new KubernetesApplyExecutor(bed.Connector);
        const string two = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 2}\n";
        const string three = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 3}\n";
        await bed.RunAsync(apply, new { manifest = two, fieldManager = "helm" });

        var e = await Assert.ThrowsAsync<BpmnErrorException>(() => bed.RunAsync(apply, new { manifest = three }));
        Assert.Equal(2, bed.Api.Get("Deployment", "default", "web")!["spec"]!["replicas"]!.GetValue<int>());
        await bed.RunAsync(apply, new { manifest = three, force = true });

        Assert.Equal(KubernetesErrorCodes.Conflict, e.ErrorCode);
        Assert.Contains("conflict with \"helm\": .spec.replicas", e.Message);
        Assert.Contains("Set 'force'", e.Message);
        Assert.Equal(3, bed.Api.Get("Deployment", "default", "web")!["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_invalid_object_is_K8S_INVALID_with_its_causes()
    {
        bed.Api.FailWhen = r => r.Method == "PATCH"
            ? new EmulatedStatus(422, "Invalid", "Deployment.apps \"web\" is invalid", new JsonObject
            {
                ["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = "Invalid value: \"Nope\": must be lower case", ["field"] = "spec.template.spec.containers[0].name" }),
            })
            : null;

        var e = await Assert.ThrowsAsync<BpmnErrorException>(() =>
            bed.RunAsync(new KubernetesApplyExecutor(bed.Connector), new { manifest = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n" }));

        Assert.Equal(KubernetesErrorCodes.Invalid, e.ErrorCode);
        Assert.Contains("spec.template.spec.containers[0].name: Invalid value: \"Nope\": must be lower case", e.Message);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task Server_trouble_is_a_retried_failure_not_a_bpmn_error(int code)
    {
        bed.Api.FailWhen = _ => new EmulatedStatus(code, "InternalError", "etcdserver: request timed out");

        var e = await Assert.ThrowsAsync<KubernetesApiException>(() => bed.RunAsync(new KubernetesGetPodsExecutor(bed.Connector), new { }));

        Assert.Contains($"answered {code}", e.Message);
        Assert.Contains("etcdserver: request timed out", e.Message);
    }

    [Fact]
    public async Task An_unreachable_api_server_is_a_retried_failure()
    {
        using var closed = new Support.ClosedPort();
        var port = closed.Port;
        bed.Credentials.Add(new Credential("down", CredentialKind.Kubernetes, new Dictionary<string, string>
        {
            ["server"] = $"https://127.0.0.1:{port}",
            ["token"] = "t",
        }));

        var e = await Assert.ThrowsAsync<KubernetesApiException>(() => bed.RunAsync(new KubernetesGetPodsExecutor(bed.Connector), new { credential = "down" }));

        Assert.Contains($"Cannot reach the API server at https://127.0.0.1:{port}/", e.Message);
    }

    [Fact]
    public async Task A_response_over_the_size_cap_fails_instead_of_being_read()
    {
        await using var capped = await KubernetesTestBed.StartAsync(new KubernetesOptions { MaxResponseBytes = 4096 });
        for (var i = 0; i < 20; i++) capped.Api.Seed(Seeds.Pod($"web-{i}", "web"));

        var e = await Assert.ThrowsAsync<KubernetesApiException>(() => capped.RunAsync(new KubernetesGetPodsExecutor(capped.Connector), new { }));

        Assert.Contains("larger than 4096 bytes", e.Message);
    }

    [Fact]
    public async Task A_hanging_api_server_is_abandoned_when_the_step_is_cancelled()
    {
        var hanging = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bed.Api.HangWhen = r =>
        {
            if (!r.Path.Value!.EndsWith("/scale", StringComparison.Ordinal)) return false;
            hanging.TrySetResult();
            return true;
        };
        bed.Api.Seed(Seeds.Deployment("web"));
        using var cancel = new CancellationTokenSource();

        var step = bed.RunAsync(new KubernetesScaleExecutor(bed.Connector), new { name = "web", replicas = 3 }, cancel.Token);
        await hanging.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var clock = Stopwatch.StartNew();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => step);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(2));
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (bed.Api.AbandonedRequests == 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal(1, bed.Api.AbandonedRequests);
        Assert.Equal(2, bed.Api.Get("Deployment", "default", "web")!["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_step_without_its_own_timeout_is_bounded_by_the_request_timeout()
    {
        await using var bounded = await KubernetesTestBed.StartAsync(new KubernetesOptions { RequestTimeout = TimeSpan.FromMilliseconds(300) });
        bounded.Api.HangWhen = _ => true;

        var e = await Assert.ThrowsAsync<KubernetesApiException>(() => bounded.RunAsync(new KubernetesGetPodsExecutor(bounded.Connector), new { }));

        Assert.Contains("did not answer", e.Message);
    }

    [Theory]
    [InlineData("""{"name":"Web_1","replicas":1}""", "not a Kubernetes name")]
    [InlineData("""{"name":"web"}""", "give either input 'replicas'")]
    [InlineData("""{"name":"web","replicas":2,"by":1}""", "give either input 'replicas'")]
    [InlineData("""{"name":"web","by":1,"minReplicas":5,"maxReplicas":3}""", "'minReplicas' (5) is more than 'maxReplicas' (3)")]
    [InlineData("""{"name":"web","by":1,"maxReplicas":-1}""", "'maxReplicas' must be 0 or more")]
    [InlineData("""{"name":"web","replicas":-1}""", "must be 0 or more")]
    [InlineData("""{"name":"web","replicas":1,"namespace":"../kube-system"}""", "input 'namespace'")]
    [InlineData("""{"name":"web","replicas":1,"kind":"pod"}""", "must be one of deployment, statefulSet, replicaSet")]
    [InlineData("""{"name":"web","replicas":"many"}""", "must be a whole number")]
    public async Task Garbage_inputs_are_refused_before_any_request(string inputs, string reason)
    {
        var json = JsonNode.Parse(inputs)!.AsObject();
        json["credential"] = "kube";

        var e = await Assert.ThrowsAsync<ExecutorInputException>(() => new KubernetesScaleExecutor(bed.Connector).ExecuteAsync(json, bed.Context, default));

        Assert.Contains(reason, e.Message);
        Assert.Empty(bed.Api.Requests);
    }
}
