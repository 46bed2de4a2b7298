namespace WeOps.Server.Health;

/// <summary>Runs every <see cref="IReadinessCheck"/> at once, each bounded in time.</summary>
public sealed class Readiness(IEnumerable<IReadinessCheck> checks, ILogger<Readiness> log)
{
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public sealed record CheckOutcome(string Name, bool Ready, string? Message);

    public async Task<IReadOnlyList<CheckOutcome>> RunAsync(CancellationToken cancellationToken) =>
        await Task.WhenAll(checks.Select(check => RunAsync(check, cancellationToken)));

    private async Task<CheckOutcome> RunAsync(IReadinessCheck check, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CheckTimeout);
        try
        {
            var result = await check.CheckAsync(timeout.Token).WaitAsync(timeout.Token);
            return new CheckOutcome(check.Name, result.Ready, result.Message);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new CheckOutcome(check.Name, false, $"No answer within {CheckTimeout.TotalSeconds:0} s.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Readiness check {Check} failed", check.Name);
            return new CheckOutcome(check.Name, false, $"The check failed ({e.GetType().Name}); the server log has the details.");
        }
    }
}
