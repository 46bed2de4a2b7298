using System.Text;
using System.Xml;
using System.Xml.Linq;
using WeOps.Engine.Model;
using WeOps.Engine.Validation;
using static WeOps.Engine.Parsing.BpmnNamespaces;

namespace WeOps.Engine.Parsing;

/// <summary>Reads BPMN 2.0 XML into process graphs. Never throws for a bad file: what is wrong with it
/// comes back as problems. A file that cannot be read at all gets exactly one problem and no process.</summary>
public static class BpmnParser
{
    public const int MaxBytes = 5 * 1024 * 1024;

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxBytes,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = true,
    };

    /// <summary>Reads the file under <paramref name="limits"/> (<see cref="BpmnLimits.Default"/> when null).</summary>
    public static BpmnDocument Parse(string xml, BpmnLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        if (xml.Length > MaxBytes || Encoding.UTF8.GetByteCount(xml) > MaxBytes) return TooLarge();
        if (string.IsNullOrWhiteSpace(xml)) return Empty();

        // Text decoded without dropping the byte order mark (Encoding.UTF8.GetString does that) still reads.
        var start = xml[0] == '\uFEFF' ? 1 : 0;
        return Read(() => XmlReader.Create(new StringReader(start == 0 ? xml : xml[start..]), Settings), limits ?? BpmnLimits.Default);
    }

    /// <summary>Reads at most <see cref="MaxBytes"/> + 1 bytes from the stream; the caller owns it.</summary>
    public static BpmnDocument Parse(Stream stream, BpmnLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var content = new MemoryStream();
        var buffer = new byte[81920];
        while (content.Length <= MaxBytes)
        {
            var wanted = (int)Math.Min(buffer.Length, MaxBytes + 1 - content.Length);
            var read = stream.Read(buffer, 0, wanted);
            if (read == 0) break;
            content.Write(buffer, 0, read);
        }

        if (content.Length > MaxBytes) return TooLarge();
        if (content.Length == 0) return Empty();

        return Read(() => XmlReader.Create(new MemoryStream(content.GetBuffer(), 0, (int)content.Length, writable: false), Settings), limits ?? BpmnLimits.Default);
    }

    /// <summary>Reads the file twice: first as a stream of elements that stops at the first one over a limit,
    /// then, within the limits, into the document the processes are read from. The first pass holds no more
    /// than one element at a time, so a file far over the limits costs what reading up to them costs.</summary>
    private static BpmnDocument Read(Func<XmlReader> open, BpmnLimits limits)
    {
        XDocument document;
        try
        {
            using (var reader = open())
            {
                if (FirstOverLimit(reader, limits) is { } over) return Refused(over);
            }

            using (var reader = open())
            {
                document = XDocument.Load(reader, LoadOptions.SetLineInfo);
            }
        }
        catch (XmlException e)
        {
            return Unreadable(e);
        }

        var root = document.Root!;
        if (root.Name != Bpmn + "definitions")
        {
            var ns = root.Name.NamespaceName.Length == 0 ? "no namespace" : $"namespace '{root.Name.NamespaceName}'";
            return Failed($"This is not a BPMN 2.0 file: its root element is <{root.Name.LocalName}> in {ns}, where a BPMN file has <definitions> in namespace '{Bpmn.NamespaceName}'. Export the diagram as BPMN 2.0 XML.", root);
        }

        var processElements = root.Elements(Bpmn + "process").ToList();
        if (processElements.Count == 0)
            return Failed("The file has no process, so there is nothing to run: draw the process (a pool with content, or a diagram without pools) and save again.", root);

        var context = new ParseContext(root);
        var processes = new List<ProcessGraph>();
        var problemsOf = new Dictionary<ProcessGraph, (int From, int To)>(ReferenceEqualityComparer.Instance);
        foreach (var element in processElements)
        {
            var from = context.Problems.Count;
            if (new ProcessReader(context).Read(element) is not { } process) continue;
            processes.Add(process);
            problemsOf[process] = (from, context.Problems.Count);
        }

        // A pool that is only drawn (not executable, beside an executable one) is stored as it is; what its
        // extensions say is not checked, as nothing of it runs.
        var read = new BpmnDocument(processes, context.Problems);
        var drawnOnly = processes.Except(read.Runnable).Select(p => problemsOf[p]).ToList();
        if (drawnOnly.Count == 0) return read;
        var kept = context.Problems.Where((_, i) => !drawnOnly.Any(range => i >= range.From && i < range.To)).ToList();
        return read with { Problems = kept };
    }

    /// <summary>The first element over the element count or the depth limit, where reading stops; null when
    /// the whole file is within both. Malformed XML before that point throws, as loading would.</summary>
    private static BpmnLimitExceeded? FirstOverLimit(XmlReader reader, BpmnLimits limits)
    {
        var elements = 0;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element) continue;
            elements++;
            var limit = elements > limits.MaxElements ? BpmnLimit.Elements
                : reader.Depth + 1 > limits.MaxDepth ? BpmnLimit.Depth
                : (BpmnLimit?)null;
            if (limit is null) continue;

            var line = reader is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : (int?)null;
            var max = limit == BpmnLimit.Elements ? limits.MaxElements : limits.MaxDepth;
            return new BpmnLimitExceeded(limit.Value, max, line, reader.Name, ParseContext.NonEmpty(reader.GetAttribute("id")));
        }

        return null;
    }

    private static BpmnDocument Refused(BpmnLimitExceeded over)
    {
        var element = $"<{over.Element}>{(over.ElementId is null ? "" : $" '{over.ElementId}'")}{(over.Line is null ? "" : $" on line {over.Line:N0}")}";
        var message = over.Limit == BpmnLimit.Elements
            ? $"The file has more than {over.Max:N0} elements, the most a BPMN file may have, so it was not read: reading stopped at element {over.Max + 1:N0}, {element}. Split the process into called processes."
            : $"The file nests elements deeper than {over.Max:N0} levels, the most a BPMN file may have, so it was not read: reading stopped at {element}, on level {over.Max + 1:N0}. Flatten the process or move parts into called processes.";
        return new BpmnDocument([], [ValidationProblem.Error(over.ElementId, message, over.Line)]) { OverLimit = over };
    }

    private static BpmnDocument Unreadable(XmlException e)
    {
        var line = e.LineNumber > 0 ? e.LineNumber : (int?)null;

        // The reader refuses DTDs outright (no entity is ever expanded); say so plainly.
        var message = e.Message.Contains("DTD", StringComparison.Ordinal)
            ? "The file contains a document type declaration (<!DOCTYPE ...>), which a BPMN file must not have; it was not read. If this is a web page, download the .bpmn file itself."
            : $"The file is not well-formed XML, so it was not read: {e.Message}";
        return new BpmnDocument([], [ValidationProblem.Error(null, message, line)]);
    }

    private static BpmnDocument TooLarge() =>
        new([], [ValidationProblem.Error(null, $"The file is larger than {MaxBytes / (1024 * 1024)} MB, so it was not read. Split the process into called processes.")]);

    private static BpmnDocument Empty() =>
        new([], [ValidationProblem.Error(null, "The file is empty: there is no BPMN in it.")]);

    private static BpmnDocument Failed(string message, XElement at) =>
        new([], [ValidationProblem.Error(null, message, ParseContext.LineOf(at))]);
}
