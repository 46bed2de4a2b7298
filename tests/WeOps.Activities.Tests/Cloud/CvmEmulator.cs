using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace WeOps.Activities.Tests.Cloud;

/// <summary>Answers like Tencent Cloud CVM's API 3.0: verifies each request's TC3 signature with the secret
/// it knows, then answers the instance actions with CVM's JSON; errors come, as CVM sends them, in an
/// HTTP 200 answer under <c>Response.Error</c>. Instance <c>ins-missing</c> does not exist.</summary>
public sealed class CvmEmulator : IAsyncDisposable
{
    public const string SecretId = "AKIDemulator0123456789";
    public const string SecretKey = "emulatorSecretKey0123456789abcdef";
    public const string Region = "ap-guangzhou";
    public const string RequestId = "6ef60bec-0242-43af-bb20-270359fb54a7";

    private LoopbackPeer peer = null!;

    /// <summary>Each request: its headers and its JSON body.</summary>
    public ConcurrentQueue<(Dictionary<string, string> Headers, JsonObject? Body)> Received { get; } = new();

    public Uri Endpoint => peer.Endpoint;

    public int Requests => peer.Requests;

    public static async Task<CvmEmulator> StartAsync()
    {
        var emulator = new CvmEmulator();
        emulator.peer = await LoopbackPeer.StartAsync(emulator.HandleAsync);
        return emulator;
    }

    private async Task HandleAsync(HttpContext context, byte[] body)
    {
        var json = JsonNode.Parse(body) as JsonObject;
        Received.Enqueue((context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), json));

        if (!IndependentSignatures.TencentValid(context, body, SecretId, SecretKey, "cvm"))
        {
            await Error(context, "AuthFailure.SignatureFailure", "The provided credentials could not be validated. Please check your signature is correct.");
            return;
        }

        if (context.Request.Headers["X-TC-Version"] != "2017-03-12" || context.Request.Headers["X-TC-Region"] != Region)
        {
            await Error(context, "InvalidParameterValue", "Version or region not supported.");
            return;
        }

        var ids = json?["InstanceIds"]?.AsArray().Select(i => (string?)i).ToList() ?? [];
        if (ids.Contains("ins-missing"))
        {
            await Error(context, "InvalidInstanceId.NotFound", "The instance `ins-missing` is not found.");
            return;
        }

        var action = context.Request.Headers["X-TC-Action"].ToString();
        var response = action switch
        {
            "StopInstances" or "StartInstances" or "RebootInstances" => new JsonObject { ["RequestId"] = RequestId },
            "DescribeInstances" => new JsonObject
            {
                ["TotalCount"] = 1,
                ["InstanceSet"] = new JsonArray(new JsonObject { ["InstanceId"] = "ins-r8hr2upy", ["InstanceName"] = "未命名", ["InstanceState"] = "RUNNING" }),
                ["RequestId"] = RequestId,
            },
            "Busy" => null,
            _ => new JsonObject { ["Error"] = new JsonObject { ["Code"] = "InvalidAction", ["Message"] = "The action does not exist." }, ["RequestId"] = RequestId },
        };
        if (response is null)
        {
            await Error(context, "InternalError", "An internal error occurred.");
            return;
        }

        await ExecutorRun.WriteAsync(context, 200, "application/json", new JsonObject { ["Response"] = response }.ToJsonString());
    }

    private static Task Error(HttpContext context, string code, string message) =>
        ExecutorRun.WriteAsync(context, 200, "application/json", new JsonObject
        {
            ["Response"] = new JsonObject { ["Error"] = new JsonObject { ["Code"] = code, ["Message"] = message }, ["RequestId"] = RequestId },
        }.ToJsonString());

    public ValueTask DisposeAsync() => peer.DisposeAsync();
}
