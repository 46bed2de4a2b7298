using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WeOps.Engine.Persistence;

namespace WeOps.Engine.Alerts;

/// <summary>Takes normalised alerts: starts the processes whose alert rule matches a firing alert (one active
/// instance per process and fingerprint; repeats are counted), delivers a resolved alert to the instance
/// as the message <c>alert.resolved</c>, applies storm control, and logs what each alert did. One
/// transaction per call: the log rows, the starts and the deliveries commit together.</summary>
public sealed class AlertIntake(InstanceStore store, DefinitionStore definitions, ILogger<AlertIntake> logger)
{
    /// <summary>The message a resolved alert becomes; its correlation key is the fingerprint.</summary>
    public const string ResolvedMessage = "alert.resolved";

    private const int MaxAlertsPerBatch = 2000;

    private readonly ConcurrentQueue<Pending> queue = new();
    private readonly SemaphoreSlim leader = new(1, 1);

    /// <summary>Takes the alerts of one call. Calls that arrive while another is being written wait and
    /// are then written together, in one transaction (a group commit): the database sees one commit per
    /// batch instead of one per call, which is what keeps a storm's latency down. Each call still gets its
    /// own result; if the batch fails, every call in it fails and nothing of it is stored.</summary>
    public async Task<IntakeResult> ReceiveAsync(IReadOnlyList<Alert> alerts, CancellationToken cancellationToken)
    {
        // Before joining the queue: a call whose process runs a slow script first holds up neither the batch nor the lock.
        var prepared = await PrepareAsync(alerts, await AlertRules.LatestAsync(definitions, cancellationToken), cancellationToken);
        var pending = new Pending(alerts, prepared);
        queue.Enqueue(pending);
        while (!pending.Result.Task.IsCompleted)
        {
            await leader.WaitAsync(cancellationToken);
            try
            {
                if (pending.Result.Task.IsCompleted) break;
                var batch = new List<Pending>();
                var count = 0;
                while (count < MaxAlertsPerBatch && queue.TryDequeue(out var next))
                {
                    batch.Add(next);
                    count += next.Alerts.Count;
                }

                // Not the caller's token: the batch carries other callers' alerts too.
                await WriteAsync(batch, CancellationToken.None);
            }
            finally
            {
                leader.Release();
            }
        }

        return await pending.Result.Task;
    }

    private async Task WriteAsync(List<Pending> batch, CancellationToken cancellationToken)
    {
        try
        {
            var rules = await AlertRules.LatestAsync(definitions, cancellationToken);
            var results = await store.InTransactionAsync(tx => new Run(tx, logger).ApplyAsync(batch, rules, cancellationToken), cancellationToken);
            for (var i = 0; i < batch.Count; i++) batch[i].Result.TrySetResult(results[i]);
        }
        catch (Exception e)
        {
            foreach (var pending in batch) pending.Result.TrySetException(e);
        }
    }

    /// <summary>Evaluates, before the transaction and without a lock, the starts a call is expected to make: the first
    /// firing alert of each process and fingerprint that has no active instance and is not in its cooldown (as read
    /// now). A slow script on a process's first steps then runs outside the write lock and outside the batch (ADR 0017);
    /// the transaction writes these starts, and evaluates under its lock only a start that was not expected here.</summary>
    private async Task<Dictionary<(string, string), PreparedStart>> PrepareAsync(IReadOnlyList<Alert> alerts, IReadOnlyList<AlertRuleVersion> rules, CancellationToken cancellationToken)
    {
        var prepared = new Dictionary<(string, string), PreparedStart>();
        var firing = new Dictionary<(string Key, string Fingerprint), (AlertRuleVersion Rule, Alert Alert)>();
        foreach (var alert in alerts.Where(a => a.Status != AlertStatus.Resolved))
        {
            foreach (var rule in rules.Where(r => r.Rule.Matches(alert.Labels)))
                firing.TryAdd((rule.Key, alert.Fingerprint), (rule, alert));
        }

        if (firing.Count == 0) return prepared;
        var now = store.Now.UtcDateTime;
        await using (var db = store.OpenDb())
        {
            foreach (var group in firing.Keys.GroupBy(k => k.Key))
            {
                var wanted = group.Select(k => k.Fingerprint).ToList();
                var rows = await db.AlertFingerprints.AsNoTracking().Where(f => f.ProcessKey == group.Key && wanted.Contains(f.Fingerprint))
                    .Select(f => new { f.Fingerprint, f.Active, f.EndedAt }).ToListAsync(cancellationToken);
                var cooldown = firing[(group.Key, wanted[0])].Rule.Rule.Cooldown;
                foreach (var row in rows.Where(r => r.Active || cooldown is { } c && r.EndedAt is { } ended && ended + c > now))
                    firing.Remove((group.Key, row.Fingerprint));
            }
        }

        foreach (var ((key, fingerprint), (rule, alert)) in firing)
        {
            var start = new PendingStart(rule.Key, rule.Version, rule.StartEventId, new JsonObject { ["alert"] = alert.ToVariable() });
            prepared[(key, fingerprint)] = await store.PrepareStartAsync(rule.Graph, start, cancellationToken);
        }

        return prepared;
    }

