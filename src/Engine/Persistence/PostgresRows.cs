using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace WeOps.Engine.Persistence;

/// <summary>Reads and writes the rows every step touches (instances, history, jobs) on PostgreSQL, on a unit of work's
/// connection and in its transaction: one statement of arrays per table whatever the number of rows, and the
/// statements of a moment in one round trip. Through the unit of work each row was a statement with its own
/// parameters and each statement a round trip, which cost more than anything else a step does.</summary>
internal static class PostgresRows
{
    /// <summary>The first round trip of a batch of steps: locks the instances the steps are for (in id order, so two
    /// batches never wait on each other in a cycle) and reads them, and reads the latest published version of each
    /// process in <paramref name="latestOf"/>. Through the unit of work these were round trips and a query compiled for
    /// each, and the rows were tracked for a write the step writer now does itself (<see cref="WriteAsync"/>). The job
    /// rows that brought the steps are deleted by the write, once the steps are known to apply.</summary>
    public static async Task<(List<InstanceRow> Rows, Dictionary<string, int?> Latest)> LockAsync(
        WeOpsDb db, Guid[] ids, string[] latestOf, CancellationToken cancellationToken)
    {
        var rows = new List<InstanceRow>(ids.Length);
        var latest = new Dictionary<string, int?>(StringComparer.Ordinal);
        await using var batch = Batch(db);
        if (ids.Length > 0)
        {
            Add(batch, """
                SELECT id, definition_key, version, business_key, status, state, parent_id, started_at, ended_at, updated_at, revision
                FROM instances WHERE id = ANY($1) ORDER BY id FOR UPDATE
                """, ArrayOf(NpgsqlDbType.Uuid, ids));
        }

        if (latestOf.Length > 0) Add(batch, "SELECT key, latest_version FROM definitions WHERE key = ANY($1)", ArrayOf(NpgsqlDbType.Text, latestOf));
        if (batch.BatchCommands.Count == 0) return (rows, latest);

        await batch.PrepareAsync(cancellationToken);
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            if (ids.Length > 0)
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    rows.Add(new InstanceRow
                    {
                        Id = reader.GetGuid(0),
                        DefinitionKey = reader.GetString(1),
                        Version = reader.GetInt32(2),
                        BusinessKey = reader.IsDBNull(3) ? null : reader.GetString(3),
                        Status = reader.GetString(4),
                        State = reader.GetString(5),
                        ParentId = reader.IsDBNull(6) ? null : reader.GetGuid(6),
                        StartedAt = reader.GetDateTime(7),
                        EndedAt = reader.IsDBNull(8) ? null : reader.GetDateTime(8),
                        UpdatedAt = reader.GetDateTime(9),
                        Revision = reader.GetInt32(10),
                    });
                }

