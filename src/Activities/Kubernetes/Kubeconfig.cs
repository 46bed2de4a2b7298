using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WeOps.Activities.Kubernetes;

/// <summary>A cluster entry of a kubeconfig: where the API server is and how to trust it.</summary>
public sealed record KubeconfigCluster(string Name, string? Server, string? CertificateAuthorityData, string? CertificateAuthorityFile, bool InsecureSkipTlsVerify);

/// <summary>A user entry of a kubeconfig: a bearer token (inline or in a file) and/or a client certificate.</summary>
public sealed record KubeconfigUser(string Name)
{
    public string? Token { get; init; }
    public string? TokenFile { get; init; }
    public string? ClientCertificateData { get; init; }
    public string? ClientCertificateFile { get; init; }
    public string? ClientKeyData { get; init; }
    public string? ClientKeyFile { get; init; }

    /// <summary>Why the user cannot be used (an exec plugin, an auth provider), or null.</summary>
    public string? Unsupported { get; init; }

    // Records print their members; a user holds secrets.
    public override string ToString() => $"KubeconfigUser {Name}";
}

public sealed record KubeconfigContext(string Name, string Cluster, string User, string? Namespace);

/// <summary>A parsed kubeconfig file (clusters, users, contexts, current-context). Errors name what
/// is missing or malformed and never quote a secret.</summary>
public sealed class Kubeconfig
{
    private Kubeconfig(
        IReadOnlyList<KubeconfigCluster> clusters,
        IReadOnlyList<KubeconfigUser> users,
        IReadOnlyList<KubeconfigContext> contexts,
        string? currentContext,
        string? baseDirectory)
    {
        Clusters = clusters;
        Users = users;
        Contexts = contexts;
        CurrentContext = currentContext;
        BaseDirectory = baseDirectory;
    }

    public IReadOnlyList<KubeconfigCluster> Clusters { get; }
    public IReadOnlyList<KubeconfigUser> Users { get; }
    public IReadOnlyList<KubeconfigContext> Contexts { get; }
    public string? CurrentContext { get; }

    /// <summary>The directory of the kubeconfig file, where relative file paths (certificate-authority,
    /// client-key, tokenFile) are resolved from; null for a kubeconfig given as text, which must embed its data.</summary>
    public string? BaseDirectory { get; }

