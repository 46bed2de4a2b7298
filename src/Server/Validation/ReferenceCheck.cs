using System.Text.Json;
using WeOps.Activities.Credentials;
using WeOps.Activities.Inventory;
using WeOps.Activities.Ssh;
using WeOps.Engine.Approvals;
using WeOps.Engine.Execution;
using WeOps.Engine.Executors;
using WeOps.Engine.Expressions;
using WeOps.Engine.Model;
using WeOps.Engine.Parsing;
using WeOps.Engine.Persistence;
using WeOps.Engine.Validation;

namespace WeOps.Server.Validation;

/// <summary>Checks the names a process uses against this server, while it is drawn: approvers, assignees, candidate
/// users and groups in the user directory; credentials; hosts and tag filters in the inventory; called processes.
/// Only values written as they are: one with <c>${...}</c> (or a FEEL <c>=</c>) is known only at run time.
/// What it finds are warnings, never a reason to refuse a save: the user or host may be added after the process.</summary>
public sealed class ReferenceCheck(
    UserDirectory directory, CredentialStore credentials, IHostInventory inventory, DefinitionStore definitions, ExecutorCatalog executors)
{
    private const string CredentialHint = "credential";
    private const string HostsHint = "hosts";

    /// <summary>The warnings for every process of the document, in file order.</summary>
    public async Task<IReadOnlyList<ValidationProblem>> CheckAsync(BpmnDocument document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var known = new Known(directory, credentials, inventory, definitions, document.Processes.Select(p => p.Key));
        var problems = new List<ValidationProblem>();
        foreach (var node in document.Runnable.SelectMany(p => p.Nodes).OrderBy(n => n.Line))
            await CheckAsync(node, known, problems, cancellationToken);
        return problems;
    }

    /// <summary>The validator's problems with the warnings added, errors first, then in file order, at most
    /// <paramref name="limit"/> of them; the total counts every problem.</summary>
    public static (IReadOnlyList<ValidationProblem> Problems, int Total) Merge(
        IReadOnlyList<ValidationProblem> problems, int total, IReadOnlyList<ValidationProblem> warnings, int limit)
    {
        var merged = problems.Concat(warnings).OrderBy(p => p.Severity).ThenBy(p => p.Line ?? 0).Take(limit).ToList();
        return (merged, total + warnings.Count);
    }

    private async Task CheckAsync(FlowNode node, Known known, List<ValidationProblem> problems, CancellationToken cancellationToken)
    {
        void Warn(ProblemCode code, string name, string value) => problems.Add(ValidationProblem.Of(code, Severity.Warning, node.Id,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["element"] = NameOf(node), [name] = Quote(value) },
            node.Line > 0 ? node.Line : null));

        switch (node)
        {
            case TaskNode { UserTask: { } user } task:
                foreach (var name in People(user).Where(Static))
                {
                    if (name.StartsWith(ApprovalState.GroupPrefix, StringComparison.Ordinal))
                    {
                        var group = name[ApprovalState.GroupPrefix.Length..].Trim();
                        if (!await known.GroupAsync(group, cancellationToken)) Warn(ReferenceCodes.EmptyGroup, "group", group);
                    }
                    else
                    {
                        var username = name.StartsWith(ApprovalState.UserPrefix, StringComparison.Ordinal) ? name[ApprovalState.UserPrefix.Length..].Trim() : name.Trim();
                        if (!await known.UserAsync(username, cancellationToken)) Warn(ReferenceCodes.UnknownUser, "user", username);
                    }
                }

                await CheckExecutorAsync(task, known, Warn, cancellationToken);
                break;
            case TaskNode task:
                await CheckExecutorAsync(task, known, Warn, cancellationToken);
                break;
            case StartEvent { Http.SecretCredential: { } secret } when Static(secret):
                if (!await known.CredentialAsync(secret, cancellationToken)) Warn(ReferenceCodes.UnknownCredential, "credential", secret);
                break;
            case CallActivity { CalledProcessKey.Length: > 0 } call when Static(call.CalledProcessKey):
                if (!await known.ProcessAsync(call.CalledProcessKey, call.CalledVersion, cancellationToken))
                    Warn(ReferenceCodes.UnknownProcess, "process", call.CalledProcessKey);
                break;
        }
    }

    private async Task CheckExecutorAsync(TaskNode task, Known known, Action<ProblemCode, string, string> warn, CancellationToken cancellationToken)
    {
        if (task.Task is null || executors.Describe(task.Task.Type) is not { } descriptor) return;
        foreach (var input in task.Inputs.Where(i => Static(i.Value)))
        {
            switch (descriptor.Input(input.Name)?.UiHint)
            {
                case CredentialHint when input.Value.Trim().Length > 0:
                    if (!await known.CredentialAsync(input.Value.Trim(), cancellationToken)) warn(ReferenceCodes.UnknownCredential, "credential", input.Value.Trim());
                    break;
                case HostsHint:
                    foreach (var item in HostItems(input.Value))
                    {
                        if (TagFilter.IsFilter(item))
                        {
                            if (!await known.TagFilterMatchesAsync(item, cancellationToken)) warn(ReferenceCodes.NoHostWithTags, "filter", item);
                        }
                        else if (!await known.HostAsync(item, cancellationToken))
                        {
                            warn(ReferenceCodes.UnknownHost, "host", item);
                        }
                    }

                    break;
            }
        }
    }

    /// <summary>Who a user task names: its assignee, candidate users and groups, and its approvers.</summary>
    private static IEnumerable<string> People(UserTaskDefinition user)
    {
        if (!string.IsNullOrWhiteSpace(user.Assignee)) yield return user.Assignee;
        foreach (var name in user.CandidateUsers) yield return name;
        foreach (var group in user.CandidateGroups) yield return ApprovalState.GroupPrefix + group;
        foreach (var entry in user.Approval?.Approvers ?? []) yield return entry;
    }

    /// <summary>The items of a <c>hosts</c> value written as it is: a JSON list of strings, or one item.</summary>
    private static IEnumerable<string> HostItems(string value)
    {
        var text = value.Trim();
        if (text.StartsWith('['))
        {
            try
            {
                if (JsonSerializer.Deserialize<List<string>>(text) is { } items) return items.Select(i => i.Trim()).Where(i => i.Length > 0);
            }
            catch (JsonException)
            {
                // The validator reports a list that does not parse.
                return [];
            }
        }

        return text.Length == 0 ? [] : [text];
    }

    private static bool Static(string value) =>
        !string.IsNullOrWhiteSpace(value) && !ExpressionEvaluator.IsTemplate(value) && !value.Contains("${", StringComparison.Ordinal) && !value.TrimStart().StartsWith('=');

    private static string NameOf(FlowNode node) => string.IsNullOrWhiteSpace(node.Name) ? node.Id : node.Name;

    private static string Quote(string value) => $"'{(value.Length > 80 ? value[..80] + "…" : value)}'";

    /// <summary>What one check has looked up, so that a name used by many elements is looked up once.</summary>
    private sealed class Known(
        UserDirectory directory, CredentialStore credentials, IHostInventory inventory, DefinitionStore definitions, IEnumerable<string> processesInFile)
    {
        private readonly HashSet<string> inFile = new(processesInFile, StringComparer.Ordinal);
        private readonly Dictionary<string, bool> credentialsSeen = new(StringComparer.Ordinal);
        private readonly Dictionary<string, bool> processesSeen = new(StringComparer.Ordinal);
        private IReadOnlyList<User>? users;
        private IReadOnlyList<WeOps.Activities.Inventory.Host>? hosts;

        public async Task<bool> UserAsync(string username, CancellationToken cancellationToken) =>
            (users ??= await directory.ListAsync(cancellationToken)).Any(u => u.Username == username);

        public async Task<bool> GroupAsync(string group, CancellationToken cancellationToken) =>
            (users ??= await directory.ListAsync(cancellationToken)).Any(u => u.Groups.Contains(group, StringComparer.Ordinal));

        public async Task<bool> CredentialAsync(string name, CancellationToken cancellationToken)
        {
            if (!credentialsSeen.TryGetValue(name, out var exists))
                credentialsSeen[name] = exists = await credentials.ExistsAsync(name, cancellationToken);
            return exists;
        }

        /// <summary>A host the executor would find: by inventory name or address, or an address written out.</summary>
        public async Task<bool> HostAsync(string item, CancellationToken cancellationToken)
        {
            hosts ??= await inventory.ListAsync(cancellationToken);
            if (hosts.Any(h => h.Name == item || h.Address == item)) return true;
            try
            {
                SshTargets.ParseAddress(item);
                return true;
            }
            catch (ExecutorInputException)
            {
                return false;
            }
        }

        public async Task<bool> TagFilterMatchesAsync(string text, CancellationToken cancellationToken)
        {
            TagFilter filter;
            try
            {
                filter = TagFilter.Parse(text);
            }
            catch (FormatException)
            {
                // A malformed filter fails the step with its own message; there is no name to look up.
                return true;
            }

            hosts ??= await inventory.ListAsync(cancellationToken);
            return hosts.Any(filter.Matches);
        }

        public async Task<bool> ProcessAsync(string key, int? version, CancellationToken cancellationToken)
        {
            // A process of the same file is published with it.
            if (inFile.Contains(key)) return true;
            var seenKey = $"{key}@{version}";
            if (!processesSeen.TryGetValue(seenKey, out var exists))
                processesSeen[seenKey] = exists = await definitions.LatestVersionAsync(key, cancellationToken) is { } latest && latest >= (version ?? 1);
            return exists;
        }
    }
}
