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
        CloseInput = false,
    };

    public static BpmnDocument Parse(string xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        if (xml.Length > MaxBytes || Encoding.UTF8.GetByteCount(xml) > MaxBytes) return TooLarge();
        if (string.IsNullOrWhiteSpace(xml)) return Empty();

        // Text decoded without dropping the byte order mark (Encoding.UTF8.GetString does that) still reads.
        using var text = new StringReader(xml[0] == '\uFEFF' ? xml[1..] : xml);
        return Read(XmlReader.Create(text, Settings));
    }

    /// <summary>Reads at most <see cref="MaxBytes"/> + 1 bytes from the stream; the caller owns it.</summary>
    public static BpmnDocument Parse(Stream stream)
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

        content.Position = 0;
        return Read(XmlReader.Create(content, Settings));
    }

    private static BpmnDocument Read(XmlReader reader)
    {
        XDocument document;
        try
        {
            using (reader)
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
        foreach (var element in processElements)
        {
            if (new ProcessReader(context).Read(element) is { } process) processes.Add(process);
        }

        return new BpmnDocument(processes, context.Problems);
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
