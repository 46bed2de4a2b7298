using System.Text.Json.Serialization;

namespace WeOps.Activities.Credentials;

/// <summary>What a credential is for; fixes which fields it holds.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CredentialKind>))]
public enum CredentialKind
{
    /// <summary>SSH login: <c>username</c>, and <c>privateKey</c> (OpenSSH or PEM, optional
    /// <c>passphrase</c>) or <c>password</c>.</summary>
    [JsonStringEnumMemberName("ssh")] Ssh,

    /// <summary>Kubernetes: a whole <c>kubeconfig</c> (optional <c>context</c>), or <c>server</c> +
    /// <c>token</c> (optional <c>certificateAuthority</c> PEM).</summary>
    [JsonStringEnumMemberName("kubernetes")] Kubernetes,

    /// <summary>AWS: <c>accessKeyId</c>, <c>secretAccessKey</c>, optional <c>sessionToken</c>.</summary>
    [JsonStringEnumMemberName("aws")] Aws,

    /// <summary>Alibaba Cloud: <c>accessKeyId</c>, <c>accessKeySecret</c>.</summary>
    [JsonStringEnumMemberName("aliyun")] Aliyun,

    /// <summary>Tencent Cloud: <c>secretId</c>, <c>secretKey</c>.</summary>
    [JsonStringEnumMemberName("tencent")] Tencent,

    /// <summary>SMTP server: <c>host</c>, optional <c>port</c> (25), <c>username</c>, <c>password</c>,
    /// <c>startTls</c> (true/false), <c>from</c>.</summary>
    [JsonStringEnumMemberName("smtp")] Smtp,

    /// <summary>A webhook: optional <c>url</c> (when the address itself is the secret, as with DingTalk's
    /// access token) and optional <c>secret</c> (signing key).</summary>
    [JsonStringEnumMemberName("webhook")] Webhook,
}

/// <summary>A named secret, decrypted, as an executor receives it. Never put its values into output,
/// variables, history, exception messages or logs.</summary>
public sealed record Credential(string Name, CredentialKind Kind, IReadOnlyDictionary<string, string> Values)
{
    /// <summary>The value of <paramref name="field"/>; a clear error naming the credential when it is missing.</summary>
    public string Require(string field) =>
        Optional(field) ?? throw new CredentialException($"Credential '{Name}' ({Kind.ToString().ToLowerInvariant()}) has no '{field}'.");

    public string? Optional(string field) =>
        Values.TryGetValue(field, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    /// <summary>Fails unless the credential is of <paramref name="kind"/>: an executor given the wrong
    /// kind of credential says so instead of failing somewhere inside a protocol.</summary>
    public Credential Expect(CredentialKind kind) =>
        Kind == kind ? this : throw new CredentialException(
            $"Credential '{Name}' is of kind '{Kind.ToString().ToLowerInvariant()}'; this step needs a '{kind.ToString().ToLowerInvariant()}' credential.");

    // Records print their members; a credential must not.
    public override string ToString() => $"Credential {Name} ({Kind})";
}

/// <summary>A credential is missing, of the wrong kind, or lacks a field. The message names the
/// credential, never a secret value.</summary>
public sealed class CredentialException(string message) : Exception(message);

/// <summary>Where executors look credentials up by name.</summary>
public interface ICredentialStore
{
    /// <summary>The credential named <paramref name="name"/>, decrypted; <see cref="CredentialException"/> when there is none.</summary>
    Task<Credential> GetAsync(string name, CancellationToken cancellationToken);
}

/// <summary>Credentials held in memory: for tests and for the in-memory runtime.</summary>
public sealed class InMemoryCredentialStore : ICredentialStore
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Credential> credentials = new(StringComparer.Ordinal);

    public InMemoryCredentialStore Add(Credential credential)
    {
        credentials[credential.Name] = credential;
        return this;
    }

    public Task<Credential> GetAsync(string name, CancellationToken cancellationToken) =>
        credentials.TryGetValue(name, out var credential)
            ? Task.FromResult(credential)
            : throw new CredentialException($"There is no credential named '{name}'.");
}
