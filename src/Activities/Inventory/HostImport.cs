using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace WeOps.Activities.Inventory;

/// <summary>One host read from an import file, where it was, and what is wrong with it (field → messages).</summary>
public sealed record HostImportRow(int Line, Host Host, IReadOnlyDictionary<string, IReadOnlyList<string>> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>The file cannot be read at all; <see cref="Where"/> names the line (<c>line 3</c>) or the field.</summary>
public sealed class HostImportException(string where, string message) : Exception(message)
{
    public string Where { get; } = where;
}

/// <summary>Reads hosts from a CSV file (header <c>name,address,port,user,credential,tags</c>) or an Ansible-style
/// YAML inventory (<c>all</c> / <c>children</c> / <c>hosts</c>, with <c>ansible_host</c>, <c>ansible_port</c>,
/// <c>ansible_user</c>; the groups a host is in become its tags). Nothing is written here: the rows are checked with
/// <see cref="HostStore.Check"/> so a preview can show every problem before an import.</summary>
public static class HostImport
{
    public const int MaxTextLength = 1024 * 1024;
    public const int MaxRows = 5000;
    public static readonly IReadOnlyList<string> CsvColumns = ["name", "address", "port", "user", "credential", "tags"];

    /// <exception cref="HostImportException">The text is too large, not CSV or YAML of the expected shape.</exception>
    public static IReadOnlyList<HostImportRow> Read(string format, string text, string? defaultCredential)
    {
        if (text.Length > MaxTextLength)
            throw new HostImportException("text", $"The file has {text.Length} characters; at most {MaxTextLength} can be imported at once.");
        var rows = format.Trim().ToLowerInvariant() switch
        {
            "csv" => ReadCsv(text),
            "yaml" or "yml" => ReadYaml(text),
            _ => throw new HostImportException("format", "format is 'csv' or 'yaml'."),
        };
        if (rows.Count > MaxRows)
            throw new HostImportException("text", $"The file has {rows.Count} hosts; at most {MaxRows} can be imported at once.");
        if (rows.Count == 0)
            throw new HostImportException("text", "The file lists no hosts.");

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        return rows.Select(r =>
        {
            var host = r.Host.Credential is null && !string.IsNullOrWhiteSpace(defaultCredential) ? r.Host with { Credential = defaultCredential.Trim() } : r.Host;
            var errors = r.Errors.ToDictionary(e => e.Key, e => e.Value.ToList());
            foreach (var problem in HostStore.Check(host))
            {
                var colon = problem.IndexOf(':', StringComparison.Ordinal);
                var field = problem[..colon];
                if (field.StartsWith("tags[", StringComparison.Ordinal)) field = "tags";
                if (errors.ContainsKey("port") && field == "port") continue;
                (errors.TryGetValue(field, out var list) ? list : errors[field] = []).Add(problem[(colon + 2)..]);
            }

            if (seen.TryGetValue(host.Name, out var first))
                (errors.TryGetValue("name", out var list) ? list : errors["name"] = []).Add($"The host '{host.Name}' is already on line {first}.");
            else
                seen[host.Name] = r.Line;
            return new HostImportRow(r.Line, host, errors.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value));
        }).ToList();
    }

    private static List<HostImportRow> ReadCsv(string text)
    {
        var records = CsvRecords(text).ToList();
        var header = records.FirstOrDefault(r => r.Fields.Any(f => f.Length > 0));
        if (header.Fields is null)
            throw new HostImportException("line 1", "The file is empty; the first line must be the header name,address,port,user,credential,tags.");
        var columns = header.Fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
        foreach (var (column, i) in columns.Select((c, i) => (c, i)))
        {
            if (!CsvColumns.Contains(column))
                throw new HostImportException($"line {header.Line}",
                    $"Column {i + 1} of the header is '{Shorten(column)}'; the columns are {string.Join(",", CsvColumns)} (name and address required).");
            if (columns.IndexOf(column) != i)
                throw new HostImportException($"line {header.Line}", $"The header names the column '{column}' twice.");
        }

        foreach (var required in new[] { "name", "address" })
            if (!columns.Contains(required))
                throw new HostImportException($"line {header.Line}", $"The header has no '{required}' column; it must be name,address,port,user,credential,tags.");

        var rows = new List<HostImportRow>();
        foreach (var record in records.Where(r => r.Line > header.Line && r.Fields.Any(f => f.Trim().Length > 0)))
        {
            var errors = new Dictionary<string, IReadOnlyList<string>>();
            if (record.Fields.Count > columns.Count)
                errors["line"] = [$"The line has {record.Fields.Count} fields, the header {columns.Count}."];
            string? Field(string column) => columns.IndexOf(column) is var i and >= 0 && i < record.Fields.Count && record.Fields[i].Trim() is { Length: > 0 } v ? v : null;
            var port = 22;
            if (Field("port") is { } portText && !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port))
                errors["port"] = [$"'{Shorten(portText)}' is not a port number (1 to 65535)."];
            var tags = (Field("tags") ?? "").Split([' ', ';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            rows.Add(new HostImportRow(record.Line, new Host(Field("name") ?? "", Field("address") ?? "", port, Field("user"), Field("credential"), tags), errors));
            if (rows.Count > MaxRows) break;
        }

        return rows;
    }

    /// <summary>RFC 4180 records: fields separated by commas, quoted with '"' ('""' inside quotes is one quote),
    /// each with the line it starts on.</summary>
    private static IEnumerable<(int Line, List<string> Fields)> CsvRecords(string text)
    {
        var line = 1;
        var start = 1;
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else
                {
                    if (c == '\n') line++;
                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.ToString().Trim().Length == 0:
                    field.Clear();
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    yield return (start, fields);
                    fields = [];
                    field.Clear();
                    start = ++line;
                    break;
                default:
                    if (char.IsControl(c) && c != '\t')
                        throw new HostImportException($"line {line}", $"The line holds a control character (U+{(int)c:X4}); this is not a CSV text file.");
                    field.Append(c);
                    break;
            }
        }

        if (quoted) throw new HostImportException($"line {start}", "A quoted field is not closed: a '\"' is missing.");
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return (start, fields);
        }
    }

    private static List<HostImportRow> ReadYaml(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new HostImportException($"line {e.Start.Line}", $"This is not YAML: {e.Message}");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new HostImportException("line 1", "An inventory is a mapping of groups, starting with 'all:' (all → children → hosts).");
        var hosts = new Dictionary<string, (int Line, Dictionary<string, string> Vars, SortedSet<string> Tags, Dictionary<string, IReadOnlyList<string>> Errors)>(StringComparer.Ordinal);
        var order = new List<string>();

        void Group(string name, YamlNode node, int depth)
        {
            if (depth > 20) throw new HostImportException($"line {node.Start.Line}", "Groups are nested more than 20 deep.");
            if (node is YamlScalarNode { Value: null or "" }) return;
            if (node is not YamlMappingNode group)
                throw new HostImportException($"line {node.Start.Line}", $"The group '{Shorten(name)}' must be a mapping with 'hosts', 'children' or 'vars'.");
            foreach (var (keyNode, value) in group.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value;
                switch (key)
                {
                    case "hosts":
                        if (value is YamlScalarNode { Value: null or "" }) break;
                        if (value is not YamlMappingNode members)
                            throw new HostImportException($"line {value.Start.Line}", $"'hosts' of the group '{Shorten(name)}' must map host names to their variables.");
                        foreach (var (hostKey, vars) in members.Children)
                            Host(((hostKey as YamlScalarNode)?.Value ?? "").Trim(), hostKey.Start.Line, vars, name);
                        break;
                    case "children":
                        if (value is YamlScalarNode { Value: null or "" }) break;
                        if (value is not YamlMappingNode children)
                            throw new HostImportException($"line {value.Start.Line}", $"'children' of the group '{Shorten(name)}' must map group names to groups.");
                        foreach (var (childKey, child) in children.Children)
                            Group(((childKey as YamlScalarNode)?.Value ?? "").Trim(), child, depth + 1);
                        break;
                    case "vars":
                        break;
                    default:
                        throw new HostImportException($"line {keyNode.Start.Line}",
                            $"'{Shorten(key ?? "?")}' in the group '{Shorten(name)}': a group holds 'hosts', 'children' and 'vars' only.");
                }
            }
        }

        void Host(string name, long line, YamlNode vars, string group)
        {
            if (!hosts.TryGetValue(name, out var entry))
            {
                if (hosts.Count >= MaxRows)
                    throw new HostImportException($"line {line}", $"The inventory has more than {MaxRows} hosts; at most {MaxRows} can be imported at once.");
                entry = ((int)line, new Dictionary<string, string>(StringComparer.Ordinal), new SortedSet<string>(StringComparer.Ordinal), []);
                hosts[name] = entry;
                order.Add(name);
            }

            if (group is not ("all" or "ungrouped")) entry.Tags.Add(group);
            if (vars is YamlScalarNode { Value: null or "" }) return;
            if (vars is not YamlMappingNode mapping)
            {
                entry.Errors["line"] = [$"The host '{Shorten(name)}' must map to its variables (ansible_host, ansible_port, ansible_user) or nothing."];
                return;
            }

            foreach (var (k, v) in mapping.Children)
                if (k is YamlScalarNode { Value: { } key } && v is YamlScalarNode { Value: { } value })
                    entry.Vars[key] = value;
        }

        foreach (var (keyNode, value) in root.Children)
            Group(((keyNode as YamlScalarNode)?.Value ?? "").Trim(), value, 0);

        return order.Select(name =>
        {
            var (line, vars, tags, errors) = hosts[name];
            var port = 22;
            if (vars.TryGetValue("ansible_port", out var portText) && !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port))
                errors["port"] = [$"ansible_port '{Shorten(portText)}' is not a port number (1 to 65535)."];
            var host = new Host(name, vars.GetValueOrDefault("ansible_host") ?? name, port, vars.GetValueOrDefault("ansible_user"),
                vars.GetValueOrDefault("weops_credential"), [.. tags]);
            return new HostImportRow(line, host, errors);
        }).ToList();
    }

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text.Any(char.IsControl) ? "(unprintable)" : text;
}
