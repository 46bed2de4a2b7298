namespace WeOps.Engine.Persistence;

/// <summary>A process definition: its editable draft and the number of its latest published version.</summary>
public sealed class DefinitionRow
{
    public required string Key { get; set; }
    public string? Name { get; set; }
    public required string DraftXml { get; set; }
    public required string DraftHash { get; set; }
    public DateTime DraftSavedAt { get; set; }
    public string? DraftSavedBy { get; set; }

    /// <summary>0 while nothing is published.</summary>
    public int LatestVersion { get; set; }
}

/// <summary>A published version: immutable once written.</summary>
public sealed class DefinitionVersionRow
{
    public required string Key { get; set; }
    public int Version { get; set; }
    public string? Name { get; set; }
    public required string Xml { get; set; }
    public required string Hash { get; set; }
    public DateTime PublishedAt { get; set; }
    public string? PublishedBy { get; set; }
    public string? Note { get; set; }
}

/// <summary>An instance: the interpreter's state as one JSON document, and the columns queries filter on.</summary>
public sealed class InstanceRow
{
    public Guid Id { get; set; }
    public required string DefinitionKey { get; set; }
    public int Version { get; set; }
    public string? BusinessKey { get; set; }
    public required string Status { get; set; }
    public required string State { get; set; }
    public Guid? ParentId { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime? EndedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>Raised on every write; a write based on an older revision fails.</summary>
    public int Revision { get; set; }
}

public sealed class HistoryRow
{
    public long Id { get; set; }
    public Guid InstanceId { get; set; }
    public DateTime Time { get; set; }
    public required string Kind { get; set; }
    public string? ElementId { get; set; }
    public string? ElementType { get; set; }
    public int? TokenId { get; set; }
    public string? Detail { get; set; }
    public string? Actor { get; set; }
}

/// <summary>Work a worker claims when due: an executor call, a timer, a delivery to another instance, or
/// the next occurrence of a schedule.</summary>
public sealed class JobRow
{
    public long Id { get; set; }

    /// <summary>The instance the job is for; for a <see cref="JobKinds.Schedule"/> job, the schedule's id
    /// (schedule ids are fresh GUIDs, so they never name an instance).</summary>
    public Guid InstanceId { get; set; }

    /// <summary>The instance's wait this row stands for; 0 for deliveries, which belong to no wait.</summary>
    public int WaitId { get; set; }
    public required string Kind { get; set; }
    public string? ElementId { get; set; }
    public string? ExecutorType { get; set; }

    /// <summary>Unix milliseconds: integers compare the same way on every provider.</summary>
    public long DueAt { get; set; }
    public int Attempt { get; set; }
    public string? LockOwner { get; set; }
    public long? LockedUntil { get; set; }
    public string? LastError { get; set; }

    /// <summary>JSON: the job wait (inputs, timeout) or the delivery.</summary>
    public string? Payload { get; set; }
}

public static class JobKinds
{
    public const string Job = "job";
    public const string Timer = "timer";
    public const string Delivery = "delivery";

    /// <summary>A schedule's next occurrence: starts an instance (ADR 0009).</summary>
    public const string Schedule = "schedule";

    /// <summary>Approval mails to send (payload: the approval mail job); outside any instance step.</summary>
    public const string ApprovalMail = "approvalMail";
}

/// <summary>A timer start event of a published version, and when it next starts an instance. Replaced
/// whenever the process is published; the pending occurrence is a <see cref="JobKinds.Schedule"/> job.</summary>
public sealed class ScheduleRow
{
    public Guid Id { get; set; }
    public required string DefinitionKey { get; set; }
    public int Version { get; set; }
    public required string StartEventId { get; set; }

    /// <summary><c>cycle</c>, <c>date</c> or <c>cron</c>.</summary>
    public required string Kind { get; set; }

    /// <summary>The ISO 8601 cycle or date, or the cron expression.</summary>
    public required string Expression { get; set; }
    public string? TimeZone { get; set; }

    /// <summary><c>fireOnce</c> or <c>skip</c>.</summary>
    public required string Misfire { get; set; }

    /// <summary>Unix milliseconds of a cycle's or date's first occurrence; the series counts from it.</summary>
    public long AnchorAt { get; set; }

    /// <summary>Unix milliseconds of the pending occurrence (the due time of its job).</summary>
    public long DueAt { get; set; }
    public DateTime CreatedAt { get; set; }
}

public sealed class UserTaskRow
{
    public long Id { get; set; }
    public Guid InstanceId { get; set; }
    public int WaitId { get; set; }
    public required string ElementId { get; set; }
    public string? Name { get; set; }
    public string? Assignee { get; set; }

