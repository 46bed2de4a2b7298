namespace WeOps.Server.Hooks;

/// <summary>Signed hook deliveries: the time window from configuration, checked at startup, and the replay cache.</summary>
public static class HookSetup
{
    public static WebApplicationBuilder AddWeOpsHooks(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HookOptions>()
            .BindConfiguration(HookOptions.Section)
            .Validate(o => o.TimestampWindow >= HookOptions.MinTimestampWindow && o.TimestampWindow <= HookOptions.MaxTimestampWindow,
                $"Hooks:TimestampWindow must be between {HookOptions.MinTimestampWindow:c} and {HookOptions.MaxTimestampWindow:c}, e.g. 00:05:00.")
            .ValidateOnStart();
        builder.Services.AddSingleton<HookDeliveries>();
        builder.Services.AddSingleton<SignedDelivery>();
        return builder;
    }
}
