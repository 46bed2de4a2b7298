using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace WeOps.Engine.Execution;

/// <summary>Something that happened to an instance: the interpreter's input besides the state.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(JobCompleted), "jobCompleted")]
[JsonDerivedType(typeof(JobFailed), "jobFailed")]
[JsonDerivedType(typeof(TimerFired), "timerFired")]
[JsonDerivedType(typeof(EventDelivered), "eventDelivered")]
[JsonDerivedType(typeof(UserTaskCompleted), "userTaskCompleted")]
[JsonDerivedType(typeof(ChildCompleted), "childCompleted")]
[JsonDerivedType(typeof(ChildFailed), "childFailed")]
[JsonDerivedType(typeof(IncidentRetried), "incidentRetried")]
[JsonDerivedType(typeof(VariablesUpdated), "variablesUpdated")]
[JsonDerivedType(typeof(InstanceCancelled), "instanceCancelled")]
[JsonDerivedType(typeof(ApprovalDecided), "approvalDecided")]
[JsonDerivedType(typeof(TaskReassigned), "taskReassigned")]
[JsonDerivedType(typeof(TaskClaimed), "taskClaimed")]
public abstract record Stimulus;

/// <summary>A job's executor finished; its output is the result. <paramref name="Actor"/> is the node that
/// ran it, recorded in the history so an operator knows whose log to read.</summary>
public sealed record JobCompleted(int WaitId, JsonNode? Output, string? Actor = null) : Stimulus;

/// <summary>A job's executor failed. With an error code it is a BPMN error (no retry);
/// without, a technical failure that is retried while retries remain.</summary>
public sealed record JobFailed(int WaitId, string Message, string? ErrorCode = null) : Stimulus;

/// <summary>A timer came due; <paramref name="Actor"/> is the node that fired it.</summary>
public sealed record TimerFired(int WaitId, string? Actor = null) : Stimulus;

/// <summary>A message or signal matched a subscription; its variables are merged.</summary>
public sealed record EventDelivered(int WaitId, JsonObject? Variables = null) : Stimulus;

public sealed record UserTaskCompleted(int WaitId, JsonObject? Variables = null, string? Actor = null) : Stimulus;

/// <summary>The instance a call activity started completed with these variables.</summary>
public sealed record ChildCompleted(int WaitId, JsonObject? Variables = null) : Stimulus;

/// <summary>The instance a call activity started ended with an error nobody in it caught.</summary>
public sealed record ChildFailed(int WaitId, string? ErrorCode, string Message) : Stimulus;

/// <summary>An operator asks the token stuck on an incident to try again.</summary>
public sealed record IncidentRetried(int IncidentId, string? Actor = null) : Stimulus;

/// <summary>An operator sets process variables, typically before retrying an incident.</summary>
public sealed record VariablesUpdated(JsonObject Variables, string? Actor = null) : Stimulus;

public sealed record InstanceCancelled(string? Reason = null, string? Actor = null) : Stimulus;

/// <summary>An approver decided (approve or reject) for one seat of an approval task; <paramref name="Channel"/>
/// says where: link, api, designer or mail. <paramref name="Variables"/>: the values of the approval's form, set with the decision.
/// <paramref name="Reference"/>: what the decision came in, for the history (a reply's Message-Id).</summary>
public sealed record ApprovalDecided(int WaitId, string Seat, string Approver, string Decision, string? Comment, string Channel, JsonObject? Variables = null, string? Reference = null) : Stimulus;

/// <summary>A user task changes hands. For a plain task the assignee becomes <paramref name="To"/>; for an approval,
/// <paramref name="Seat"/> is replaced by the user seat of <paramref name="To"/>. <paramref name="Delegated"/>: the holder
/// handed it on (delegate) rather than someone else moving it (reassign).</summary>
public sealed record TaskReassigned(int WaitId, string? Seat, string To, string? Actor, bool Delegated) : Stimulus;

/// <summary>A plain user task is taken (<paramref name="Claimant"/> becomes its assignee, only while nobody holds it) or
/// released (<paramref name="Claimant"/> null: it goes back to its candidates).</summary>
public sealed record TaskClaimed(int WaitId, string? Claimant, string? Actor) : Stimulus;
