using WeOps.Engine.Parsing;
using WeOps.Engine.Persistence;

namespace WeOps.Server.Engine;

/// <summary>Prepares the database before the server takes requests, then runs this node's workers and
/// heartbeat until shutdown.</summary>
public sealed class EngineService(DurableEngine engine, EngineOptions options, ILogger<EngineService> logger) : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private Task? workers;
    private Task? heartbeat;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Database: {Provider}", engine.Database.Provider);
        await engine.InitializeAsync(cancellationToken);
        await LoadWorkflowsAsync(cancellationToken);
        if (options.WorkersEnabled)
            workers = Task.Run(() => engine.Worker.RunAsync(stopping.Token), CancellationToken.None);
        heartbeat = Task.Run(() => HeartbeatAsync(stopping.Token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        await Task.WhenAll(new[] { workers, heartbeat }.OfType<Task>()).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        try
        {
            await engine.Nodes.UnregisterAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not unregister node {Node}", engine.Nodes.NodeId);
        }
    }

    public ValueTask DisposeAsync()
    {
        stopping.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>At first start (no definition yet) every BPMN file under the workflows folder is saved
    /// and published; a file with errors is kept as a draft and named in the log.</summary>
    private async Task LoadWorkflowsAsync(CancellationToken cancellationToken)
    {
        if ((await engine.Definitions.ListAsync(cancellationToken)).Count > 0) return;
        if (!Directory.Exists(options.WorkflowsPath))
        {
            logger.LogInformation("No workflows folder at {Path}; starting with no processes", options.WorkflowsPath);
            return;
        }

        foreach (var file in Directory.EnumerateFiles(options.WorkflowsPath, "*.bpmn", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (!XmlFileText.TryDecode(await File.ReadAllBytesAsync(file, cancellationToken), out var xml, out var encodingProblem))
            {
                logger.LogWarning("Skipped {File}: {Problem}", file, encodingProblem);
                continue;
            }

            var saved = await engine.Definitions.SaveDraftAsync(xml, "weops", cancellationToken);
            if (saved.Key is null)
            {
                logger.LogWarning("Skipped {File}: {Problems}", file, string.Join("; ", saved.Problems));
                continue;
            }

            try
            {
                var published = await engine.Definitions.PublishAsync(saved.Key, "loaded at first start", "weops", cancellationToken);
                logger.LogInformation("Published {Key} version {Version} from {File}", saved.Key, published!.Version, Path.GetFileName(file));
            }
            catch (DefinitionInvalidException e)
            {
                logger.LogWarning("Kept {Key} from {File} as a draft: {Problems}", saved.Key, file, string.Join("; ", e.Problems.Where(p => p.Severity == WeOps.Engine.Validation.Severity.Error)));
            }
        }
    }

    private async Task HeartbeatAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(engine.Nodes.HeartbeatInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    await engine.Nodes.HeartbeatAsync(stop);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Heartbeat of node {Node} failed", engine.Nodes.NodeId);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
