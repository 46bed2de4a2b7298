using System.Text;
using WeOps.Engine.Parsing;
using WeOps.Engine.Validation;
using static WeOps.Engine.Tests.Parsing.BpmnText;

namespace WeOps.Engine.Tests.Parsing;

public sealed class BpmnParserInputTests
{
    /// <summary>A file that cannot be read at all: one error about the file as a whole, no process.</summary>
    private static ValidationProblem Unreadable(BpmnDocument document, string phrase)
    {
        Assert.Empty(document.Processes);
        var problem = Assert.Single(document.Problems);
        Assert.Equal((null, Severity.Error), (problem.ElementId, problem.Severity));
        Assert.Contains(phrase, problem.Message, StringComparison.OrdinalIgnoreCase);
        return problem;
    }

    [Theory]
    [InlineData("not-xml.bpmn", "not well-formed XML")]
    [InlineData("truncated-xml.bpmn", "not well-formed XML")]
    [InlineData("root-not-bpmn-definitions.bpmn", "not a BPMN 2.0 file")]
    [InlineData("html-page.bpmn", "document type declaration")]
    [InlineData("collaboration-without-process.bpmn", "no process")]
    public void Unreadable_file_gets_exactly_one_clear_problem(string fixture, string phrase)
    {
        Unreadable(ParseFixture("invalid", fixture), phrase);
    }

    [Fact]
    public void Malformed_xml_problem_carries_the_line_the_reader_reports()
    {
        var problem = Unreadable(ParseFixture("invalid", "truncated-xml.bpmn"), "not well-formed");

        Assert.True(problem.Line >= 7, $"line {problem.Line}");
    }

    [Fact]
    public void Wrong_root_names_what_it_found_and_what_is_expected()
    {
        var problem = Unreadable(ParseFixture("invalid", "root-not-bpmn-definitions.bpmn"), "not a BPMN 2.0 file");

        Assert.Contains("http://schema.omg.org/spec/BPMN/2.0", problem.Message, StringComparison.Ordinal);
        Assert.Contains("http://www.omg.org/spec/BPMN/20100524/MODEL", problem.Message, StringComparison.Ordinal);
        Assert.Equal(2, problem.Line);
    }

