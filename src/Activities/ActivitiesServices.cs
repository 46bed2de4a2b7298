using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WeOps.Activities.Cloud;
using WeOps.Activities.Credentials;
using WeOps.Activities.Email;
using WeOps.Activities.Http;
using WeOps.Activities.Notify;
using WeOps.Activities.Inventory;
using WeOps.Activities.Kubernetes;
using WeOps.Activities.Network;
using WeOps.Activities.Ssh;
using WeOps.Activities.Tickets;
using WeOps.Engine.Executors;
using WeOps.Engine.Persistence;

namespace WeOps.Activities;

/// <summary>Registers the executors, the credential store and the host inventory. Adding an executor is
/// one line here.</summary>
public static class ActivitiesServices
{
    public static IServiceCollection AddWeOpsActivities(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddSingleton(sp => LoadMasterKey(configuration, contentRoot, sp.GetRequiredService<DatabaseOptions>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<MasterKey>() ?? NullLogger<MasterKey>.Instance));
        services.AddDataProtection().SetApplicationName("WeOps");
        services.AddOptions<KeyManagementOptions>().Configure<DatabaseOptions, MasterKey>((options, database, master) =>
        {
            options.XmlRepository = new DatabaseKeyRepository(database);
            options.XmlEncryptor = new MasterKeyEncryptor(master);
        });
        services.AddSingleton<CredentialStore>();
        services.AddSingleton<ICredentialStore>(sp => sp.GetRequiredService<CredentialStore>());
        services.AddSingleton<HostStore>();
        services.AddSingleton<IHostInventory>(sp => sp.GetRequiredService<HostStore>());

        services.AddSingleton(new OutboundPolicy(OutboundOptions.From(configuration.GetSection("Outbound"))));
        services.AddSingleton(configuration.GetSection("Ssh").Get<SshOptions>() ?? new SshOptions());
        services.AddSingleton(configuration.GetSection("Cloud").Get<CloudApiOptions>() ?? new CloudApiOptions());
        services.AddSingleton<CloudHttp>();
        services.AddSingleton(configuration.GetSection("Smtp").Get<SmtpOptions>() ?? new SmtpOptions());
        services.AddSingleton<MailSettingsStore>();
        services.AddSingleton<ISmtpSettings>(sp => sp.GetRequiredService<MailSettingsStore>());
        services.AddSingleton<OutboundHttp>();
        services.AddSingleton(configuration.GetSection("Kubernetes").Get<KubernetesOptions>() ?? new KubernetesOptions());
        services.AddSingleton<KubernetesConnector>();
        services.AddSingleton(new TicketPolicy(configuration.GetSection("Tickets").Get<TicketOptions>() ?? new TicketOptions()));
        services.AddSingleton<TicketStore>();

        services.AddSingleton<IExecutor, NoopExecutor>();
        services.AddSingleton<IExecutor, SshExecutor>();
        services.AddSingleton<IExecutor, HttpRequestExecutor>();
        services.AddSingleton<IExecutor, WebhookNotifyExecutor>();
        services.AddSingleton<IExecutor, EmailSendExecutor>();
        services.AddSingleton<IExecutor, KubernetesScaleExecutor>();
        services.AddSingleton<IExecutor, KubernetesRolloutRestartExecutor>();
        services.AddSingleton<IExecutor, KubernetesDeletePodExecutor>();
        services.AddSingleton<IExecutor, KubernetesGetPodsExecutor>();
        services.AddSingleton<IExecutor, KubernetesLogsExecutor>();
        services.AddSingleton<IExecutor, KubernetesApplyExecutor>();
        services.AddSingleton<IExecutor, AwsExecutor>();
        services.AddSingleton<IExecutor, AwsStopInstancesExecutor>();
        services.AddSingleton<IExecutor, AwsStartInstancesExecutor>();
        services.AddSingleton<IExecutor, AwsRebootInstancesExecutor>();
        services.AddSingleton<IExecutor, AliyunExecutor>();
        services.AddSingleton<IExecutor, AliyunStopInstancesExecutor>();
        services.AddSingleton<IExecutor, AliyunStartInstancesExecutor>();
        services.AddSingleton<IExecutor, AliyunRebootInstancesExecutor>();
        services.AddSingleton<IExecutor, TencentExecutor>();
        services.AddSingleton<IExecutor, TencentStopInstancesExecutor>();
        services.AddSingleton<IExecutor, TencentStartInstancesExecutor>();
        services.AddSingleton<IExecutor, TencentRebootInstancesExecutor>();
        services.AddSingleton<IExecutor, TicketCreateExecutor>();
        services.AddSingleton<IExecutor, TicketUpdateExecutor>();
        services.AddSingleton<IExecutor, TicketTransitionExecutor>();
        services.AddSingleton<IExecutor, TicketCommentExecutor>();
        services.AddSingleton<IExecutor, TicketLinkExecutor>();
        services.AddSingleton<IExecutor, TicketLinksExecutor>();
        services.AddSingleton<IExecutor, Users.GroupMembersExecutor>();
        return services;
    }

    /// <summary><c>Credentials:MasterKey</c> (base64, 32 bytes) or the file <c>Credentials:MasterKeyFile</c>
    /// (default <c>data/master.key</c>, made at first start). On PostgreSQL one of them must be set
    /// explicitly: nodes on different machines would each make a key of their own and could not read each
    /// other's credentials.</summary>
    private static MasterKey LoadMasterKey(IConfiguration configuration, string contentRoot, DatabaseOptions database, ILogger logger)
    {
        var key = configuration["Credentials:MasterKey"];
        var file = configuration["Credentials:MasterKeyFile"];
        if (database.Provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(key) && string.IsNullOrWhiteSpace(file))
            throw new InvalidOperationException(
                "On PostgreSQL every node must share one credential master key: set Credentials:MasterKey (environment " +
                "Credentials__MasterKey; make one with: openssl rand -base64 32) or Credentials:MasterKeyFile to a file all nodes read.");
        var defaultFile = Path.GetFullPath(Path.Combine("data", "master.key"), contentRoot);
        if (string.IsNullOrWhiteSpace(file)) return MasterKey.Load(key, defaultFile);

        file = Path.GetFullPath(file, contentRoot);
        if (string.IsNullOrWhiteSpace(key) && database.Provider == DatabaseProvider.Sqlite) MoveKeyFileToItsPlace(defaultFile, file, logger);
        return MasterKey.Load(key, file);
    }

    /// <summary>A key file made at the default place (under the content root, which is src/Server for 'dotnet run') by
    /// an earlier start moves to the configured place when none is there yet: without it the credentials stored
    /// with that key could not be read, and a new key would be made beside the old one.</summary>
    private static void MoveKeyFileToItsPlace(string defaultFile, string file, ILogger logger)
    {
        if (File.Exists(file) || !File.Exists(defaultFile) || string.Equals(defaultFile, file, StringComparison.Ordinal)) return;
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.Move(defaultFile, file);
        logger.LogWarning("Moved the credential master key from {OldFile} to {File}, the configured Credentials:MasterKeyFile", defaultFile, file);
    }
}
