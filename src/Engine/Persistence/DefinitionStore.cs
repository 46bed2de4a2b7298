using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using WeOps.Engine.Model;
using WeOps.Engine.Parsing;
using WeOps.Engine.Triggers;
using WeOps.Engine.Validation;

namespace WeOps.Engine.Persistence;

/// <param name="TotalProblems">Every problem found; <paramref name="Problems"/> holds the first ones.</param>
/// <param name="OverLimit">Set when the file was refused for going over a limit, unread.</param>
public sealed record DraftSaved(string? Key, IReadOnlyList<ValidationProblem> Problems, int TotalProblems, BpmnLimitExceeded? OverLimit = null);

public sealed record Published(string Key, int Version, bool Created);

public sealed record DefinitionSummary(string Key, string? Name, DateTimeOffset DraftSavedAt, string? DraftSavedBy, int LatestVersion, bool DraftPublished);

public sealed record VersionSummary(int Version, string? Name, string Hash, DateTimeOffset PublishedAt, string? PublishedBy, string? Note);

/// <summary>A publish refused because the draft has errors.</summary>
public sealed class DefinitionInvalidException(string key, IReadOnlyList<ValidationProblem> problems, int? totalProblems = null)
    : Exception($"Process '{key}' has {problems.Count(p => p.Severity == Severity.Error)} error(s) and cannot be published.")
{
    public string Key { get; } = key;

    /// <summary>The first problems; <see cref="TotalProblems"/> counts them all.</summary>
    public IReadOnlyList<ValidationProblem> Problems { get; } = problems;
    public int TotalProblems { get; } = totalProblems ?? problems.Count;
}