    [Fact]
    public void Html_root_without_doctype_is_not_bpmn()
    {
        Unreadable(BpmnParser.Parse("<html><body><p>Sign in</p></body></html>"), "root element is <html>");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t")]
    public void Empty_input_is_one_problem(string xml)
    {
        Unreadable(BpmnParser.Parse(xml), "empty");
    }

    [Fact]
    public void Empty_stream_is_one_problem()
    {
        Unreadable(BpmnParser.Parse(new MemoryStream()), "empty");
    }

    [Fact]
    public void Doctype_is_refused_and_no_entity_is_expanded()
    {
        var xml = File.ReadAllText(FixturePath("invalid", "doctype-with-external-entity.bpmn"));

        // One problem and no process: the reader stops at the DOCTYPE, before any entity is declared.
        Unreadable(BpmnParser.Parse(xml), "document type declaration");
    }

    [Fact]
    public void Entity_expansion_bomb_is_refused()
    {
        const string bomb = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
            <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p" name="&lol2;"/></definitions>
            """;

        Unreadable(BpmnParser.Parse(bomb), "document type declaration");
    }

    [Theory]
    [InlineData("\uFEFF<?xml version=\"1.0\" encoding=\"UTF-8\"?>")]
    [InlineData("<?xml version=\"1.0\" encoding=\"UTF-16\"?>")]
    [InlineData("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>")]
    public void Text_is_read_whatever_encoding_its_declaration_names(string declaration)
    {
        var xml = declaration + Process("""<bpmn:startEvent id="s" name="Störung"/>""")[(Process("").IndexOf('\n', StringComparison.Ordinal))..];

        var document = BpmnParser.Parse(xml);

        Assert.Empty(document.Problems);
        Assert.Equal("Störung", document.Processes[0].Node("s").Name);
    }

    [Theory]
    [InlineData("utf-8", true)]
    [InlineData("utf-16", true)]
    [InlineData("utf-8", false)]
    public void Stream_is_decoded_by_its_byte_order_mark_or_declaration(string encodingName, bool byteOrderMark)
    {
        var encoding = encodingName == "utf-8" ? new UTF8Encoding(byteOrderMark) : (Encoding)new UnicodeEncoding(false, byteOrderMark);
        var xml = $"<?xml version=\"1.0\" encoding=\"{encodingName}\"?>" + Process("""<bpmn:startEvent id="s" name="Störung"/>""")[(Process("").IndexOf('\n', StringComparison.Ordinal))..];
        using var stream = new MemoryStream([.. encoding.GetPreamble(), .. encoding.GetBytes(xml)]);

        var document = BpmnParser.Parse(stream);

        Assert.Empty(document.Problems);
        Assert.Equal("Störung", document.Processes[0].Node("s").Name);
    }

    [Fact]
    public void File_over_the_size_limit_is_refused_as_text()
    {
        var xml = SixMegabytes();

        Unreadable(BpmnParser.Parse(xml), "larger than 5 MB");
    }

    [Fact]
    public void File_over_the_size_limit_is_refused_as_stream()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(SixMegabytes()));

        Unreadable(BpmnParser.Parse(stream), "larger than 5 MB");
    }

    [Fact]
    public void Stream_is_read_no_further_than_one_byte_past_the_limit()
    {
        using var endless = new EndlessStream();

        Unreadable(BpmnParser.Parse(endless), "larger than 5 MB");

        Assert.Equal(BpmnParser.MaxBytes + 1, endless.BytesRead);
    }

    [Fact]
    public void Multibyte_text_is_measured_in_utf8_bytes()
    {
        // 2 million characters of 3 bytes each: under the limit as characters, over it as bytes.
        var xml = Process($"""<bpmn:startEvent id="s" name="{new string('界', 2_000_000)}"/>""");

        Unreadable(BpmnParser.Parse(xml), "larger than 5 MB");
    }

    [Fact]
    public void File_just_under_the_limit_is_read()
    {
        var padding = new string(' ', BpmnParser.MaxBytes - Process("<bpmn:startEvent id=\"s\"/>").Length - 10);
        var xml = Process($"<bpmn:startEvent id=\"s\"/>{padding}");

        var document = BpmnParser.Parse(xml);

        Assert.Empty(document.Problems);
        Assert.Single(document.Processes);
    }

    [Fact]
    public void Element_without_id_is_a_problem_and_left_out()
    {
        var document = BpmnParser.Parse(Process("""<bpmn:startEvent id="s"/><bpmn:task name="Nameless"/>"""));

        var problem = Assert.Single(document.Problems);
        Assert.Equal((null, Severity.Error), (problem.ElementId, problem.Severity));
        Assert.Contains("<task>", problem.Message, StringComparison.Ordinal);
        Assert.Equal(["s"], document.Processes[0].Nodes.Select(n => n.Id));
    }

    [Fact]
    public void Duplicate_id_is_a_problem_naming_it_and_the_second_element_is_left_out()
    {
        var document = ParseFixture("invalid", "duplicate-ids.bpmn");

        var problem = Assert.Single(document.Problems);
        Assert.Equal(("Activity_Check", Severity.Error), (problem.ElementId, problem.Severity));
        Assert.Contains("'Activity_Check'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("lines 5 and 6", problem.Message, StringComparison.Ordinal);
        Assert.Equal("Check backups", document.Processes[0].Node("Activity_Check").Name);
    }

    [Fact]
    public void Ids_must_be_unique_across_processes_and_flows()
    {
        var document = BpmnParser.Parse(Definitions("""
            <bpmn:process id="a"><bpmn:startEvent id="shared"/></bpmn:process>
            <bpmn:process id="b"><bpmn:startEvent id="s"/><bpmn:sequenceFlow id="shared" sourceRef="s" targetRef="s"/></bpmn:process>
            """));

        var problem = Assert.Single(document.Problems);
        Assert.Equal("shared", problem.ElementId);
        Assert.Empty(document.Processes[1].Flows);
    }

    [Fact]
    public void Flow_to_a_missing_target_is_kept_for_the_validator()
    {
        var document = ParseFixture("invalid", "flow-to-missing-target.bpmn");

        Assert.Empty(document.Problems);
        var flow = Assert.Single(document.Processes[0].Flows);
        Assert.Equal(("StartEvent_1", "Activity_Deleted"), (flow.SourceId, flow.TargetId));
        Assert.Equal(["Flow_ToGhost"], document.Processes[0].Node("StartEvent_1").Outgoing);
    }

    [Fact]
    public void Sub_processes_nested_64_deep_are_read()
    {
        var document = BpmnParser.Parse(Nested(64));

        Assert.Empty(document.Problems);
        Assert.Equal("sub64", document.Processes[0].Node("leaf").ScopeId);
    }

    [Theory]
    [InlineData(65)]
    [InlineData(90)]
    public void Sub_processes_nested_too_deep_are_one_problem_and_no_crash(int depth)
    {
        var document = BpmnParser.Parse(Nested(depth));

        Assert.Empty(document.Processes);
        var problem = Assert.Single(document.Problems);
        Assert.Equal(("sub65", Severity.Error), (problem.ElementId, problem.Severity));
        Assert.Contains("nested deeper than 64 levels", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ten_thousand_elements_parse()
    {
        var document = BpmnParser.Parse(LargeProcess.Chain(10_000), BpmnLimits.None);

        Assert.Empty(document.Problems);
        var process = Assert.Single(document.Processes);
        Assert.Equal(10_002, process.Nodes.Count());
        Assert.Equal(10_001, process.Flows.Count());
    }

    private static string SixMegabytes() =>
        Process($"""<bpmn:startEvent id="s"><bpmn:documentation>{new string('x', 6 * 1024 * 1024)}</bpmn:documentation></bpmn:startEvent>""");

    private static string Nested(int depth)
    {
        var text = new StringBuilder();
        for (var level = 1; level <= depth; level++) text.Append($"""<bpmn:subProcess id="sub{level}">""");
        text.Append("""<bpmn:task id="leaf"/>""");
        for (var level = 1; level <= depth; level++) text.Append("</bpmn:subProcess>");
        return Process(text.ToString());
    }

    /// <summary>Never ends; counts what is read from it.</summary>
    private sealed class EndlessStream : Stream
    {
        public long BytesRead { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill((byte)' ');
            BytesRead += count;
            return count;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
