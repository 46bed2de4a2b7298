namespace WeOps.Activities.Credentials;

/// <summary>Which fields each kind of credential takes, and the size limits of what is stored.</summary>
public static class CredentialKinds
{
    public const int MaxValueLength = 256 * 1024;
    public const int MaxTotalLength = 512 * 1024;
    public const int MaxNameLength = 100;
    public const int MaxDescriptionLength = 500;

    /// <summary>The fields of a kind: each is required, optional, or one of a group of which at least one is needed.</summary>
    public sealed record Schema(IReadOnlyList<string> Required, IReadOnlyList<string> Optional, IReadOnlyList<IReadOnlyList<string>> AtLeastOneOf)
    {
        public IEnumerable<string> All => Required.Concat(Optional).Concat(AtLeastOneOf.SelectMany(g => g)).Distinct();
    }

    public static readonly IReadOnlyDictionary<CredentialKind, Schema> Schemas = new Dictionary<CredentialKind, Schema>
    {
        [CredentialKind.Ssh] = new([], ["username", "passphrase"], [["privateKey", "password"]]),
        [CredentialKind.Kubernetes] = new([], ["context", "server", "certificateAuthority"], [["kubeconfig", "token"]]),
        [CredentialKind.Aws] = new(["accessKeyId", "secretAccessKey"], ["sessionToken"], []),
        [CredentialKind.Aliyun] = new(["accessKeyId", "accessKeySecret"], [], []),
        [CredentialKind.Tencent] = new(["secretId", "secretKey"], [], []),
        [CredentialKind.Smtp] = new(["host"], ["port", "username", "password", "startTls", "from"], []),
        [CredentialKind.Webhook] = new([], [], [["url", "secret"]]),
    };

    /// <summary>Credential names: letters, digits, '.', '_' and '-', starting with a letter or digit.</summary>
    public static bool IsValidName(string? name) =>
        name is { Length: > 0 and <= MaxNameLength } && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    public static string Name(CredentialKind kind) => kind.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out CredentialKind kind)
    {
        foreach (var candidate in Enum.GetValues<CredentialKind>())
        {
            if (string.Equals(Name(candidate), text, StringComparison.Ordinal))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }

    /// <summary>What is wrong with these values for this kind, each naming the field; empty when they fit.
    /// Never repeats a value: the values are secrets.</summary>
    public static IReadOnlyList<string> Check(CredentialKind kind, IReadOnlyDictionary<string, string?> values)
    {
        var problems = new List<string>();
        var schema = Schemas[kind];
        var known = schema.All.ToHashSet(StringComparer.Ordinal);
        foreach (var (field, value) in values)
        {
            if (!known.Contains(field))
                problems.Add($"values.{Printable(field)}: a {Name(kind)} credential has no such field; its fields are {string.Join(", ", schema.All)}.");
            else if (value is { Length: > MaxValueLength })
                problems.Add($"values.{field}: at most {MaxValueLength} characters.");
        }

        foreach (var field in schema.Required)
            if (!Has(values, field))
                problems.Add($"values.{field}: required for a {Name(kind)} credential.");
        foreach (var group in schema.AtLeastOneOf)
            if (!group.Any(f => Has(values, f)))
                problems.Add($"values: a {Name(kind)} credential needs {string.Join(" or ", group)}.");
        if (kind == CredentialKind.Kubernetes && Has(values, "token") && !Has(values, "kubeconfig") && !Has(values, "server"))
            problems.Add("values.server: required with a token (or give a whole kubeconfig).");
        if (kind == CredentialKind.Smtp && values.TryGetValue("port", out var port) && port is { Length: > 0 }
            && !(int.TryParse(port, out var p) && p is > 0 and < 65536))
            problems.Add("values.port: a port number from 1 to 65535.");
        if (values.Values.Sum(v => v?.Length ?? 0) > MaxTotalLength)
            problems.Add($"values: at most {MaxTotalLength} characters in all.");
        return problems;
    }

    private static bool Has(IReadOnlyDictionary<string, string?> values, string field) =>
        values.TryGetValue(field, out var value) && !string.IsNullOrEmpty(value);

    private static string Printable(string field) => field.Length > 60 || field.Any(char.IsControl) ? "(unprintable name)" : field;
}
