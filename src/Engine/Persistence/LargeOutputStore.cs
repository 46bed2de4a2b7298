using Microsoft.EntityFrameworkCore;
using WeOps.Engine.Executors;

namespace WeOps.Engine.Persistence;

/// <summary>Large executor outputs in the engine's database. Saved in a transaction of their own while
/// the job runs, before the step that consumes the job commits.</summary>
public sealed class LargeOutputStore(DatabaseOptions options, TimeProvider time) : ILargeOutputStore
{
    public async Task<string> SaveAsync(string instanceId, string elementId, string name, string content, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(instanceId, out var instance))
            throw new ArgumentException($"'{instanceId}' is not an instance id.", nameof(instanceId));
        var row = new LargeOutputRow
        {
            Id = LargeOutput.NewReference(),
            InstanceId = instance,
            ElementId = elementId,
            Name = name,
            Content = content,
            Length = content.Length,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        using var gate = await options.EnterWriteAsync(cancellationToken);
        await using var db = options.Open();
        db.LargeOutputs.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return row.Id;
    }

    /// <summary>The stored output of <paramref name="instanceId"/> named by <paramref name="reference"/>, or null.</summary>
    public async Task<LargeOutputRow?> FindAsync(Guid instanceId, string reference, CancellationToken cancellationToken)
    {
        await using var db = options.Open();
        return await db.LargeOutputs.AsNoTracking()
            .FirstOrDefaultAsync(o => o.Id == reference && o.InstanceId == instanceId, cancellationToken);
    }
}
