using Microsoft.EntityFrameworkCore;
using WeOps.Engine.Persistence;

namespace WeOps.Integration.Tests.Persistence;

/// <summary>The instance rows a transaction of steps reads and writes on PostgreSQL without the unit of work: what is
/// written reads back the same, a row changed since it was read is not overwritten, and the first round trip reads
/// the latest versions and deletes the consumed jobs it is given.</summary>
public sealed class PostgresRowsTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private DatabaseOptions Options { get; } = new(DatabaseProvider.Postgres, database.ConnectionString);

    private static InstanceRow NewRow(string businessKey) => new()
    {
        Id = Guid.NewGuid(),
        DefinitionKey = "rows",
        Version = 3,
        BusinessKey = businessKey,
        Status = "running",
        State = """{"a":1}""",
        StartedAt = new DateTime(2026, 12, 1, 8, 0, 0, DateTimeKind.Utc),
        UpdatedAt = new DateTime(2026, 12, 1, 8, 0, 1, DateTimeKind.Utc),
        Revision = 1,
    };

    private async Task InsertAsync(InstanceRow row)
    {
        await using var db = Options.Open();
        await using var tx = await db.Database.BeginTransactionAsync();
        await PostgresRows.WriteAsync(db, [], [row], [], [], [], CancellationToken.None);
        await tx.CommitAsync();
    }

    private async Task<InstanceRow> ReadAsync(Guid id)
    {
        await using var db = Options.Open();
        await using var tx = await db.Database.BeginTransactionAsync();
        return Assert.Single((await PostgresRows.LockAsync(db, [id], [], CancellationToken.None)).Rows);
    }

    [Fact]
    public async Task An_instance_written_as_arrays_reads_back_as_it_was_with_its_nul_characters_replaced()
    {
        await Options.MigrateAsync();
        var row = NewRow("key\0one");
        await InsertAsync(row);

        var read = await ReadAsync(row.Id);
        Assert.Equal(row.DefinitionKey, read.DefinitionKey);
        Assert.Equal(3, read.Version);
        Assert.Equal("key\uFFFDone", read.BusinessKey);
        Assert.Equal("running", read.Status);
        Assert.Equal("""{"a":1}""", read.State);
        Assert.Null(read.ParentId);
        Assert.Equal(row.StartedAt, read.StartedAt);
        Assert.Null(read.EndedAt);
        Assert.Equal(row.UpdatedAt, read.UpdatedAt);
        Assert.Equal(1, read.Revision);
    }

    [Fact]
    public async Task A_write_based_on_an_older_revision_changes_nothing_and_says_so()
    {
        await Options.MigrateAsync();
        var row = NewRow("stale");
        await InsertAsync(row);

        await using (var db = Options.Open())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            var stale = await ReadAsync(row.Id);
            stale.Status = "completed";
            stale.State = """{"stale":true}""";
            stale.Revision = 2;
            var refused = await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() =>
                PostgresRows.WriteAsync(db, [], [], [(stale, 0)], [], [], CancellationToken.None));
            Assert.Contains("1 of 1 instances changed", refused.Message);
        }

        var unchanged = await ReadAsync(row.Id);
        Assert.Equal("running", unchanged.Status);
        Assert.Equal(1, unchanged.Revision);

        await using (var db = Options.Open())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            var current = Assert.Single((await PostgresRows.LockAsync(db, [row.Id], [], CancellationToken.None)).Rows);
            current.Status = "completed";
            current.EndedAt = new DateTime(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);
            current.Revision = 2;
            await PostgresRows.WriteAsync(db, [], [], [(current, 1)], [], [], CancellationToken.None);
            await tx.CommitAsync();
        }

        var written = await ReadAsync(row.Id);
        Assert.Equal("completed", written.Status);
        Assert.Equal(new DateTime(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc), written.EndedAt);
        Assert.Equal(2, written.Revision);
    }

    [Fact]
    public async Task The_first_round_trip_reads_latest_versions_and_the_write_deletes_the_consumed_jobs_only()
    {
        await Options.MigrateAsync();
        await using var db = Options.Open();
        db.Definitions.Add(new DefinitionRow { Key = "published", DraftXml = "<x/>", DraftHash = "h", LatestVersion = 4 });
        db.Definitions.Add(new DefinitionRow { Key = "draft-only", DraftXml = "<x/>", DraftHash = "h", LatestVersion = 0 });
        var consumed = new JobRow { InstanceId = Guid.NewGuid(), Kind = JobKinds.Job, DueAt = 0 };
        var kept = new JobRow { InstanceId = Guid.NewGuid(), Kind = JobKinds.Job, DueAt = 0 };
        db.Jobs.AddRange(consumed, kept);
        await db.SaveChangesAsync();

        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            var (rows, latest) = await PostgresRows.LockAsync(db, [], ["published", "draft-only", "unknown"], CancellationToken.None);
            Assert.Empty(rows);
            Assert.Equal(4, latest["published"]);
            Assert.Null(latest["draft-only"]);
            Assert.Null(latest["unknown"]);
            await PostgresRows.WriteAsync(db, [consumed.Id], [], [], [], [], CancellationToken.None);
            await tx.CommitAsync();
        }

        var left = await db.Jobs.AsNoTracking().Where(j => j.Id == consumed.Id || j.Id == kept.Id).Select(j => j.Id).ToListAsync();
        Assert.Equal([kept.Id], left);
    }
}
