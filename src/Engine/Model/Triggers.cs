namespace WeOps.Engine.Model;

/// <summary>How a hook's caller proves it may start the process.</summary>
public enum HookAuth
{
    /// <summary>An API key whose roles grant <c>hooks:call</c>.</summary>
    ApiKey,

    /// <summary>An HMAC-SHA256 signature of the raw body, keyed by a webhook credential's <c>secret</c>.</summary>
    Hmac,
}

/// <summary><c>ops:http</c> on a start event: the process starts when <c>/hooks/{Path}</c> is called with <see cref="Method"/>.</summary>
public sealed record HttpTrigger
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(60);
    public const string DefaultSignatureHeader = "X-WeOps-Signature";

    /// <summary>Upper case, e.g. <c>POST</c>.</summary>
    public required string Method { get; init; }

    /// <summary>The path template below <c>/hooks/</c>, e.g. <c>deploy/{service}</c>; checked by the validator.</summary>
    public required string Path { get; init; }
    public HookAuth Auth { get; init; } = HookAuth.ApiKey;

    /// <summary>The webhook credential whose <c>secret</c> signs the body; required with <see cref="HookAuth.Hmac"/>.</summary>
    public string? SecretCredential { get; init; }
    public string SignatureHeader { get; init; } = DefaultSignatureHeader;

    /// <summary>Request headers passed into the <c>request</c> variable; no others are, so secrets in
    /// headers (authorization, cookies) never reach the history.</summary>
    public IReadOnlyList<string> AllowHeaders { get; init; } = [];

    /// <summary>How long a caller waits for the process's <c>ops:httpReply</c>.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;
}

/// <summary><c>ops:httpReply</c> on an end event or send task: the answer the hook's caller waits for.
/// The body is a template; a lone <c>${expr}</c> keeps its JSON type.</summary>
public sealed record HttpReply(int Status, string? Body);

/// <summary>What a timer start event does about occurrences missed while no node ran (downtime).</summary>
public enum MisfirePolicy
{
    /// <summary>Start one instance for all the missed occurrences, then continue on schedule.</summary>
    FireOnce,

    /// <summary>Start nothing for missed occurrences; continue with the next one on schedule.</summary>
    Skip,
}
