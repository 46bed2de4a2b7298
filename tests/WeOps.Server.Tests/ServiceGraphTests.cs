using Microsoft.Extensions.DependencyInjection;

namespace WeOps.Server.Tests;

/// <summary>The server's services as the container builds them. A cycle through factory registrations is not
/// caught by the container: it recurses until its stack guard moves to another thread, which then waits for the
/// first one forever, so the server hangs at start instead of failing.</summary>
public sealed class ServiceGraphTests
{
    [Fact]
    public async Task Every_service_of_ours_resolves_without_waiting_on_itself()
    {
        IServiceCollection? services = null;
        var resolve = Task.Run(async () =>
        {
            var app = WeOpsServer.Create(RunningServer.Arguments(), builder => services = builder.Services);
            try
            {
                foreach (var descriptor in services!.Where(d => d.Lifetime == ServiceLifetime.Singleton && !d.ServiceType.IsGenericTypeDefinition
                             && d.ServiceType.Namespace?.StartsWith("WeOps", StringComparison.Ordinal) == true))
                    Assert.NotNull(app.Services.GetService(descriptor.ServiceType));
            }
            finally
            {
                await app.DisposeAsync();
            }
        });

        var finished = await Task.WhenAny(resolve, Task.Delay(TimeSpan.FromSeconds(60)));

        Assert.True(finished == resolve, "Building the server's services did not finish in 60 s: two registrations wait on each other (a cycle through factories).");
        await resolve;
    }
}
