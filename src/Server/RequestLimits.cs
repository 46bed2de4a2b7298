namespace WeOps.Server;

public static class RequestLimits
{
    /// <summary>The largest request body any endpoint reads: a BPMN file may be up to 5 MB.</summary>
    public const long MaxBodyBytes = WeOps.Engine.Parsing.BpmnParser.MaxBytes + 64 * 1024;

    /// <summary>The largest body of an endpoint that reads JSON (a <c>[FromBody]</c> record): 1 MB.</summary>
    public const long MaxJsonBodyBytes = 1024 * 1024;
}
