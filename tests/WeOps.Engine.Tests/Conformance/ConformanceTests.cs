using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using WeOps.Engine.Execution;
using WeOps.Engine.Executors;
using WeOps.Engine.Expressions;
using WeOps.Engine.Parsing;
using WeOps.Engine.Runtime;
using WeOps.Engine.Time;

namespace WeOps.Engine.Tests.Conformance;

/// <summary>Runs every fixture in Fixtures/conformance: a BPMN file and, beside it, a JSON file with the
/// steps to apply and the expected trace, variables and final state.</summary>
public sealed class ConformanceTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "conformance");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Folder, "*.json").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileNameWithoutExtension(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Fixture_runs_as_expected(string name)
    {
        var spec = JsonSerializer.Deserialize<ConformanceCase>(await File.ReadAllTextAsync(Path.Combine(Folder, name + ".json")), ConformanceCase.Json)!;
        var runtime = NewRuntime();
        foreach (var other in spec.Deploy) DeployFile(runtime, other);
        var main = DeployFile(runtime, name + ".bpmn");

        var id = await runtime.StartAsync(main, spec.Variables, startEventId: spec.StartEvent, startedBy: spec.StartedBy);
        for (var i = 0; i < spec.Steps.Count; i++)
        {
            var step = spec.Steps[i];
            await Perform(runtime, id, step);
            if (step.Expect is not null) Check(runtime, id, step.Expect, $"after step {i + 1}");
        }

        Check(runtime, id, spec.Expect, "at the end");
    }

    [Fact]
    public void Every_fixture_has_an_expectation_and_there_are_at_least_sixty()
    {
        var models = Directory.GetFiles(Folder, "*.bpmn").Select(Path.GetFileNameWithoutExtension).ToHashSet();
        var expectations = Directory.GetFiles(Folder, "*.json").Select(Path.GetFileNameWithoutExtension).ToHashSet();
        Assert.Empty(expectations.Except(models));
        Assert.Empty(models.Except(expectations));
        Assert.True(expectations.Count >= 60, $"{expectations.Count} conformance cases; at least 60 are required.");
    }

    [Fact]
    public void Every_fixture_is_listed_in_the_readme()
    {
        var readme = FindReadme();
        var missing = Directory.GetFiles(Folder, "*.json")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(name => !readme.Contains($"| `{name}` |", StringComparison.Ordinal))
            .ToList();
        Assert.True(missing.Count == 0, $"README.md does not list: {string.Join(", ", missing)}");
    }

    private static string FindReadme()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "README.md");
            if (File.Exists(path) && File.Exists(Path.Combine(dir.FullName, "WeOps.sln"))) return File.ReadAllText(path);
        }

        throw new FileNotFoundException("README.md beside WeOps.sln was not found above the test output folder.");
    }

    internal static InMemoryRuntime NewRuntime() =>
        new(new Interpreter(new ExpressionEvaluator()),
            new ExecutorCatalog([new NoopExecutor(), new FailingExecutor(), new SleepingExecutor()]),
            new ManualClock());

    private static string DeployFile(InMemoryRuntime runtime, string file)
    {
        var path = Path.Combine(Folder, file);
        if (!File.Exists(path)) path = Path.Combine(Folder, "called", file);
        var document = BpmnParser.Parse(File.ReadAllText(path));
        var errors = document.Problems.Where(p => p.Severity == WeOps.Engine.Validation.Severity.Error).ToList();
        Assert.True(errors.Count == 0, $"{file} does not parse: {string.Join("; ", errors)}");
        foreach (var process in document.Processes) runtime.Deploy(process);
        return document.Main!.Key;
    }

    private static async Task Perform(InMemoryRuntime runtime, string id, ConformanceStep step)
    {
        if (step.AdvanceClock is not null) await runtime.AdvanceClockAsync(XmlConvert.ToTimeSpan(step.AdvanceClock));
        else if (step.CompleteUserTask is not null) await runtime.CompleteUserTaskAsync(id, step.CompleteUserTask, step.Variables, step.Actor);
        else if (step.PublishMessage is not null) await runtime.PublishMessageAsync(step.PublishMessage, step.CorrelationKey, step.Variables);
        else if (step.BroadcastSignal is not null) await runtime.BroadcastSignalAsync(step.BroadcastSignal, step.Variables);
        else if (step.RetryIncident is not null)
        {
            var incident = runtime.Instance(id).Incidents.FirstOrDefault(i => i.ElementId == step.RetryIncident)
                ?? throw new InvalidOperationException($"No open incident at '{step.RetryIncident}'.");
            await runtime.SendAsync(id, new IncidentRetried(incident.Id, step.Actor));
        }
        else if (step.SetVariables) await runtime.SendAsync(id, new VariablesUpdated(step.Variables ?? [], step.Actor));
        else if (step.Cancel) await runtime.SendAsync(id, new InstanceCancelled("cancelled by the test", step.Actor));
        else if (step.Expect is null) throw new InvalidOperationException("A step must name one action, or only an expectation.");
    }

    private static void Check(InMemoryRuntime runtime, string id, ConformanceExpectation expect, string when)
    {
        var state = runtime.Instance(id);
        var history = runtime.History(id);
        var context = $"{when}; incidents: [{string.Join("; ", state.Incidents.Select(i => $"{i.ElementId}: {i.Message}"))}]";
        if (expect.Completed is not null)
        {
            var trace = history
                .Where(h => h.Kind == HistoryKind.Completed && h.ElementType != HistoryEntry.MultiInstanceBodyType)
                .Select(h => h.ElementId!)
                .ToList();
            Assert.True(expect.Completed.SequenceEqual(trace),
                $"Completed {when}:\n expected [{string.Join(", ", expect.Completed)}]\n actual   [{string.Join(", ", trace)}]\n{context}");
        }

        if (expect.State is not null) Assert.True(expect.State == state.Status.ToString(), $"State {when}: expected {expect.State}, was {state.Status}; {context}");
        if (expect.Variables is not null)
        {
            foreach (var (name, value) in expect.Variables)
            {
                Assert.True(state.Variables.TryGetPropertyValue(name, out var actual), $"Variable '{name}' is missing {when}; variables: {state.Variables.ToJsonString()}");
                Assert.True(JsonNode.DeepEquals(value, actual), $"Variable '{name}' {when}: expected {value?.ToJsonString() ?? "null"}, was {actual?.ToJsonString() ?? "null"}");
            }
        }

        foreach (var name in expect.Absent ?? [])
            Assert.False(state.Variables.ContainsKey(name), $"Variable '{name}' should not exist {when}: {state.Variables.ToJsonString()}");
        if (expect.Incidents is not null)
            Assert.Equal(expect.Incidents.Order(), state.Incidents.Select(i => i.ElementId).Order());
        if (expect.Waiting is not null)
            Assert.True(expect.Waiting.Order().SequenceEqual(state.Waits.Select(w => w.ElementId).Order()),
                $"Waiting {when}: expected [{string.Join(", ", expect.Waiting.Order())}], was [{string.Join(", ", state.Waits.Select(w => w.ElementId).Order())}]");
        if (expect.Children is not null)
        {
            var children = runtime.ChildrenOf(id).Select(c => c.Status.ToString()).ToList();
            Assert.True(expect.Children.SequenceEqual(children), $"Children {when}: expected [{string.Join(", ", expect.Children)}], was [{string.Join(", ", children)}]");
        }

        if (expect.Cancelled is not null)
        {
            var cancelled = history.Where(h => h.Kind == HistoryKind.Cancelled).Select(h => h.ElementId!).ToList();
            Assert.True(expect.Cancelled.SequenceEqual(cancelled), $"Cancelled {when}: expected [{string.Join(", ", expect.Cancelled)}], was [{string.Join(", ", cancelled)}]");
        }
    }
}
