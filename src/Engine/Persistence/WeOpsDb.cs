using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace WeOps.Engine.Persistence;

/// <summary>The engine's database: the same model on SQLite and PostgreSQL, snake_case names so raw SQL
/// (job claiming) reads the same on both.</summary>
public sealed class WeOpsDb(DbContextOptions<WeOpsDb> options) : DbContext(options)
{
    public DbSet<DefinitionRow> Definitions => Set<DefinitionRow>();
    public DbSet<DefinitionVersionRow> DefinitionVersions => Set<DefinitionVersionRow>();
    public DbSet<InstanceRow> Instances => Set<InstanceRow>();
    public DbSet<HistoryRow> History => Set<HistoryRow>();
    public DbSet<JobRow> Jobs => Set<JobRow>();
    public DbSet<UserTaskRow> UserTasks => Set<UserTaskRow>();
    public DbSet<SubscriptionRow> Subscriptions => Set<SubscriptionRow>();
    public DbSet<NodeRow> Nodes => Set<NodeRow>();
    public DbSet<ApiKeyRow> ApiKeys => Set<ApiKeyRow>();
    public DbSet<LargeOutputRow> LargeOutputs => Set<LargeOutputRow>();
    public DbSet<CredentialRow> Credentials => Set<CredentialRow>();
    public DbSet<DataProtectionKeyRow> DataProtectionKeys => Set<DataProtectionKeyRow>();
    public DbSet<HostRow> Hosts => Set<HostRow>();
    public DbSet<ScheduleRow> Schedules => Set<ScheduleRow>();
    public DbSet<UserRow> Users => Set<UserRow>();
    public DbSet<ApprovalLinkRow> ApprovalLinks => Set<ApprovalLinkRow>();
    public DbSet<AlertLogRow> AlertLog => Set<AlertLogRow>();
    public DbSet<AlertFingerprintRow> AlertFingerprints => Set<AlertFingerprintRow>();
    public DbSet<AlertBreakerRow> AlertBreakers => Set<AlertBreakerRow>();
    public DbSet<TicketCounterRow> TicketCounters => Set<TicketCounterRow>();
    public DbSet<TicketRow> Tickets => Set<TicketRow>();
    public DbSet<TicketEntryRow> TicketEntries => Set<TicketEntryRow>();
    public DbSet<TicketLinkRow> TicketLinks => Set<TicketLinkRow>();
    public DbSet<HookDeliveryRow> HookDeliveries => Set<HookDeliveryRow>();
    public DbSet<SignInFailureRow> SignInFailures => Set<SignInFailureRow>();
    public DbSet<AuditEntryRow> AuditLog => Set<AuditEntryRow>();
    public DbSet<SettingRow> Settings => Set<SettingRow>();
    public DbSet<ApprovalReplyRow> ApprovalReplies => Set<ApprovalReplyRow>();

