namespace WeOps.Server;

public static class RequestLimits
{
    /// <summary>The largest request body any endpoint reads: a BPMN file may be up to 5 MB.</summary>
    public const long MaxBodyBytes = WeOps.Engine.Parsing.BpmnParser.MaxBytes + 64 * 1024;
}
