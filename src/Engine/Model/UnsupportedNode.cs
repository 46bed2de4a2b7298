namespace WeOps.Engine.Model;

/// <summary>An element the file holds that the engine does not run (compensation, transaction,
/// complex gateway...). Kept in the graph so validation can name it and flows stay intact.</summary>
public sealed record UnsupportedNode : FlowNode
{
    public required string Reason { get; init; }
}
