using WeOps.Engine.Parsing;
using WeOps.Engine.Validation;

namespace WeOps.Server.Endpoints;

/// <summary>Reads a BPMN file from a request body, refusing bodies that are empty or over the limit.</summary>
public sealed record BpmnBody(string? Xml, IResult? Problem)
{
    public static async Task<BpmnBody> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        const int limit = WeOps.Engine.Parsing.BpmnParser.MaxBytes;
        if (request.ContentLength > limit) return TooLarge(request.ContentLength.Value);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit) return TooLarge(buffer.Length);
        }

        if (buffer.Length == 0)
            return new BpmnBody(null, Results.Problem(statusCode: 400, title: "Empty request body", detail: "Send the BPMN 2.0 XML of a process as the request body."));
        // The file's own encoding (byte order mark, XML declaration) decides, as it would for any XML reader.
        if (!XmlFileText.TryDecode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), out var xml, out var problem))
            return new BpmnBody(null, Results.Problem(statusCode: 422, title: "BPMN file in an encoding this server cannot read", detail: problem));
        return new BpmnBody(xml, null);
    }

    /// <summary>422 for a file over an element or depth limit: which limit, its value, and the element where
    /// reading stopped, with the same problem in <c>problems</c> for the designer to show.</summary>
    public static IResult OverLimit(BpmnLimitExceeded over, IReadOnlyList<ValidationProblem> problems) =>
        Results.Problem(statusCode: 422, title: "BPMN file over a limit", detail: problems[0].Message, extensions: new Dictionary<string, object?>
        {
            ["limit"] = over.Limit,
            ["max"] = over.Max,
            ["line"] = over.Line,
            ["element"] = over.Element,
            ["elementId"] = over.ElementId,
            ["problems"] = problems,
        });

    private static BpmnBody TooLarge(long size) =>
        new(null, Results.Problem(statusCode: 413, title: "BPMN file too large",
            detail: $"The body has at least {size:N0} bytes; a BPMN file may have at most {WeOps.Engine.Parsing.BpmnParser.MaxBytes:N0} bytes (5 MB)."));
}
