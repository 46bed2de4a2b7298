using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace WeOps.Engine.Persistence;

/// <summary>Work that crosses from one instance to others, written as a job in the transaction of the step
/// that caused it, so it is neither lost nor done twice.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(MessageDelivery), "message")]
[JsonDerivedType(typeof(SignalDelivery), "signal")]
[JsonDerivedType(typeof(StimulusDelivery), "stimulus")]
[JsonDerivedType(typeof(CancelChildDelivery), "cancelChild")]
public abstract record Delivery;

/// <summary>A thrown message, to be matched with subscriptions (or message start events).</summary>
public sealed record MessageDelivery(string Name, string? CorrelationKey, JsonObject? Variables) : Delivery;

public sealed record SignalDelivery(string Name, JsonObject? Variables) : Delivery;

/// <summary>A stimulus for the job's instance: applied in that instance's transaction, which also deletes the job.</summary>
public sealed record StimulusDelivery(Execution.Stimulus Stimulus) : Delivery;

/// <summary>Cancel the instance a call activity started, now that the activity was cancelled.</summary>
public sealed record CancelChildDelivery(Guid ParentId, int WaitId) : Delivery;
