using Microsoft.Extensions.Options;
using WeOps.Server.Auth;

namespace WeOps.Server.Audit;

/// <summary>The audit log and the sign-in limits that write to it.</summary>
public static class AuditSetup
{
    public static WebApplicationBuilder AddWeOpsAudit(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddOptions<SignInOptions>()
            .BindConfiguration(SignInOptions.Section)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SignInOptions>, SignInOptions.Validator>();
        builder.Services.AddSingleton<SignInThrottle>();
        return builder;
    }
}
