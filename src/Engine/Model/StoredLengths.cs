namespace WeOps.Engine.Model;

/// <summary>The longest ids, keys and names the engine stores: the sizes of their columns in
/// <see cref="Persistence.WeOpsDb"/>. PostgreSQL refuses a longer value (SQLite does not), so the validator
/// and the interpreter check them before a step is written.</summary>
public static class StoredLengths
{
    /// <summary>Process ids (definition keys), element ids, message and signal names, correlation keys,
    /// business keys, assignees, form keys.</summary>
    public const int Key = 200;

    /// <summary>Process and element names.</summary>
    public const int Name = 500;

    /// <summary>A user task's candidate groups, or its candidate users, comma-separated.</summary>
    public const int CandidateList = 2000;

    /// <summary>How a list of candidates is stored: comma-separated with a comma at each end, so a
    /// LIKE '%,ops,%' finds one name; an empty list is a single comma.</summary>
    public static string CandidateListText(IReadOnlyList<string> values) =>
        values.Count == 0 ? "," : $",{string.Join(',', values)},";
}