    private sealed class Pending(IReadOnlyList<Alert> alerts, Dictionary<(string, string), PreparedStart> prepared)
    {
        public IReadOnlyList<Alert> Alerts => alerts;

        /// <summary>The starts evaluated for this call before it joined the queue, taken as they are written.</summary>
        public Dictionary<(string, string), PreparedStart> Prepared => prepared;
        public TaskCompletionSource<IntakeResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>One intake transaction.</summary>
    private sealed class Run(InstanceBatch batch, ILogger logger)
    {
        private readonly WeOpsDb db = batch.Db;
        private readonly DateTime now = batch.Now.UtcDateTime;
        private readonly Dictionary<string, AlertBreakerRow> breakers = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> active = new(StringComparer.Ordinal);
        private readonly Dictionary<(string, string), AlertFingerprintRow?> fingerprints = [];
        private readonly Dictionary<(string, string), AlertLogRow> startedHere = [];
        private readonly Dictionary<Guid, AlertLogRow> startedLogs = [];
        private readonly List<Guid> started = [];
        private int deduplicated;
        private int suppressed;

        public async Task<List<IntakeResult>> ApplyAsync(List<Pending> calls, IReadOnlyList<AlertRuleVersion> rules, CancellationToken cancellationToken)
        {
            var matches = calls.Select(c => c.Alerts.Select(a => rules.Where(r => r.Rule.Matches(a.Labels)).ToList()).ToList()).ToList();
            // In key order, so two nodes taking the same processes cannot wait for each other.
            foreach (var key in matches.SelectMany(m => m).SelectMany(m => m).Select(r => r.Key).Distinct().Order(StringComparer.Ordinal))
            {
                breakers[key] = await AlertBreakers.LockAsync(db, batch.Provider, key, cancellationToken);
                active[key] = await db.AlertFingerprints.CountAsync(f => f.ProcessKey == key && f.Active, cancellationToken);
                await PrefetchAsync(key, calls, matches, cancellationToken);
            }

            var results = new List<IntakeResult>();
            for (var c = 0; c < calls.Count; c++)
            {
                started.Clear();
                deduplicated = 0;
                suppressed = 0;
                var alerts = calls[c].Alerts;
                for (var i = 0; i < alerts.Count; i++)
                {
                    var alert = alerts[i];
                    if (matches[c][i].Count == 0)
                    {
                        Log(alert, null, null, AlertOutcomes.Unmatched, "no published process has an alert rule that matches its labels");
                        continue;
                    }

                    foreach (var rule in matches[c][i])
                    {
                        if (alert.Status == AlertStatus.Resolved)
                            await ResolveAsync(alert, rule, cancellationToken);
                        else
                            await FireAsync(alert, rule, calls[c].Prepared, cancellationToken);
                    }
                }

                results.Add(new IntakeResult(alerts.Count, [.. started], deduplicated, suppressed));
            }

            return results;
        }

        private async Task FireAsync(Alert alert, AlertRuleVersion rule, Dictionary<(string, string), PreparedStart> prepared, CancellationToken cancellationToken)
        {
            var key = (rule.Key, alert.Fingerprint);
            var fingerprint = await FingerprintAsync(key, cancellationToken);
            if (fingerprint is { Active: true })
            {
                deduplicated++;
                if (startedHere.TryGetValue(key, out var log) || fingerprint.InstanceId is { } running && startedLogs.TryGetValue(running, out log))
                {
                    log.Count++;
                    log.LastSeenAt = now;
                }
                else
                {
                    await db.AlertLog.Where(l => l.InstanceId == fingerprint.InstanceId && l.Outcome == AlertOutcomes.Started)
                        .ExecuteUpdateAsync(u => u.SetProperty(l => l.Count, l => l.Count + 1).SetProperty(l => l.LastSeenAt, now), cancellationToken);
                }

                return;
            }

            if (Suppression(rule, fingerprint) is { } reason)
            {
                suppressed++;
                Log(alert, rule.Key, null, AlertOutcomes.Suppressed, reason);
                return;
            }

            var result = await batch.Start(rule.Graph, rule.Version, rule.StartEventId, new JsonObject { ["alert"] = alert.ToVariable() },
                prepared.Remove(key, out var evaluated) ? evaluated : null, cancellationToken);
            var instanceId = Guid.Parse(result.State.InstanceId);
            started.Add(instanceId);
            var ended = result.State.IsEnded;
            if (fingerprint is null)
            {
                fingerprint = new AlertFingerprintRow { ProcessKey = rule.Key, Fingerprint = alert.Fingerprint };
                db.AlertFingerprints.Add(fingerprint);
                fingerprints[key] = fingerprint;
            }

            fingerprint.Active = !ended;
            fingerprint.InstanceId = instanceId;
            fingerprint.EndedAt = ended ? now : null;
            if (!ended) active[rule.Key]++;
            if (result.State.Status is Execution.InstanceStatus.Faulted or Execution.InstanceStatus.Failed)
                await AlertBreakers.RecordFailureAsync(db, batch.Provider, rule.Key, rule.Rule, now, logger, cancellationToken);
            startedHere[key] = Log(alert, rule.Key, instanceId, AlertOutcomes.Started, null);
        }