/// <summary>Drafts and published versions of process definitions, and the parsed graphs of published
/// versions (parsed once per node: versions never change).</summary>
public sealed class DefinitionStore(Func<WeOpsDb> database, ProcessValidator validator, TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Key, int Version), ProcessGraph> graphs = new();
    private volatile HookRoutesCache? hookRoutes;

    /// <summary>Saves the file as the draft of the process whose id it holds. A file that names no
    /// process is not saved: its problems are returned with a null key.</summary>
    public async Task<DraftSaved> SaveDraftAsync(string xml, string? actor, CancellationToken cancellationToken)
    {
        var document = validator.Validate(xml);
        var main = document.Main;
        // A key or a name longer than its column cannot be saved at all; the validator says so.
        if (main is null || main.Key.Length > StoredLengths.Key || main.Name?.Length > StoredLengths.Name)
            return new DraftSaved(null, document.Problems, document.TotalProblems, document.OverLimit);

        await using var db = database();
        var row = await db.Definitions.FindAsync([main.Key], cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        if (row is null)
        {
            db.Definitions.Add(new DefinitionRow { Key = main.Key, Name = main.Name, DraftXml = xml, DraftHash = Hash(xml), DraftSavedAt = now, DraftSavedBy = actor });
        }
        else
        {
            row.Name = main.Name;
            row.DraftXml = xml;
            row.DraftHash = Hash(xml);
            row.DraftSavedAt = now;
            row.DraftSavedBy = actor;
        }

        await db.SaveChangesAsync(cancellationToken);
        return new DraftSaved(main.Key, document.Problems, document.TotalProblems);
    }

    /// <summary>Publishes the draft as the next version; publishing a draft identical to the latest
    /// version returns that version instead of a copy. The version's timer start events replace the
    /// previous version's schedules in the same transaction; a hook route another process already answers
    /// refuses the publish.</summary>
    public async Task<Published?> PublishAsync(string key, string? note, string? actor, CancellationToken cancellationToken, AuditNote? audit = null)
    {
        await using var db = database();
        var row = await db.Definitions.FindAsync([key], cancellationToken);
        if (row is null) return null;
        // A draft saved under higher limits than today's is refused here like an upload.
        var document = validator.Validate(row.DraftXml);
        if (document.HasErrors || document.Main?.Key != key)
            throw new DefinitionInvalidException(key, document.Problems, document.TotalProblems);
        if (row.LatestVersion > 0)
        {
            var latest = await db.DefinitionVersions.FindAsync([key, row.LatestVersion], cancellationToken);
            if (latest?.Hash == row.DraftHash) return new Published(key, row.LatestVersion, false);
        }

        var version = row.LatestVersion + 1;
        var clashes = await HookClashesAsync(document.Main, version, cancellationToken);
        if (clashes.Count > 0) throw new DefinitionInvalidException(key, clashes);

        var now = time.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        db.DefinitionVersions.Add(new DefinitionVersionRow
        {
            Key = key,
            Version = version,
            Name = row.Name,
            Xml = row.DraftXml,
            Hash = row.DraftHash,
            PublishedAt = now.UtcDateTime,
            PublishedBy = actor,
            Note = note,
        });
        row.LatestVersion = version;
        await ScheduleWriter.ReplaceAsync(db, key, version, document.Main, now, cancellationToken);
        (audit is null ? null : audit with { Detail = $"{audit.Detail} version {version}" })?.AddTo(db, now);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return new Published(key, version, true);
    }

    /// <summary>The hook routes of the latest published versions of all processes. Built again only when
    /// a version was published (on any node): one query for the version numbers per call.</summary>
    public async Task<HookRouteTable> HookRoutesAsync(CancellationToken cancellationToken)
    {
        var versions = await LatestVersionsAsync(cancellationToken);
        var cached = hookRoutes;
        if (cached is not null && cached.Versions.SequenceEqual(versions)) return cached.Table;

        var hooks = new List<HookBinding>();
        foreach (var (key, version) in versions)
        {
            if (await GraphAsync(key, version, cancellationToken) is { } graph) hooks.AddRange(HookRouteTable.Of(graph, version));
        }

        var table = new HookRouteTable(hooks);
        hookRoutes = new HookRoutesCache(versions, table);
        return table;
    }

    private sealed record HookRoutesCache(IReadOnlyList<(string Key, int Version)> Versions, HookRouteTable Table);

    /// <summary>The published processes and their latest version numbers.</summary>
    public async Task<IReadOnlyList<(string Key, int Version)>> LatestVersionsAsync(CancellationToken cancellationToken)
    {
        await using var db = database();
        return (await db.Definitions.AsNoTracking().Where(d => d.LatestVersion > 0).OrderBy(d => d.Key).Select(d => new { d.Key, d.LatestVersion }).ToListAsync(cancellationToken))
            .Select(d => (d.Key, d.LatestVersion)).ToList();
    }

    private async Task<List<ValidationProblem>> HookClashesAsync(ProcessGraph graph, int version, CancellationToken cancellationToken)
    {
        var mine = HookRouteTable.Of(graph, version).ToList();
        if (mine.Count == 0) return [];
        var others = (await HookRoutesAsync(cancellationToken)).Bindings.Where(b => b.ProcessKey != graph.Key);
        return HookRouteTable.Clashes(mine, others).Select(c => ValidationProblem.Of(ProblemCodes.HookTaken, Severity.Error, c.Hook.StartEventId,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["element"] = graph.TryGetNode(c.Hook.StartEventId, out var start) ? ProcessCheck.NameOf(start) : c.Hook.StartEventId,
                ["route"] = HookRouteTable.Describe(c.Hook),
                ["process"] = c.Other.ProcessKey,
                ["other"] = c.Other.StartEventId,
            }, c.Hook.Line > 0 ? c.Hook.Line : null)).ToList();
    }

    public async Task<IReadOnlyList<DefinitionSummary>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = database();
        var rows = await db.Definitions.AsNoTracking().OrderBy(d => d.Key).ToListAsync(cancellationToken);
        var latestHashes = await db.DefinitionVersions.AsNoTracking()
            .Join(db.Definitions, v => new { v.Key, v.Version }, d => new { d.Key, Version = d.LatestVersion }, (v, d) => new { v.Key, v.Hash })
            .ToDictionaryAsync(x => x.Key, x => x.Hash, cancellationToken);
        return rows.Select(d => new DefinitionSummary(d.Key, d.Name, Utc(d.DraftSavedAt), d.DraftSavedBy, d.LatestVersion,
            latestHashes.TryGetValue(d.Key, out var hash) && hash == d.DraftHash)).ToList();
    }

    public async Task<string?> DraftAsync(string key, CancellationToken cancellationToken)
    {
        await using var db = database();
        return await db.Definitions.AsNoTracking().Where(d => d.Key == key).Select(d => d.DraftXml).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<VersionSummary>?> VersionsAsync(string key, CancellationToken cancellationToken)
    {
        await using var db = database();
        if (!await db.Definitions.AnyAsync(d => d.Key == key, cancellationToken)) return null;
        var rows = await db.DefinitionVersions.AsNoTracking().Where(v => v.Key == key).OrderBy(v => v.Version).ToListAsync(cancellationToken);
        return rows.Select(v => new VersionSummary(v.Version, v.Name, v.Hash, Utc(v.PublishedAt), v.PublishedBy, v.Note)).ToList();
    }

    public async Task<string?> VersionXmlAsync(string key, int version, CancellationToken cancellationToken)
    {
        await using var db = database();
        return await db.DefinitionVersions.AsNoTracking().Where(v => v.Key == key && v.Version == version).Select(v => v.Xml).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The latest published version number, or null when the process has none.</summary>
    public async Task<int?> LatestVersionAsync(string key, CancellationToken cancellationToken)
    {
        await using var db = database();
        return await LatestVersionAsync(db, key, cancellationToken);
    }

    /// <summary>The latest published version as <paramref name="db"/> sees it, in its transaction if it has one.</summary>
    public static async Task<int?> LatestVersionAsync(WeOpsDb db, string key, CancellationToken cancellationToken)
    {
        var latest = await db.Definitions.AsNoTracking().Where(d => d.Key == key).Select(d => (int?)d.LatestVersion).FirstOrDefaultAsync(cancellationToken);
        return latest is > 0 ? latest : null;
    }

    /// <summary>The graph of a published version; other processes in the same file are reachable through
    /// their own keys.</summary>
    public async Task<ProcessGraph?> GraphAsync(string key, int version, CancellationToken cancellationToken)
    {
        if (graphs.TryGetValue((key, version), out var cached)) return cached;
        var xml = await VersionXmlAsync(key, version, cancellationToken);
        if (xml is null) return null;
        var graph = BpmnParser.Parse(xml, BpmnLimits.None).Processes.FirstOrDefault(p => p.Key == key);
        if (graph is null) return null;
        return graphs.GetOrAdd((key, version), graph);
    }

    /// <summary>Start events of the latest published versions that match, for messages and signals that
    /// start processes.</summary>
    public async Task<IReadOnlyList<(string Key, int Version, string StartEventId)>> StartEventsAsync(Func<EventDefinition?, bool> matches, CancellationToken cancellationToken)
    {
        var found = new List<(string, int, string)>();
        foreach (var (key, version) in await LatestVersionsAsync(cancellationToken))
        {
            var graph = await GraphAsync(key, version, cancellationToken);
            if (graph is null) continue;
            found.AddRange(graph.StartEventsIn(null).Where(s => matches(s.Definition)).Select(s => (key, version, s.Id)));
        }

        return found;
    }

    /// <summary>SQLite gives back times without a kind; every time the engine writes is UTC.</summary>
    internal static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));

    public static string Hash(string xml) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(xml)));
}
