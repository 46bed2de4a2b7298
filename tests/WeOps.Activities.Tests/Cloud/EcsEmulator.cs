using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace WeOps.Activities.Tests.Cloud;

/// <summary>Answers like Alibaba Cloud ECS's RPC API: verifies each request's signature with the secret of
/// the AccessKey it names, then answers the batch instance actions with ECS's JSON and errors in its
/// <c>{RequestId, HostId, Code, Message, Recommend}</c> shape. AccessKey <c>LTAI-readonly</c> is denied by
/// RAM; instance <c>i-missing</c> does not exist; instance <c>i-locked</c> fails inside a 200 answer.</summary>
public sealed class EcsEmulator : IAsyncDisposable
{
    public const string Region = "cn-hangzhou";
    public const string RequestId = "473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E";

    public static readonly IReadOnlyDictionary<string, string> Secrets = new Dictionary<string, string>
    {
        ["LTAI-operator"] = "operator/Secret+0123456789abcdef",
        ["LTAI-readonly"] = "readonly/Secret+0123456789abcdef",
    };

    private LoopbackPeer peer = null!;

    /// <summary>Each request's query parameters, decoded.</summary>
    public ConcurrentQueue<Dictionary<string, string>> Received { get; } = new();

    public Uri Endpoint => peer.Endpoint;

    public int Requests => peer.Requests;

    public static async Task<EcsEmulator> StartAsync()
    {
        var emulator = new EcsEmulator();
        emulator.peer = await LoopbackPeer.StartAsync((context, _) => emulator.HandleAsync(context));
        return emulator;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var query = context.Request.Query.ToDictionary(kv => kv.Key, kv => kv.Value.ToString());
        Received.Enqueue(query);

        var keyId = query.GetValueOrDefault("AccessKeyId") ?? "";
        if (!Secrets.TryGetValue(keyId, out var secret))
        {
            await Error(context, 404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
            return;
        }

        if (!IndependentSignatures.AliyunValid(context, secret)
            || query.GetValueOrDefault("SignatureMethod") != "HMAC-SHA1" || query.GetValueOrDefault("SignatureVersion") != "1.0"
            || !DateTimeOffset.TryParseExact(query.GetValueOrDefault("Timestamp"), "yyyy-MM-dd'T'HH:mm:ss'Z'", null, System.Globalization.DateTimeStyles.AssumeUniversal, out _)
            || string.IsNullOrEmpty(query.GetValueOrDefault("SignatureNonce")))
        {
            await Error(context, 400, "IncompleteSignature", "The request signature does not conform to Aliyun standards.");
            return;
        }

        if (keyId == "LTAI-readonly")
        {
            await Error(context, 403, "Forbidden.RAM", "User not authorized to operate on the specified resource, or this API doesn't support RAM.");
            return;
        }

        var ids = query.Where(kv => kv.Key.StartsWith("InstanceId.", StringComparison.Ordinal)).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value).ToList();
        if (ids.Contains("i-missing"))
        {
            await Error(context, 404, "InvalidInstanceId.NotFound", "The specified InstanceId does not exist.");
            return;
        }

        var (before, after) = query.GetValueOrDefault("Action") switch
        {
            "StopInstances" => ("Running", "Stopping"),
            "StartInstances" => ("Stopped", "Starting"),
            "RebootInstances" => ("Running", "Stopping"),
            "DescribeRegions" => ("", ""),
            _ => (null, null),
        };
        if (before is null)
        {
            await Error(context, 400, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.");
            return;
        }

        var answer = new JsonObject { ["RequestId"] = RequestId };
        if (query["Action"] == "DescribeRegions")
        {
            answer["Regions"] = new JsonObject { ["Region"] = new JsonArray(new JsonObject { ["RegionId"] = Region, ["LocalName"] = "华东1（杭州）" }) };
        }
        else
        {
            answer["InstanceResponses"] = new JsonObject
            {
                ["InstanceResponse"] = new JsonArray([.. ids.Select(id => (JsonNode)(id == "i-locked"
                    ? new JsonObject { ["Code"] = "IncorrectInstanceStatus", ["Message"] = "The current status of the resource does not support this operation.", ["InstanceId"] = id }
                    : new JsonObject { ["Code"] = "200", ["Message"] = "success", ["InstanceId"] = id, ["PreviousStatus"] = before, ["CurrentStatus"] = after }))]),
            };
        }

        await ExecutorRun.WriteAsync(context, 200, "application/json;charset=utf-8", answer.ToJsonString());
    }

    private static Task Error(HttpContext context, int status, string code, string message) =>
        ExecutorRun.WriteAsync(context, status, "application/json;charset=utf-8", new JsonObject
        {
            ["RequestId"] = RequestId,
            ["HostId"] = "ecs.cn-hangzhou.aliyuncs.com",
            ["Code"] = code,
            ["Message"] = message,
            ["Recommend"] = "https://api.aliyun.com/troubleshoot?q=" + code,
        }.ToJsonString());

    public ValueTask DisposeAsync() => peer.DisposeAsync();
}