    /// <summary>Comma-separated, with a comma at each end so a LIKE '%,ops,%' finds one group.</summary>
    public string CandidateGroups { get; set; } = ",";
    public string CandidateUsers { get; set; } = ",";
    public required string State { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? DueAt { get; set; }
    public DateTime? EndedAt { get; set; }
    public string? EndedBy { get; set; }
    public string? FormKey { get; set; }
    public string Data { get; set; } = "{}";

    /// <summary>An approval's seats that have not decided (<c>user:alice</c>, <c>group:cab</c>), stored like the
    /// candidate lists; a single comma for a task that is not an approval or has no one left to decide.</summary>
    public string Approvers { get; set; } = ",";
}

public static class UserTaskStates
{
    public const string Open = "open";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";
}

/// <summary>An instance waiting for a message or a signal by name (and correlation key).</summary>
public sealed class SubscriptionRow
{
    public long Id { get; set; }
    public Guid InstanceId { get; set; }
    public int WaitId { get; set; }
    public required string Kind { get; set; }
    public required string Name { get; set; }
    public string? CorrelationKey { get; set; }
    public required string ElementId { get; set; }
    public DateTime CreatedAt { get; set; }
}

public static class SubscriptionKinds
{
    public const string Message = "message";
    public const string Signal = "signal";
}

/// <summary>A server node working on this database, with its last sign of life.</summary>
public sealed class NodeRow
{
    public required string Id { get; set; }
    public required string Host { get; set; }
    public int ProcessId { get; set; }

    /// <summary>When the node's process started (UTC, the real clock): tells it from a later process that
    /// reused its id.</summary>
    public DateTime StartedAt { get; set; }

    /// <summary>Unix milliseconds of the last heartbeat.</summary>
    public long HeartbeatAt { get; set; }
}

/// <summary>An API key, kept only as the SHA-256 hash of its secret.</summary>
public sealed class ApiKeyRow
{
    public Guid Id { get; set; }
    public required string Name { get; set; }

    /// <summary>Comma-separated role names.</summary>
    public required string Roles { get; set; }

    /// <summary>Lower-case hex of the SHA-256 hash of the key.</summary>
    public required string Hash { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>The user the key belongs to: the caller is that user (see <see cref="UserRow"/>).</summary>
    public string? Username { get; set; }
}

/// <summary>Executor output too large for a variable (full command output), kept beside its instance.</summary>
public sealed class LargeOutputRow
{
    /// <summary><c>out_</c> and 32 hex digits; what the variable refers to.</summary>
    public required string Id { get; set; }
    public Guid InstanceId { get; set; }
    public required string ElementId { get; set; }
    public required string Name { get; set; }
    public required string Content { get; set; }