        private string? Suppression(AlertRuleVersion rule, AlertFingerprintRow? fingerprint)
        {
            var breaker = breakers[rule.Key];
            if (breaker.OpenedAt is { } opened)
                return $"the circuit breaker is open since {DefinitionStore.Utc(opened):O} ({breaker.OpenedReason}); an operator resets it";
            if (rule.Rule.Cooldown is { } cooldown && fingerprint?.EndedAt is { } ended && ended + cooldown > now)
                return $"cooldown: the last instance for this fingerprint ended at {DefinitionStore.Utc(ended):O}; alerts start it again from {DefinitionStore.Utc(ended + cooldown):O}";
            if (rule.Rule.MaxConcurrent is { } max && active[rule.Key] >= max)
                return $"maxConcurrent: {max} instance(s) of this process started by alerts are active";
            return null;
        }

        private async Task ResolveAsync(Alert alert, AlertRuleVersion rule, CancellationToken cancellationToken)
        {
            var fingerprint = await FingerprintAsync((rule.Key, alert.Fingerprint), cancellationToken);
            if (fingerprint is { Active: true, InstanceId: { } instanceId })
            {
                // A delivery job in this transaction: a worker publishes it, so it is neither lost nor sent twice.
                batch.Deliver(instanceId, new MessageDelivery(ResolvedMessage, alert.Fingerprint, new JsonObject { ["alert"] = alert.ToVariable() }));
                Log(alert, rule.Key, instanceId, AlertOutcomes.Resolved, null);
            }
            else
            {
                Log(alert, rule.Key, null, AlertOutcomes.Unmatched, "resolved, but no instance of this process is active for its fingerprint");
            }
        }

        /// <summary>Reads in two queries the fingerprint rows of every alert of the batch that matches the rule of
        /// <paramref name="key"/>, and the log rows of the instances they started, instead of a query per alert. The
        /// log rows' counts are then changed in memory: safe, as the process's breaker row is locked, and no other
        /// intake changes them meanwhile.</summary>
        private async Task PrefetchAsync(string key, List<Pending> calls, List<List<List<AlertRuleVersion>>> matches, CancellationToken cancellationToken)
        {
            var wanted = calls.SelectMany((c, ci) => c.Alerts.Where((a, ai) => matches[ci][ai].Any(r => r.Key == key)).Select(a => a.Fingerprint))
                .Distinct(StringComparer.Ordinal).ToList();
            if (wanted.Count == 0) return;
            var rows = (await db.AlertFingerprints.Where(f => f.ProcessKey == key && wanted.Contains(f.Fingerprint)).ToListAsync(cancellationToken))
                .ToDictionary(r => r.Fingerprint, StringComparer.Ordinal);
            foreach (var fingerprint in wanted) fingerprints[(key, fingerprint)] = rows.GetValueOrDefault(fingerprint);
            var instances = rows.Values.Where(r => r.Active && r.InstanceId is not null).Select(r => r.InstanceId!.Value).ToList();
            if (instances.Count == 0) return;
            foreach (var log in await db.AlertLog.Where(l => l.InstanceId != null && instances.Contains(l.InstanceId.Value) && l.Outcome == AlertOutcomes.Started).ToListAsync(cancellationToken))
                startedLogs.TryAdd(log.InstanceId!.Value, log);
        }

        private async Task<AlertFingerprintRow?> FingerprintAsync((string ProcessKey, string Fingerprint) key, CancellationToken cancellationToken)
        {
            if (fingerprints.TryGetValue(key, out var known)) return known;
            var row = await db.AlertFingerprints.FindAsync([key.ProcessKey, key.Fingerprint], cancellationToken);
            fingerprints[key] = row;
            return row;
        }

        private AlertLogRow Log(Alert alert, string? processKey, Guid? instanceId, string outcome, string? reason)
        {
            var row = new AlertLogRow
            {
                ReceivedAt = now,
                Source = alert.Source,
                Fingerprint = alert.Fingerprint,
                Status = alert.StatusName,
                Labels = Alert.Map(alert.Labels).ToJsonString(),
                Annotations = Alert.Map(alert.Annotations).ToJsonString(),
                StartsAt = alert.StartsAt.UtcDateTime,
                EndsAt = alert.EndsAt?.UtcDateTime,
                GeneratorUrl = alert.GeneratorUrl,
                ProcessKey = processKey,
                InstanceId = instanceId,
                Outcome = outcome,
                Reason = reason,
                Count = 1,
                LastSeenAt = now,
            };
            db.AlertLog.Add(row);
            return row;
        }
    }
}
