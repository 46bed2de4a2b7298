using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WeOps.Engine.Model;
using WeOps.Engine.Triggers;

namespace WeOps.Engine.Persistence;

/// <summary>Writes the schedules of a published version in the publishing transaction: the previous
/// version's schedules and their pending occurrences go, the new version's timer start events get theirs.</summary>
internal static class ScheduleWriter
{
    public static async Task ReplaceAsync(WeOpsDb db, string key, int version, ProcessGraph graph, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Schedules first, then their jobs: the order a firing occurrence locks them in (ScheduleRunner),
        // so the two wait for each other instead of deadlocking.
        var old = await db.Schedules.Where(s => s.DefinitionKey == key).Select(s => s.Id).ToListAsync(cancellationToken);
        if (old.Count > 0)
        {
            await db.Schedules.Where(s => s.DefinitionKey == key).ExecuteDeleteAsync(cancellationToken);
            await db.Jobs.Where(j => j.Kind == JobKinds.Schedule && old.Contains(j.InstanceId)).ExecuteDeleteAsync(cancellationToken);
        }

        foreach (var start in graph.StartEventsIn(null))
        {
            if (start.Definition is not TimerEventDefinition timer) continue;
            var series = ScheduleSeries.Of(timer, now);
            if (series.First(now) is not { } first) continue;
            var schedule = new ScheduleRow
            {
                Id = Guid.NewGuid(),
                DefinitionKey = key,
                Version = version,
                StartEventId = start.Id,
                Kind = timer.Kind.ToString().ToLowerInvariant(),
                Expression = timer.Value,
                TimeZone = timer.TimeZone,
                Misfire = timer.Misfire == MisfirePolicy.Skip ? "skip" : "fireOnce",
                AnchorAt = series.Anchor.ToUnixTimeMilliseconds(),
                DueAt = first.ToUnixTimeMilliseconds(),
                CreatedAt = now.UtcDateTime,
            };
            db.Schedules.Add(schedule);
            db.Jobs.Add(Occurrence(schedule));
        }
    }

    public static JobRow Occurrence(ScheduleRow schedule) => new()
    {
        InstanceId = schedule.Id,
        Kind = JobKinds.Schedule,
        ElementId = schedule.StartEventId,
        DueAt = schedule.DueAt,
    };
}

/// <summary>Fires a schedule's occurrence: in ONE transaction the occurrence's job is consumed, the
/// instance is started and the next occurrence is written. A second node that claimed the same job (its
/// lock taken over) finds it gone and starts nothing, so each occurrence starts one instance.</summary>
public sealed class ScheduleRunner(InstanceStore store, DatabaseOptions database, TimeProvider time, TimeSpan misfireThreshold)
{
    /// <summary>The variable a scheduled instance gets: the occurrence it was started for (ISO 8601, UTC).</summary>
    public const string OccurrenceVariable = "scheduledAt";

    /// <summary>The start is evaluated first, from the rows read without a lock, so that a slow script on the process's
    /// first steps does not hold the write lock; the transaction then takes the occurrence and writes that start, or
    /// evaluates it again if the schedule changed meanwhile.</summary>
    public async Task<Execution.InstanceState?> FireAsync(JobRow job, CancellationToken cancellationToken)
    {
        var prepared = await store.PrepareStartAsync((db, ct) => PeekAsync(db, job, ct), cancellationToken);
        return await store.StartConsumingAsync((db, ct) => ConsumeAsync(db, job, ct), prepared, cancellationToken);
    }

    /// <summary>The start <see cref="ConsumeAsync"/> would make, read without a lock and without changing anything.</summary>
    private async Task<PendingStart?> PeekAsync(WeOpsDb db, JobRow job, CancellationToken cancellationToken)
    {
        var schedule = await db.Schedules.AsNoTracking().FirstOrDefaultAsync(s => s.Id == job.InstanceId, cancellationToken);
        if (schedule is null) return null;
        var latest = await db.Definitions.Where(d => d.Key == schedule.DefinitionKey).Select(d => (int?)d.LatestVersion).FirstOrDefaultAsync(cancellationToken);
        return latest == schedule.Version ? StartFor(schedule, job, time.GetUtcNow()) : null;
    }

    private async Task<PendingStart?> ConsumeAsync(WeOpsDb db, JobRow job, CancellationToken cancellationToken)
    {
        var schedule = database.Provider == DatabaseProvider.Postgres
            ? await db.Schedules.FromSqlInterpolated($"SELECT * FROM schedules WHERE id = {job.InstanceId} FOR UPDATE").FirstOrDefaultAsync(cancellationToken)
            : await db.Schedules.FirstOrDefaultAsync(s => s.Id == job.InstanceId, cancellationToken);
        var taken = await db.Jobs.Where(j => j.Id == job.Id).ExecuteDeleteAsync(cancellationToken);
        if (taken == 0 || schedule is null) return null;

        // A process whose latest version is not the scheduled one (or that is gone) no longer starts here.
        var latest = await db.Definitions.Where(d => d.Key == schedule.DefinitionKey).Select(d => (int?)d.LatestVersion).FirstOrDefaultAsync(cancellationToken);
        if (latest != schedule.Version)
        {
            db.Schedules.Remove(schedule);
            return null;
        }

        var now = time.GetUtcNow();
        var due = DateTimeOffset.FromUnixTimeMilliseconds(job.DueAt);
        var missed = now - due > misfireThreshold;
        var series = ScheduleSeries.Stored(Enum.Parse<TimerKind>(schedule.Kind, ignoreCase: true), schedule.Expression, schedule.TimeZone,
            DateTimeOffset.FromUnixTimeMilliseconds(schedule.AnchorAt));

        // On time: the next occurrence follows this one, so a little lateness leaves no gap. Missed (the
        // nodes were down): continue from now, after at most one catch-up start.
        var next = series.Next(missed ? now : due);
        if (next is { } at)
        {
            schedule.DueAt = at.ToUnixTimeMilliseconds();
            db.Jobs.Add(ScheduleWriter.Occurrence(schedule));
        }
        else
        {
            db.Schedules.Remove(schedule);
        }

        return StartFor(schedule, job, now);
    }

    /// <summary>The instance an occurrence starts: none when it was missed and the schedule skips missed ones.</summary>
    private PendingStart? StartFor(ScheduleRow schedule, JobRow job, DateTimeOffset now)
    {
        var due = DateTimeOffset.FromUnixTimeMilliseconds(job.DueAt);
        if (now - due > misfireThreshold && schedule.Misfire == "skip") return null;
        return new PendingStart(schedule.DefinitionKey, schedule.Version, schedule.StartEventId,
            new JsonObject { [OccurrenceVariable] = due.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture) });
    }
}

/// <summary>An instance to start at a given start event, decided inside a transaction.</summary>
public sealed record PendingStart(string Key, int Version, string StartEventId, JsonObject? Variables);