    /// <summary>PostgreSQL cannot store U+0000 in text (SQLite can): a NUL from outside (a business key, a
    /// script's error, an executor's output) would fail the whole step. Every string column stores it as
    /// U+FFFD instead, on both providers; values compared with a column in a query are converted alike.</summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder conventions) =>
        conventions.Properties<string>().HaveConversion<NulAsReplacementCharacter>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<DefinitionRow>(e =>
        {
            e.ToTable("definitions");
            e.HasKey(d => d.Key).HasName("pk_definitions");
            e.Property(d => d.Key).HasColumnName("key").HasMaxLength(200);
            e.Property(d => d.Name).HasColumnName("name").HasMaxLength(500);
            e.Property(d => d.DraftXml).HasColumnName("draft_xml");
            e.Property(d => d.DraftHash).HasColumnName("draft_hash").HasMaxLength(64);
            e.Property(d => d.DraftSavedAt).HasColumnName("draft_saved_at");
            e.Property(d => d.DraftSavedBy).HasColumnName("draft_saved_by").HasMaxLength(200);
            e.Property(d => d.LatestVersion).HasColumnName("latest_version");
        });
        model.Entity<DefinitionVersionRow>(e =>
        {
            e.ToTable("definition_versions");
            e.HasKey(v => new { v.Key, v.Version }).HasName("pk_definition_versions");
            e.Property(v => v.Key).HasColumnName("key").HasMaxLength(200);
            e.Property(v => v.Version).HasColumnName("version");
            e.Property(v => v.Name).HasColumnName("name").HasMaxLength(500);
            e.Property(v => v.Xml).HasColumnName("xml");
            e.Property(v => v.Hash).HasColumnName("hash").HasMaxLength(64);
            e.Property(v => v.PublishedAt).HasColumnName("published_at");
            e.Property(v => v.PublishedBy).HasColumnName("published_by").HasMaxLength(200);
            e.Property(v => v.Note).HasColumnName("note").HasMaxLength(2000);
        });
        model.Entity<InstanceRow>(e =>
        {
            e.ToTable("instances");
            e.HasKey(i => i.Id).HasName("pk_instances");
            e.Property(i => i.Id).HasColumnName("id");
            e.Property(i => i.DefinitionKey).HasColumnName("definition_key").HasMaxLength(200);
            e.Property(i => i.Version).HasColumnName("version");
            e.Property(i => i.BusinessKey).HasColumnName("business_key").HasMaxLength(200);
            e.Property(i => i.Status).HasColumnName("status").HasMaxLength(20);
            e.Property(i => i.State).HasColumnName("state");
            e.Property(i => i.ParentId).HasColumnName("parent_id");
            e.Property(i => i.StartedAt).HasColumnName("started_at");
            e.Property(i => i.EndedAt).HasColumnName("ended_at");
            e.Property(i => i.UpdatedAt).HasColumnName("updated_at");
            e.Property(i => i.Revision).HasColumnName("revision").IsConcurrencyToken();
            e.HasIndex(i => new { i.DefinitionKey, i.Status }).HasDatabaseName("ix_instances_definition_status");
            e.HasIndex(i => i.BusinessKey).HasDatabaseName("ix_instances_business_key");
            e.HasIndex(i => i.ParentId).HasDatabaseName("ix_instances_parent");
        });
        model.Entity<HistoryRow>(e =>
        {
            e.ToTable("history");
            e.HasKey(h => h.Id).HasName("pk_history");
            e.Property(h => h.Id).HasColumnName("id");
            e.Property(h => h.InstanceId).HasColumnName("instance_id");
            e.Property(h => h.Time).HasColumnName("time");
            e.Property(h => h.Kind).HasColumnName("kind").HasMaxLength(40);
            e.Property(h => h.ElementId).HasColumnName("element_id").HasMaxLength(200);
            e.Property(h => h.ElementType).HasColumnName("element_type").HasMaxLength(60);
            e.Property(h => h.TokenId).HasColumnName("token_id");
            e.Property(h => h.Detail).HasColumnName("detail");
            e.Property(h => h.Actor).HasColumnName("actor").HasMaxLength(200);
            e.HasIndex(h => h.InstanceId).HasDatabaseName("ix_history_instance");
        });
        model.Entity<JobRow>(e =>
        {
            e.ToTable("jobs");
            e.HasKey(j => j.Id).HasName("pk_jobs");
            e.Property(j => j.Id).HasColumnName("id");
            e.Property(j => j.InstanceId).HasColumnName("instance_id");
            e.Property(j => j.WaitId).HasColumnName("wait_id");
            e.Property(j => j.Kind).HasColumnName("kind").HasMaxLength(20);
            e.Property(j => j.ElementId).HasColumnName("element_id").HasMaxLength(200);
            e.Property(j => j.ExecutorType).HasColumnName("executor_type").HasMaxLength(100);
            e.Property(j => j.DueAt).HasColumnName("due_at");
            e.Property(j => j.Attempt).HasColumnName("attempt");
            e.Property(j => j.LockOwner).HasColumnName("lock_owner").HasMaxLength(200);
            e.Property(j => j.LockedUntil).HasColumnName("locked_until");
            e.Property(j => j.LastError).HasColumnName("last_error");
            e.Property(j => j.Payload).HasColumnName("payload");
            e.HasIndex(j => j.DueAt).HasDatabaseName("ix_jobs_due");
            e.HasIndex(j => new { j.Kind, j.DueAt }).HasDatabaseName("ix_jobs_kind_due");
            e.HasIndex(j => new { j.InstanceId, j.WaitId }).HasDatabaseName("ix_jobs_instance_wait");
        });
        model.Entity<UserTaskRow>(e =>
        {
            e.ToTable("user_tasks");
            e.HasKey(t => t.Id).HasName("pk_user_tasks");
            e.Property(t => t.Id).HasColumnName("id");
            e.Property(t => t.InstanceId).HasColumnName("instance_id");
            e.Property(t => t.WaitId).HasColumnName("wait_id");
            e.Property(t => t.ElementId).HasColumnName("element_id").HasMaxLength(200);
            e.Property(t => t.Name).HasColumnName("name").HasMaxLength(500);
            e.Property(t => t.Assignee).HasColumnName("assignee").HasMaxLength(200);
            e.Property(t => t.CandidateGroups).HasColumnName("candidate_groups").HasMaxLength(2000);
            e.Property(t => t.CandidateUsers).HasColumnName("candidate_users").HasMaxLength(2000);
            e.Property(t => t.State).HasColumnName("state").HasMaxLength(20);
            e.Property(t => t.CreatedAt).HasColumnName("created_at");
            e.Property(t => t.DueAt).HasColumnName("due_at");
            e.Property(t => t.EndedAt).HasColumnName("ended_at");
            e.Property(t => t.EndedBy).HasColumnName("ended_by").HasMaxLength(200);
            e.Property(t => t.FormKey).HasColumnName("form_key").HasMaxLength(200);
            e.Property(t => t.Data).HasColumnName("data");
            e.Property(t => t.Approvers).HasColumnName("approvers").HasMaxLength(StoredLengthsApprovers);
            e.HasIndex(t => new { t.InstanceId, t.WaitId }).HasDatabaseName("ix_user_tasks_instance_wait");
            e.HasIndex(t => new { t.State, t.Assignee }).HasDatabaseName("ix_user_tasks_state_assignee");
        });
        model.Entity<SubscriptionRow>(e =>
        {
            e.ToTable("subscriptions");
            e.HasKey(s => s.Id).HasName("pk_subscriptions");
            e.Property(s => s.Id).HasColumnName("id");
            e.Property(s => s.InstanceId).HasColumnName("instance_id");
            e.Property(s => s.WaitId).HasColumnName("wait_id");
            e.Property(s => s.Kind).HasColumnName("kind").HasMaxLength(20);
            e.Property(s => s.Name).HasColumnName("name").HasMaxLength(200);
            e.Property(s => s.CorrelationKey).HasColumnName("correlation_key").HasMaxLength(200);
            e.Property(s => s.ElementId).HasColumnName("element_id").HasMaxLength(200);
            e.Property(s => s.CreatedAt).HasColumnName("created_at");
            e.HasIndex(s => new { s.Kind, s.Name, s.CorrelationKey }).HasDatabaseName("ix_subscriptions_lookup");
            e.HasIndex(s => new { s.InstanceId, s.WaitId }).HasDatabaseName("ix_subscriptions_instance_wait");
        });
        model.Entity<NodeRow>(e =>
        {
            e.ToTable("nodes");
            e.HasKey(n => n.Id).HasName("pk_nodes");
            e.Property(n => n.Id).HasColumnName("id").HasMaxLength(100);
            e.Property(n => n.Host).HasColumnName("host").HasMaxLength(200);
            e.Property(n => n.ProcessId).HasColumnName("process_id");
            e.Property(n => n.StartedAt).HasColumnName("started_at");
            e.Property(n => n.HeartbeatAt).HasColumnName("heartbeat_at");
        });
        model.Entity<ApiKeyRow>(e =>
        {
            e.ToTable("api_keys");
            e.HasKey(k => k.Id).HasName("pk_api_keys");
            e.Property(k => k.Id).HasColumnName("id");
            e.Property(k => k.Name).HasColumnName("name").HasMaxLength(100);
            e.Property(k => k.Roles).HasColumnName("roles").HasMaxLength(500);
            e.Property(k => k.Hash).HasColumnName("hash").HasMaxLength(64);
            e.Property(k => k.CreatedAt).HasColumnName("created_at");
            e.Property(k => k.Username).HasColumnName("username").HasMaxLength(100);
            e.HasIndex(k => k.Hash).IsUnique().HasDatabaseName("ux_api_keys_hash");
        });
        model.Entity<LargeOutputRow>(e =>
        {
            e.ToTable("large_outputs");
            e.HasKey(o => o.Id).HasName("pk_large_outputs");
            e.Property(o => o.Id).HasColumnName("id").HasMaxLength(40);
            e.Property(o => o.InstanceId).HasColumnName("instance_id");
            e.Property(o => o.ElementId).HasColumnName("element_id").HasMaxLength(200);
            e.Property(o => o.Name).HasColumnName("name").HasMaxLength(200);
            e.Property(o => o.Content).HasColumnName("content");
            e.Property(o => o.Length).HasColumnName("length");
            e.Property(o => o.CreatedAt).HasColumnName("created_at");
            e.HasIndex(o => o.InstanceId).HasDatabaseName("ix_large_outputs_instance");
        });
        model.Entity<CredentialRow>(e =>
        {
            e.ToTable("credentials");
            e.HasKey(c => c.Name).HasName("pk_credentials");
            e.Property(c => c.Name).HasColumnName("name").HasMaxLength(100);
            e.Property(c => c.Kind).HasColumnName("kind").HasMaxLength(20);
            e.Property(c => c.Description).HasColumnName("description").HasMaxLength(500);
            e.Property(c => c.Fields).HasColumnName("fields").HasMaxLength(500);
            e.Property(c => c.Secret).HasColumnName("secret");
            e.Property(c => c.CreatedAt).HasColumnName("created_at");
            e.Property(c => c.CreatedBy).HasColumnName("created_by").HasMaxLength(200);
            e.Property(c => c.UpdatedAt).HasColumnName("updated_at");
            e.Property(c => c.UpdatedBy).HasColumnName("updated_by").HasMaxLength(200);
        });
        model.Entity<DataProtectionKeyRow>(e =>
        {
            e.ToTable("data_protection_keys");
            e.HasKey(k => k.Id).HasName("pk_data_protection_keys");
            e.Property(k => k.Id).HasColumnName("id");
            e.Property(k => k.FriendlyName).HasColumnName("friendly_name").HasMaxLength(200);
            e.Property(k => k.Xml).HasColumnName("xml");
            e.HasIndex(k => k.FriendlyName).IsUnique().HasDatabaseName("ux_data_protection_keys_friendly_name");
        });
        model.Entity<HostRow>(e =>
        {
            e.ToTable("hosts");
            e.HasKey(h => h.Name).HasName("pk_hosts");
            e.Property(h => h.Name).HasColumnName("name").HasMaxLength(200);
            e.Property(h => h.Address).HasColumnName("address").HasMaxLength(255);
            e.Property(h => h.Port).HasColumnName("port");
            e.Property(h => h.User).HasColumnName("username").HasMaxLength(100);
            e.Property(h => h.Credential).HasColumnName("credential").HasMaxLength(100);
            e.Property(h => h.Tags).HasColumnName("tags").HasMaxLength(2000);
            e.Property(h => h.KnownHosts).HasColumnName("known_hosts").HasMaxLength(16000);
            e.Property(h => h.UpdatedAt).HasColumnName("updated_at");
            e.Property(h => h.UpdatedBy).HasColumnName("updated_by").HasMaxLength(200);
        });
        model.Entity<ScheduleRow>(e =>
        {
            e.ToTable("schedules");
            e.HasKey(s => s.Id).HasName("pk_schedules");
            e.Property(s => s.Id).HasColumnName("id");
            e.Property(s => s.DefinitionKey).HasColumnName("definition_key").HasMaxLength(200);
            e.Property(s => s.Version).HasColumnName("version");
            e.Property(s => s.StartEventId).HasColumnName("start_event_id").HasMaxLength(200);
            e.Property(s => s.Kind).HasColumnName("kind").HasMaxLength(20);
            e.Property(s => s.Expression).HasColumnName("expression").HasMaxLength(500);
            e.Property(s => s.TimeZone).HasColumnName("time_zone").HasMaxLength(100);
            e.Property(s => s.Misfire).HasColumnName("misfire").HasMaxLength(20);
            e.Property(s => s.AnchorAt).HasColumnName("anchor_at");
            e.Property(s => s.DueAt).HasColumnName("due_at");
            e.Property(s => s.CreatedAt).HasColumnName("created_at");
            e.HasIndex(s => new { s.DefinitionKey, s.StartEventId }).IsUnique().HasDatabaseName("ux_schedules_definition_start");
        });
        model.Entity<UserRow>(e =>
        {
            e.ToTable("users");
            e.HasKey(u => u.Username).HasName("pk_users");
            e.Property(u => u.Username).HasColumnName("username").HasMaxLength(100);
            e.Property(u => u.DisplayName).HasColumnName("display_name").HasMaxLength(200);
            e.Property(u => u.Email).HasColumnName("email").HasMaxLength(320);
            e.Property(u => u.Groups).HasColumnName("groups").HasMaxLength(2000);
            e.Property(u => u.Roles).HasColumnName("roles").HasMaxLength(500);
            e.Property(u => u.PasswordHash).HasColumnName("password_hash").HasMaxLength(500);
            e.Property(u => u.CreatedAt).HasColumnName("created_at");
            e.Property(u => u.UpdatedAt).HasColumnName("updated_at");
            e.Property(u => u.DisabledAt).HasColumnName("disabled_at");
        });
        model.Entity<SettingRow>(e =>
        {
            e.ToTable("settings");
            e.HasKey(s => s.Key).HasName("pk_settings");
            e.Property(s => s.Key).HasColumnName("key").HasMaxLength(100);
            e.Property(s => s.Value).HasColumnName("value").HasMaxLength(8000);
            e.Property(s => s.UpdatedAt).HasColumnName("updated_at");
            e.Property(s => s.UpdatedBy).HasColumnName("updated_by").HasMaxLength(200);
        });
        model.Entity<ApprovalLinkRow>(e =>
        {
            e.ToTable("approval_links");
            e.HasKey(l => l.Id).HasName("pk_approval_links");
            e.Property(l => l.Id).HasColumnName("id");
            e.Property(l => l.TokenHash).HasColumnName("token_hash").HasMaxLength(64);
            e.Property(l => l.InstanceId).HasColumnName("instance_id");
            e.Property(l => l.WaitId).HasColumnName("wait_id");
            e.Property(l => l.TaskId).HasColumnName("task_id");
            e.Property(l => l.Seat).HasColumnName("seat").HasMaxLength(210);
            e.Property(l => l.Approver).HasColumnName("approver").HasMaxLength(100);
            e.Property(l => l.CreatedAt).HasColumnName("created_at");
            e.Property(l => l.ExpiresAt).HasColumnName("expires_at");
            e.Property(l => l.UsedAt).HasColumnName("used_at");
            e.Property(l => l.Decision).HasColumnName("decision").HasMaxLength(20);
            e.HasIndex(l => l.TokenHash).IsUnique().HasDatabaseName("ux_approval_links_token_hash");
            e.HasIndex(l => l.TaskId).HasDatabaseName("ix_approval_links_task");
        });
        model.Entity<ApprovalReplyRow>(e =>
        {
            e.ToTable("approval_replies");
            e.HasKey(r => r.MessageId).HasName("pk_approval_replies");
            e.Property(r => r.MessageId).HasColumnName("message_id").HasMaxLength(1000);
            e.Property(r => r.MailboxCopy).HasColumnName("mailbox_copy").HasMaxLength(200);
            e.Property(r => r.LinkId).HasColumnName("link_id");
            e.Property(r => r.Sender).HasColumnName("sender").HasMaxLength(320);
            e.Property(r => r.Outcome).HasColumnName("outcome").HasMaxLength(40);
            e.Property(r => r.ReceivedAt).HasColumnName("received_at");
            e.HasIndex(r => r.ReceivedAt).HasDatabaseName("ix_approval_replies_received_at");
        });
        AlertTables.Configure(model);
        OnTicketsCreating(model);
        SecurityTables.Configure(model);
    }

    private static void OnTicketsCreating(ModelBuilder model)
    {
        model.Entity<TicketCounterRow>(e =>
        {
            e.ToTable("ticket_counters");
            e.HasKey(c => c.Type).HasName("pk_ticket_counters");
            e.Property(c => c.Type).HasColumnName("type").HasMaxLength(20);
            e.Property(c => c.LastNumber).HasColumnName("last_number");
        });
        model.Entity<TicketRow>(e =>
        {
            e.ToTable("tickets");
            e.HasKey(t => t.Number).HasName("pk_tickets");
            e.Property(t => t.Number).HasColumnName("number").HasMaxLength(20);
            e.Property(t => t.Type).HasColumnName("type").HasMaxLength(20);
            e.Property(t => t.Title).HasColumnName("title").HasMaxLength(500);
            e.Property(t => t.Description).HasColumnName("description").HasMaxLength(20000);
            e.Property(t => t.State).HasColumnName("state").HasMaxLength(40);
            e.Property(t => t.Impact).HasColumnName("impact");
            e.Property(t => t.Urgency).HasColumnName("urgency");
            e.Property(t => t.Priority).HasColumnName("priority");
            e.Property(t => t.Requester).HasColumnName("requester").HasMaxLength(200);
            e.Property(t => t.Assignee).HasColumnName("assignee").HasMaxLength(200);
            e.Property(t => t.AssignmentGroup).HasColumnName("assignment_group").HasMaxLength(200);
            e.Property(t => t.AffectedHosts).HasColumnName("affected_hosts").HasMaxLength(20000);
            e.Property(t => t.AffectedServices).HasColumnName("affected_services").HasMaxLength(20000);
            e.Property(t => t.Fields).HasColumnName("fields").HasMaxLength(65536);
            e.Property(t => t.InstanceId).HasColumnName("instance_id").HasMaxLength(100);
            e.Property(t => t.ElementId).HasColumnName("element_id").HasMaxLength(200);
            e.Property(t => t.CreatedAt).HasColumnName("created_at");
            e.Property(t => t.UpdatedAt).HasColumnName("updated_at");
            e.Property(t => t.ResponseDueAt).HasColumnName("response_due_at");
            e.Property(t => t.ResolutionDueAt).HasColumnName("resolution_due_at");
            e.Property(t => t.RespondedAt).HasColumnName("responded_at");
            e.Property(t => t.ResolvedAt).HasColumnName("resolved_at");
            e.Property(t => t.Revision).HasColumnName("revision").IsConcurrencyToken();
            e.HasIndex(t => new { t.InstanceId, t.ElementId }).IsUnique().HasDatabaseName("ux_tickets_instance_element");
            e.HasIndex(t => new { t.Type, t.State }).HasDatabaseName("ix_tickets_type_state");
            e.HasIndex(t => t.Assignee).HasDatabaseName("ix_tickets_assignee");
        });
        model.Entity<TicketEntryRow>(e =>
        {
            e.ToTable("ticket_entries");
            e.HasKey(t => t.Id).HasName("pk_ticket_entries");
            e.Property(t => t.Id).HasColumnName("id");
            e.Property(t => t.Number).HasColumnName("number").HasMaxLength(20);
            e.Property(t => t.Time).HasColumnName("time");
            e.Property(t => t.Actor).HasColumnName("actor").HasMaxLength(200);
            e.Property(t => t.Kind).HasColumnName("kind").HasMaxLength(20);
            e.Property(t => t.Text).HasColumnName("text").HasMaxLength(20000);
            e.Property(t => t.Detail).HasColumnName("detail");
            e.HasIndex(t => t.Number).HasDatabaseName("ix_ticket_entries_number");
        });
        model.Entity<TicketLinkRow>(e =>
        {
            e.ToTable("ticket_links");
            e.HasKey(l => new { l.FromNumber, l.ToNumber }).HasName("pk_ticket_links");
            e.Property(l => l.FromNumber).HasColumnName("from_number").HasMaxLength(20);
            e.Property(l => l.ToNumber).HasColumnName("to_number").HasMaxLength(20);
            e.Property(l => l.Kind).HasColumnName("kind").HasMaxLength(40);
            e.Property(l => l.CreatedAt).HasColumnName("created_at");
            e.Property(l => l.CreatedBy).HasColumnName("created_by").HasMaxLength(200);
            e.HasIndex(l => l.ToNumber).HasDatabaseName("ix_ticket_links_to");
        });
    }

    /// <summary>Seats are <c>group:</c> plus a name of up to 200 characters; 100 seats fit with room to spare.</summary>
    public const int StoredLengthsApprovers = 24_000;
}

/// <summary>Writes U+0000 as U+FFFD (the replacement character); reads text as stored.</summary>
public sealed class NulAsReplacementCharacter() : ValueConverter<string, string>(text => Stored(text), text => text)
{
    /// <summary>Text as every string column stores it; also for rows written without the unit of work.</summary>
    public static string Stored(string text) => text.Replace('\0', '\uFFFD');
}