    /// <summary>Parses kubeconfig YAML; <see cref="KubeconfigException"/> when it is not one. File references
    /// are followed only with a <paramref name="baseDirectory"/> (a kubeconfig read from a file).</summary>
    public static Kubeconfig Parse(string yaml, string? baseDirectory = null)
    {
        IReadOnlyList<JsonNode?> documents;
        try
        {
            documents = YamlJson.ReadDocuments(yaml);
        }
        catch (FormatException e)
        {
            throw new KubeconfigException($"kubeconfig is {e.Message}");
        }

        if (documents.Count != 1 || documents[0] is not JsonObject root)
            throw new KubeconfigException("kubeconfig must be one YAML mapping with clusters, users and contexts.");

        var clusters = Entries(root, "clusters", "cluster", (name, c) => new KubeconfigCluster(
            name,
            Text(c, "server", name),
            Text(c, "certificate-authority-data", name),
            Text(c, "certificate-authority", name),
            Flag(c, "insecure-skip-tls-verify", name)));
        var users = Entries(root, "users", "user", (name, u) => new KubeconfigUser(name)
        {
            Token = Text(u, "token", name),
            TokenFile = Text(u, "tokenFile", name),
            ClientCertificateData = Text(u, "client-certificate-data", name),
            ClientCertificateFile = Text(u, "client-certificate", name),
            ClientKeyData = Text(u, "client-key-data", name),
            ClientKeyFile = Text(u, "client-key", name),
            Unsupported = u.ContainsKey("exec") ? "an exec plugin" : u.ContainsKey("auth-provider") ? "an auth provider" : null,
        });
        var contexts = Entries(root, "contexts", "context", (name, c) => new KubeconfigContext(
            name,
            Text(c, "cluster", name) ?? throw new KubeconfigException($"context '{name}' names no cluster."),
            Text(c, "user", name) ?? throw new KubeconfigException($"context '{name}' names no user."),
            Text(c, "namespace", name)));
        var current = root["current-context"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
        return new Kubeconfig(clusters, users, contexts, string.IsNullOrEmpty(current) ? null : current, baseDirectory);
    }

    /// <summary>The API server address, trust and identity of <paramref name="context"/>, or of the
    /// current context when it is null. Reads the files the kubeconfig refers to.</summary>
    public KubernetesEndpoint Resolve(string? context)
    {
        var name = string.IsNullOrEmpty(context) ? CurrentContext : context;
        if (name is null)
            throw new KubeconfigException($"kubeconfig has no current-context and no context was given; contexts: {List(Contexts.Select(c => c.Name))}.");
        var ctx = Contexts.FirstOrDefault(c => c.Name == name)
            ?? throw new KubeconfigException($"context '{name}' not found; contexts: {List(Contexts.Select(c => c.Name))}.");
        var cluster = Clusters.FirstOrDefault(c => c.Name == ctx.Cluster)
            ?? throw new KubeconfigException($"context '{name}' names cluster '{ctx.Cluster}', which is not in the kubeconfig; clusters: {List(Clusters.Select(c => c.Name))}.");
        var user = Users.FirstOrDefault(u => u.Name == ctx.User)
            ?? throw new KubeconfigException($"context '{name}' names user '{ctx.User}', which is not in the kubeconfig; users: {List(Users.Select(u => u.Name))}.");
        if (user.Unsupported is not null)
            throw new KubeconfigException($"user '{user.Name}' authenticates through {user.Unsupported}, which is not supported; give it a token or a client certificate.");

        if (string.IsNullOrWhiteSpace(cluster.Server))
            throw new KubeconfigException($"cluster '{cluster.Name}' has no server.");
        if (!Uri.TryCreate(cluster.Server, UriKind.Absolute, out var server) || (server.Scheme != Uri.UriSchemeHttps && server.Scheme != Uri.UriSchemeHttp))
            throw new KubeconfigException($"cluster '{cluster.Name}': server '{cluster.Server}' is not an http(s) URL.");

        var ca = Pem(cluster.CertificateAuthorityData, cluster.CertificateAuthorityFile, $"cluster '{cluster.Name}'", "certificate-authority");
        var certificate = Pem(user.ClientCertificateData, user.ClientCertificateFile, $"user '{user.Name}'", "client-certificate");
        var key = Pem(user.ClientKeyData, user.ClientKeyFile, $"user '{user.Name}'", "client-key");
        if ((certificate is null) != (key is null))
            throw new KubeconfigException($"user '{user.Name}' has a client certificate without its key or a key without its certificate.");
        var token = user.Token;
        if (token is null && user.TokenFile is not null)
            token = ReadFile(user.TokenFile, $"user '{user.Name}'", "tokenFile", "token").Trim();
        if (token is null && certificate is null)
            throw new KubeconfigException($"user '{user.Name}' has neither a token nor a client certificate.");

        return new KubernetesEndpoint(server, ca, cluster.InsecureSkipTlsVerify, token, certificate, key, ctx.Namespace, $"context '{ctx.Name}'");
    }

    private static string List(IEnumerable<string> names)
    {
        var all = names.ToList();
        return all.Count == 0 ? "(none)" : string.Join(", ", all);
    }

    private string? Pem(string? data, string? file, string owner, string field)
    {
        if (data is not null)
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(data));
            }
            catch (FormatException)
            {
                throw new KubeconfigException($"{owner}: {field}-data is not base64.");
            }
        }

        return file is null ? null : ReadFile(file, owner, field, $"{field}-data");
    }

    private string ReadFile(string path, string owner, string field, string embedded)
    {
        // A kubeconfig held in a credential must not make the server read its own files and send them
        // (a tokenFile's content goes out as a bearer token) to whatever server the kubeconfig names.
        if (BaseDirectory is null)
            throw new KubeconfigException($"{owner}: {field} refers to a file; a kubeconfig given as text must embed the data ({embedded}).");
        var full = Path.Combine(BaseDirectory, path);
        try
        {
            return File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new KubeconfigException($"{owner}: cannot read {field} file '{full}': {e.Message}");
        }
    }

    private static List<T> Entries<T>(JsonObject root, string section, string inner, Func<string, JsonObject, T> read)
    {
        var node = root[section];
        if (node is null) return [];
        if (node is not JsonArray array) throw new KubeconfigException($"kubeconfig '{section}' must be a list.");
        var result = new List<T>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (item, index) in array.Select((item, index) => (item, index)))
        {
            if (item is not JsonObject entry || entry["name"] is not JsonValue nameValue || nameValue.GetValueKind() != JsonValueKind.String)
                throw new KubeconfigException($"kubeconfig {section}[{index}] has no name.");
            var name = nameValue.GetValue<string>();
            if (!names.Add(name)) throw new KubeconfigException($"kubeconfig has two {section} named '{name}'.");
            var body = entry[inner] switch
            {
                JsonObject o => o,
                null => new JsonObject(),
                _ => throw new KubeconfigException($"kubeconfig {section} '{name}': '{inner}' must be a mapping."),
            };
            result.Add(read(name, body));
        }

        return result;
    }

    private static string? Text(JsonObject obj, string field, string owner) => obj[field] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>() is { Length: > 0 } s ? s : null,
        JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
        _ => throw new KubeconfigException($"'{owner}': '{field}' must be a string."),
    };

    private static bool Flag(JsonObject obj, string field, string owner) => obj[field] switch
    {
        null => false,
        JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
        JsonValue v when v.GetValueKind() == JsonValueKind.False => false,
        _ => throw new KubeconfigException($"'{owner}': '{field}' must be true or false."),
    };
}

/// <summary>A kubeconfig (or a kubernetes credential) is malformed or lacks what a request needs.</summary>
public sealed class KubeconfigException(string message) : Exception(message);
