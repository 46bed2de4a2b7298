namespace WeOps.Server.Health;

/// <summary>Something the server needs before it can take work (the database, say); <c>/health/ready</c>
/// is 503 while any registered check fails. Register with <c>services.AddSingleton&lt;IReadinessCheck, ...&gt;()</c>.</summary>
public interface IReadinessCheck
{
    /// <summary>Short and stable, e.g. "database": it appears in the readiness answer.</summary>
    string Name { get; }

    /// <summary>Should answer within a few seconds; the caller gives up after <see cref="Readiness.CheckTimeout"/>.
    /// A thrown exception counts as not ready (its details go to the log, not to the answer).</summary>
    Task<ReadinessResult> CheckAsync(CancellationToken cancellationToken);
}

public sealed record ReadinessResult(bool Ready, string? Message = null)
{
    public static readonly ReadinessResult Ok = new(true);

    public static ReadinessResult NotReady(string message) => new(false, message);
}
