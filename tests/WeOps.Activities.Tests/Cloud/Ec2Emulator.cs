using System.Collections.Concurrent;
using System.Security;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace WeOps.Activities.Tests.Cloud;

/// <summary>Answers like EC2's Query API: verifies each request's SigV4 signature with the secret it knows,
/// then answers StopInstances / StartInstances / RebootInstances / DescribeInstances with EC2's XML, and
/// errors in EC2's shape. Instance <c>i-missing</c> does not exist; action <c>Throttle</c> is rate limited;
/// action <c>Hang</c> never answers; action <c>Flood</c> answers 100 KB.</summary>
public sealed class Ec2Emulator : IAsyncDisposable
{
    public const string AccessKeyId = "AKIDEMULATOR";
    public const string Secret = "emulator/SecretKey+ForTests0123456789";
    public const string Region = "eu-west-1";

    private LoopbackPeer peer = null!;

    /// <summary>Each request: its form fields and its headers.</summary>
    public ConcurrentQueue<(Dictionary<string, string> Form, Dictionary<string, string> Headers)> Received { get; } = new();

    public Uri Endpoint => peer.Endpoint;

    public int Requests => peer.Requests;

    public static async Task<Ec2Emulator> StartAsync()
    {
        var emulator = new Ec2Emulator();
        emulator.peer = await LoopbackPeer.StartAsync(emulator.HandleAsync);
        return emulator;
    }

    private async Task HandleAsync(HttpContext context, byte[] body)
    {
        var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)).ToDictionary(kv => kv.Key, kv => kv.Value.ToString());
        Received.Enqueue((form, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        const string requestId = "59dbff89-35bd-4eac-99ed-be587EXAMPLE";

        if (!IndependentSignatures.AwsValid(context, body, AccessKeyId, Secret, Region, "ec2"))
        {
            await Error(context, 401, "AuthFailure", "AWS was not able to validate the provided access credentials", requestId);
            return;
        }

        var action = form.GetValueOrDefault("Action");
        if (form.GetValueOrDefault("Version") != "2016-11-15")
        {
            await Error(context, 400, "InvalidParameterValue", "Unsupported Version", requestId);
            return;
        }

        var ids = form.Where(kv => kv.Key.StartsWith("InstanceId.", StringComparison.Ordinal)).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value).ToList();
        if (ids.Contains("i-missing"))
        {
            await Error(context, 400, "InvalidInstanceID.NotFound", "The instance ID 'i-missing' does not exist", requestId);
            return;
        }

        switch (action)
        {
            case "StopInstances":
                await Ok(context, action, requestId, StateChanges(ids, (16, "running"), (64, "stopping")));
                return;
            case "StartInstances":
                await Ok(context, action, requestId, StateChanges(ids, (80, "stopped"), (0, "pending")));
                return;
            case "RebootInstances":
                await Ok(context, action, requestId, "<return>true</return>");
                return;
            case "DescribeInstances":
                var items = string.Concat(ids.Select(id => $"<item><instanceId>{SecurityElement.Escape(id)}</instanceId><instanceState><code>16</code><name>running</name></instanceState><tagSet/></item>"));
                await Ok(context, action, requestId, $"<reservationSet><item><reservationId>r-1</reservationId><instancesSet>{items}</instancesSet></item></reservationSet>");
                return;
            case "Throttle":
                await Error(context, 503, "RequestLimitExceeded", "Request limit exceeded.", requestId);
                return;
            case "Hang":
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
                return;
            case "Flood":
                await Ok(context, action, requestId, $"<blob>{new string('x', 100_000)}</blob>");
                return;
            default:
                await Error(context, 400, "InvalidAction", $"The action {action} is not valid for this web service.", requestId);
                return;
        }
    }

    private static string StateChanges(IEnumerable<string> ids, (int Code, string Name) before, (int Code, string Name) after) =>
        "<instancesSet>" + string.Concat(ids.Select(id =>
            $"<item><instanceId>{SecurityElement.Escape(id)}</instanceId>"
            + $"<currentState><code>{after.Code}</code><name>{after.Name}</name></currentState>"
            + $"<previousState><code>{before.Code}</code><name>{before.Name}</name></previousState></item>")) + "</instancesSet>";

    private static Task Ok(HttpContext context, string? action, string requestId, string inner) =>
        ExecutorRun.WriteAsync(context, 200, "text/xml;charset=UTF-8",
            $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{action}Response xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>{requestId}</requestId>{inner}</{action}Response>");

    private static Task Error(HttpContext context, int status, string code, string message, string requestId) =>
        ExecutorRun.WriteAsync(context, status, "text/xml;charset=UTF-8",
            $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>{code}</Code><Message>{SecurityElement.Escape(message)}</Message></Error></Errors><RequestID>{requestId}</RequestID></Response>");

    public ValueTask DisposeAsync() => peer.DisposeAsync();
}
