using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace WeOps.Engine.Persistence;

/// <summary>Writes the rows every step adds (history, jobs) to PostgreSQL as one INSERT of arrays per table, whatever
/// the number of rows, on a unit of work's connection and in its transaction. Through the unit of work each row was a
/// statement with its own parameters, which cost more than anything else a step writes.</summary>
internal static class PostgresRows
{
    /// <summary>Inserts history rows in their order (their ids follow it).</summary>
    public static async Task InsertHistoryAsync(WeOpsDb db, IReadOnlyList<HistoryRow> history, CancellationToken cancellationToken)
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
            times[i] = DateTime.SpecifyKind(row.Time, DateTimeKind.Utc);
            kinds[i] = StoredText(row.Kind)!;
            elements[i] = StoredText(row.ElementId);
            types[i] = StoredText(row.ElementType);
            tokens[i] = row.TokenId;
            details[i] = StoredText(row.Detail);
            actors[i] = StoredText(row.Actor);
        }

        await using var command = Command(db,
            """
            INSERT INTO history (instance_id, time, kind, element_id, element_type, token_id, detail, actor)
            SELECT * FROM unnest(@instances, @times, @kinds, @elements, @types, @tokens, @details, @actors)
            """);
        command.Parameters.Add(new NpgsqlParameter("instances", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = instances });
        command.Parameters.Add(new NpgsqlParameter("times", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = times });
        command.Parameters.Add(new NpgsqlParameter("kinds", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = kinds });
        command.Parameters.Add(new NpgsqlParameter("elements", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = elements });
        command.Parameters.Add(new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = types });
        command.Parameters.Add(new NpgsqlParameter("tokens", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = tokens });
        command.Parameters.Add(new NpgsqlParameter("details", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = details });
        command.Parameters.Add(new NpgsqlParameter("actors", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = actors });
        await command.PrepareAsync(cancellationToken);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A command on the unit of work's connection and transaction. Prepared before it runs: PostgreSQL plans
    /// a statement over arrays at each run otherwise, which cost more than the rows it writes. A connection keeps
    /// its prepared statements, so preparing again is a lookup.</summary>
    private static NpgsqlCommand Command(WeOpsDb db, string sql) =>
        new(sql, (NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction());

    /// <summary>Inserts the job rows and gives each its id (a local job is handed to a worker by id after the commit).
    /// The ids are drawn from the table's sequence in the order of the rows, so no reliance on the order of RETURNING.</summary>
    public static async Task InsertJobsAsync(WeOpsDb db, IReadOnlyList<JobRow> jobs, CancellationToken cancellationToken)
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

        await using var command = Command(db,
            """
            WITH input AS MATERIALIZED (
                SELECT nextval((SELECT pg_get_serial_sequence('jobs', 'id'))) AS id, u.*
                FROM unnest(@instances, @waits, @kinds, @elements, @executors, @dues, @attempts, @owners, @untils, @errors, @payloads)
                     WITH ORDINALITY AS u(instance_id, wait_id, kind, element_id, executor_type, due_at, attempt, lock_owner, locked_until, last_error, payload, ord)
            ), inserted AS (
                INSERT INTO jobs (id, instance_id, wait_id, kind, element_id, executor_type, due_at, attempt, lock_owner, locked_until, last_error, payload)
                SELECT id, instance_id, wait_id, kind, element_id, executor_type, due_at, attempt, lock_owner, locked_until, last_error, payload FROM input
            )
            SELECT id FROM input ORDER BY ord
            """);
        command.Parameters.Add(new NpgsqlParameter("instances", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = instances });
        command.Parameters.Add(new NpgsqlParameter("waits", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = waits });
        command.Parameters.Add(new NpgsqlParameter("kinds", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = kinds });
        command.Parameters.Add(new NpgsqlParameter("elements", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = elements });
        command.Parameters.Add(new NpgsqlParameter("executors", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = executors });
        command.Parameters.Add(new NpgsqlParameter("dues", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = dues });
        command.Parameters.Add(new NpgsqlParameter("attempts", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = attempts });
        command.Parameters.Add(new NpgsqlParameter("owners", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = owners });
        command.Parameters.Add(new NpgsqlParameter("untils", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = untils });
        command.Parameters.Add(new NpgsqlParameter("errors", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = errors });
        command.Parameters.Add(new NpgsqlParameter("payloads", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = payloads });
        await command.PrepareAsync(cancellationToken);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            for (var i = 0; await reader.ReadAsync(cancellationToken); i++) jobs[i].Id = reader.GetInt64(0);
        }
    }

    private static string? StoredText(string? text) => text is null ? null : NulAsReplacementCharacter.Stored(text);
}
