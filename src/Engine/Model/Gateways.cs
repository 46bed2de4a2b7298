namespace WeOps.Engine.Model;

public enum GatewayKind { Exclusive, Parallel, Inclusive, EventBased }

public sealed record Gateway : FlowNode
{
    public required GatewayKind Kind { get; init; }
    public string? DefaultFlowId { get; init; }
}
