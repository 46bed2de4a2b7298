using Microsoft.Extensions.Options;

namespace WeOps.Server.Auth;

/// <summary>Once the host has started (and a database store is ready), warns when no key at all
/// could call the API, and says how to set the first one.</summary>
public sealed class ApiKeyStartupCheck(IOptions<AuthOptions> options, IApiKeyStore store, ILogger<ApiKeyStartupCheck> log) : IHostedLifecycleService
{
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        if (options.Value.HasAdminKey || await store.AnyAsync(cancellationToken)) return;
        log.LogWarning(
            "No API key is configured and none is stored, so every API call will be refused with 401. "
            + "Set an admin key of at least {MinLength} characters and restart, e.g. "
            + "Auth__AdminApiKey=\"$(openssl rand -base64 32)\" ./run.sh",
            AuthOptions.MinAdminKeyLength);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