                await reader.NextResultAsync(cancellationToken);
            }

            if (latestOf.Length > 0)
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var version = reader.GetInt32(1);
                    latest[reader.GetString(0)] = version > 0 ? version : null;
                }
            }
        }

        // A process with no row has no published version, as DefinitionStore.LatestVersionAsync says.
        foreach (var key in latestOf) latest.TryAdd(key, null);
        return (rows, latest);
    }

    /// <summary>Writes what a transaction's steps wrote so far, in one round trip: the deletion of the job rows that
    /// brought them (<paramref name="consumed"/>), the instances they started and the ones they changed (each only if it is still at the revision it was read at, else
    /// <see cref="DbUpdateConcurrencyException"/>), their history rows in order (their ids follow it), and their job
    /// rows, each of which gets its id (a local job is handed to a worker by id after the commit).</summary>
    public static async Task WriteAsync(WeOpsDb db, IReadOnlyList<long> consumed, IReadOnlyList<InstanceRow> inserted, IReadOnlyList<(InstanceRow Row, int Stored)> updated,
        IReadOnlyList<HistoryRow> history, IReadOnlyList<JobRow> jobs, CancellationToken cancellationToken)
    {
        await using var batch = Batch(db);
        if (consumed.Count > 0) Add(batch, "DELETE FROM jobs WHERE id = ANY($1)", ArrayOf(NpgsqlDbType.Bigint, consumed.ToArray()));
        if (inserted.Count > 0) AddInsertInstances(batch, inserted);
        var update = updated.Count > 0 ? AddUpdateInstances(batch, updated) : null;
        if (history.Count > 0) AddInsertHistory(batch, history);
        if (jobs.Count > 0) AddInsertJobs(batch, jobs);
        if (batch.BatchCommands.Count == 0) return;

        await batch.PrepareAsync(cancellationToken);
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            // Only the job insert returns rows.
            if (jobs.Count > 0)
            {
                for (var i = 0; await reader.ReadAsync(cancellationToken); i++) jobs[i].Id = reader.GetInt64(0);
            }
        }

        if (update is not null && update.RecordsAffected != updated.Count)
        {
            throw new DbUpdateConcurrencyException(
                $"{updated.Count - update.RecordsAffected} of {updated.Count} instances changed since this transaction read them");
        }
    }

    private static void AddInsertInstances(NpgsqlBatch batch, IReadOnlyList<InstanceRow> rows)
    {
        var count = rows.Count;
        var ids = new Guid[count];
        var keys = new string[count];
        var versions = new int[count];
        var businessKeys = new string?[count];
        var statuses = new string[count];
        var states = new string[count];
        var parents = new Guid?[count];
        var started = new DateTime[count];
        var ended = new DateTime?[count];
        var updated = new DateTime[count];
        var revisions = new int[count];
        for (var i = 0; i < count; i++)
        {
            var row = rows[i];
            ids[i] = row.Id;
            keys[i] = StoredText(row.DefinitionKey)!;
            versions[i] = row.Version;
            businessKeys[i] = StoredText(row.BusinessKey);
            statuses[i] = StoredText(row.Status)!;
            states[i] = StoredText(row.State)!;
            parents[i] = row.ParentId;
            started[i] = Utc(row.StartedAt);
            ended[i] = row.EndedAt is { } end ? Utc(end) : null;
            updated[i] = Utc(row.UpdatedAt);
            revisions[i] = row.Revision;
        }

        Add(batch, """
            INSERT INTO instances (id, definition_key, version, business_key, status, state, parent_id, started_at, ended_at, updated_at, revision)
            SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            """,
            ArrayOf(NpgsqlDbType.Uuid, ids), ArrayOf(NpgsqlDbType.Text, keys), ArrayOf(NpgsqlDbType.Integer, versions), ArrayOf(NpgsqlDbType.Text, businessKeys),
            ArrayOf(NpgsqlDbType.Text, statuses), ArrayOf(NpgsqlDbType.Text, states), ArrayOf(NpgsqlDbType.Uuid, parents), ArrayOf(NpgsqlDbType.TimestampTz, started),
            ArrayOf(NpgsqlDbType.TimestampTz, ended), ArrayOf(NpgsqlDbType.TimestampTz, updated), ArrayOf(NpgsqlDbType.Integer, revisions));
    }

    /// <summary>The columns a step changes; the revision it was read at guards each row.</summary>
    private static NpgsqlBatchCommand AddUpdateInstances(NpgsqlBatch batch, IReadOnlyList<(InstanceRow Row, int Stored)> rows)
    {
        var count = rows.Count;
        var ids = new Guid[count];
        var statuses = new string[count];
        var states = new string[count];
        var ended = new DateTime?[count];
        var updated = new DateTime[count];
        var revisions = new int[count];
        var stored = new int[count];
        for (var i = 0; i < count; i++)
        {
            var (row, revision) = rows[i];
            ids[i] = row.Id;
            statuses[i] = StoredText(row.Status)!;
            states[i] = StoredText(row.State)!;
            ended[i] = row.EndedAt is { } end ? Utc(end) : null;
            updated[i] = Utc(row.UpdatedAt);
            revisions[i] = row.Revision;
            stored[i] = revision;
        }

        return Add(batch, """
            UPDATE instances AS i SET status = u.status, state = u.state, ended_at = u.ended_at, updated_at = u.updated_at, revision = u.revision
            FROM unnest($1, $2, $3, $4, $5, $6, $7) AS u(id, status, state, ended_at, updated_at, revision, stored)
            WHERE i.id = u.id AND i.revision = u.stored
            """,
            ArrayOf(NpgsqlDbType.Uuid, ids), ArrayOf(NpgsqlDbType.Text, statuses), ArrayOf(NpgsqlDbType.Text, states), ArrayOf(NpgsqlDbType.TimestampTz, ended),
            ArrayOf(NpgsqlDbType.TimestampTz, updated), ArrayOf(NpgsqlDbType.Integer, revisions), ArrayOf(NpgsqlDbType.Integer, stored));
    }

    private static void AddInsertHistory(NpgsqlBatch batch, IReadOnlyList<HistoryRow> history)
    {
        var count = history.Count;
        var instances = new Guid[count];
        var times = new DateTime[count];
        var kinds = new string[count];
        var elements = new string?[count];
        var types = new string?[count];
        var tokens = new int?[count];
        var details = new string?[count];
        var actors = new string?[count];
        for (var i = 0; i < count; i++)
        {
            var row = history[i];
            instances[i] = row.InstanceId;
            times[i] = Utc(row.Time);
            kinds[i] = StoredText(row.Kind)!;
            elements[i] = StoredText(row.ElementId);
            types[i] = StoredText(row.ElementType);
            tokens[i] = row.TokenId;
            details[i] = StoredText(row.Detail);
            actors[i] = StoredText(row.Actor);
        }

        Add(batch, """
            INSERT INTO history (instance_id, time, kind, element_id, element_type, token_id, detail, actor)
            SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8)
            """,
            ArrayOf(NpgsqlDbType.Uuid, instances), ArrayOf(NpgsqlDbType.TimestampTz, times), ArrayOf(NpgsqlDbType.Text, kinds), ArrayOf(NpgsqlDbType.Text, elements),
            ArrayOf(NpgsqlDbType.Text, types), ArrayOf(NpgsqlDbType.Integer, tokens), ArrayOf(NpgsqlDbType.Text, details), ArrayOf(NpgsqlDbType.Text, actors));
    }

    /// <summary>A batch on the unit of work's connection and in its transaction. Its statements take positional
    /// parameters, which Npgsql sends as they are instead of rewriting the SQL, and are prepared before they run, so
    /// PostgreSQL parses each once per connection (it still plans them at each run: see
    /// <see cref="DatabaseOptions.PostgresConnectionString"/>). A connection keeps its prepared statements, so
    /// preparing again is a lookup.</summary>
    private static NpgsqlBatch Batch(WeOpsDb db) =>
        new((NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction());

    private static NpgsqlBatchCommand Add(NpgsqlBatch batch, string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        batch.BatchCommands.Add(command);
        return command;
    }

    private static NpgsqlParameter ArrayOf(NpgsqlDbType element, object values) => new() { NpgsqlDbType = NpgsqlDbType.Array | element, Value = values };

    private static DateTime Utc(DateTime time) => DateTime.SpecifyKind(time, DateTimeKind.Utc);

    /// <summary>The job rows, each given its id: drawn from the table's sequence in the order of the rows and returned
    /// in that order, so nothing relies on the order of RETURNING.</summary>
    private static void AddInsertJobs(NpgsqlBatch batch, IReadOnlyList<JobRow> jobs)
    {
        var count = jobs.Count;
        var instances = new Guid[count];
        var waits = new int[count];
        var kinds = new string[count];
        var elements = new string?[count];
        var executors = new string?[count];
        var dues = new long[count];
        var attempts = new int[count];
        var owners = new string?[count];
        var untils = new long?[count];
        var errors = new string?[count];
        var payloads = new string?[count];
        for (var i = 0; i < count; i++)
        {
            var row = jobs[i];
            instances[i] = row.InstanceId;
            waits[i] = row.WaitId;
            kinds[i] = row.Kind;
            elements[i] = StoredText(row.ElementId);
            executors[i] = StoredText(row.ExecutorType);
            dues[i] = row.DueAt;
            attempts[i] = row.Attempt;
            owners[i] = StoredText(row.LockOwner);
            untils[i] = row.LockedUntil;
            errors[i] = StoredText(row.LastError);
            payloads[i] = StoredText(row.Payload);
        }

        Add(batch, """
            WITH input AS MATERIALIZED (
                SELECT nextval((SELECT pg_get_serial_sequence('jobs', 'id'))) AS id, u.*
                FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                     WITH ORDINALITY AS u(instance_id, wait_id, kind, element_id, executor_type, due_at, attempt, lock_owner, locked_until, last_error, payload, ord)
            ), inserted AS (
                INSERT INTO jobs (id, instance_id, wait_id, kind, element_id, executor_type, due_at, attempt, lock_owner, locked_until, last_error, payload)
                SELECT id, instance_id, wait_id, kind, element_id, executor_type, due_at, attempt, lock_owner, locked_until, last_error, payload FROM input
            )
            SELECT id FROM input ORDER BY ord
            """,
            ArrayOf(NpgsqlDbType.Uuid, instances), ArrayOf(NpgsqlDbType.Integer, waits), ArrayOf(NpgsqlDbType.Text, kinds), ArrayOf(NpgsqlDbType.Text, elements),
            ArrayOf(NpgsqlDbType.Text, executors), ArrayOf(NpgsqlDbType.Bigint, dues), ArrayOf(NpgsqlDbType.Integer, attempts), ArrayOf(NpgsqlDbType.Text, owners),
            ArrayOf(NpgsqlDbType.Bigint, untils), ArrayOf(NpgsqlDbType.Text, errors), ArrayOf(NpgsqlDbType.Text, payloads));
    }

    private static string? StoredText(string? text) => text is null ? null : NulAsReplacementCharacter.Stored(text);
}