    /// <summary>Characters in <see cref="Content"/>.</summary>
    public long Length { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A named secret. <see cref="Secret"/> holds the values encrypted (ASP.NET Core Data
/// Protection); only the field names are kept in clear, so the API can say what is set.</summary>
public sealed class CredentialRow
{
    public required string Name { get; set; }
    public required string Kind { get; set; }
    public string? Description { get; set; }

    /// <summary>Comma-separated names of the fields that are set.</summary>
    public required string Fields { get; set; }
    public required string Secret { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}

/// <summary>One key of the Data Protection key ring, as the XML the key manager writes, shared by all nodes.</summary>
public sealed class DataProtectionKeyRow
{
    public long Id { get; set; }
    public required string FriendlyName { get; set; }
    public required string Xml { get; set; }
}

/// <summary>A machine of the inventory that SSH steps can name or select by tag.</summary>
public sealed class HostRow
{
    public required string Name { get; set; }
    public required string Address { get; set; }
    public int Port { get; set; }
    public string? User { get; set; }
    public string? Credential { get; set; }

    /// <summary>The tags as a JSON array of strings.</summary>
    public required string Tags { get; set; }

    /// <summary>The host's keys in known_hosts format.</summary>
    public string? KnownHosts { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}

/// <summary>A person who works in WeOps: approver, operator, designer. API keys can belong to one.</summary>
public sealed class UserRow
{
    public required string Username { get; set; }
    public string? DisplayName { get; set; }
    public string? Email { get; set; }

    /// <summary>Comma-separated with a comma at each end, like a task's candidate groups.</summary>
    public string Groups { get; set; } = ",";

    /// <summary>Comma-separated role names.</summary>
    public string Roles { get; set; } = "";

    /// <summary>Empty until the designer's sign-in sets passwords.</summary>
    public string? PasswordHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>Set while an admin has disabled the user: no sign-in, no session, no key acting as the user.</summary>
    public DateTime? DisabledAt { get; set; }
}

/// <summary>A server setting changed in the admin console; it overrides the configuration file's value of the
/// same key (ADR 0025). Secret values are stored encrypted and never read back by the API.</summary>
public sealed class SettingRow
{
    public required string Key { get; set; }
    public string? Value { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}

/// <summary>One approval link mailed to one approver for one seat of one task: only the SHA-256 hash of its
/// token is kept. Used once; dead when the task closes or the link expires.</summary>
public sealed class ApprovalLinkRow
{
    public long Id { get; set; }

    /// <summary>Lower-case hex of the SHA-256 hash of the token.</summary>
    public required string TokenHash { get; set; }
    public Guid InstanceId { get; set; }
    public int WaitId { get; set; }
    public long TaskId { get; set; }
    public required string Seat { get; set; }
    public required string Approver { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ExpiresAt { get; set; }
    public DateTime? UsedAt { get; set; }
    public string? Decision { get; set; }
}

/// <summary>A reply to approval mail read from the reply mailbox, kept by its Message-Id so that it is acted on once.
/// <see cref="MailboxCopy"/> names the copy in the mailbox (UIDVALIDITY:UID): the same copy seen again by another
/// node is skipped, another copy of the same message is a replay.</summary>
public sealed class ApprovalReplyRow
{
    public required string MessageId { get; set; }
    public required string MailboxCopy { get; set; }
    public long? LinkId { get; set; }
    public string? Sender { get; set; }

    /// <summary>What came of it: decided, refused, ignored, or processing while a node is at it.</summary>
    public required string Outcome { get; set; }
    public DateTime ReceivedAt { get; set; }
}

/// <summary>The last number given to tickets of one type; incremented in the transaction that stores the
/// ticket, so a rolled-back create leaves no gap and two creates never share a number.</summary>
public sealed class TicketCounterRow
{
    public required string Type { get; set; }
    public long LastNumber { get; set; }
}

/// <summary>An ITIL ticket (incident, change, problem, release).</summary>
public sealed class TicketRow
{
    /// <summary><c>INC-000123</c>, <c>CHG-...</c>, <c>PRB-...</c>, <c>REL-...</c>.</summary>
    public required string Number { get; set; }
    public required string Type { get; set; }
    public required string Title { get; set; }
    public string? Description { get; set; }
    public required string State { get; set; }

    /// <summary>1 (high) to 3 (low), as urgency.</summary>
    public int Impact { get; set; }
    public int Urgency { get; set; }

    /// <summary>1 (P1) to 5 (P5), from the priority matrix.</summary>
    public int Priority { get; set; }
    public string? Requester { get; set; }
    public string? Assignee { get; set; }
    public string? AssignmentGroup { get; set; }

    /// <summary>JSON arrays of strings.</summary>
    public required string AffectedHosts { get; set; }
    public required string AffectedServices { get; set; }

    /// <summary>Free fields as a JSON object.</summary>
    public required string Fields { get; set; }

    /// <summary>The process instance behind the ticket and the element that created it: a re-run of that
    /// element finds the ticket instead of making a second one.</summary>
    public string? InstanceId { get; set; }
    public string? ElementId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime ResponseDueAt { get; set; }
    public DateTime ResolutionDueAt { get; set; }
    public DateTime? RespondedAt { get; set; }
    public DateTime? ResolvedAt { get; set; }
    public int Revision { get; set; }
}

/// <summary>One line of a ticket's timeline: a change, a transition, a comment or a link.</summary>
public sealed class TicketEntryRow
{
    public long Id { get; set; }
    public required string Number { get; set; }
    public DateTime Time { get; set; }
    public string? Actor { get; set; }

    /// <summary><c>created</c>, <c>updated</c>, <c>transition</c>, <c>comment</c>, <c>linked</c>.</summary>
    public required string Kind { get; set; }
    public string? Text { get; set; }

    /// <summary>What changed, as JSON.</summary>
    public string? Detail { get; set; }
}

/// <summary>A link between two tickets, stored once in its normal direction (incident -> problem,
/// change -> release, incident -> change, problem -> change).</summary>
public sealed class TicketLinkRow
{
    public required string FromNumber { get; set; }
    public required string ToNumber { get; set; }
    public required string Kind { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
}
