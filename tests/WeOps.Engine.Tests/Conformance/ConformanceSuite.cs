using System.Text.Json;

namespace WeOps.Engine.Tests.Conformance;

/// <summary>Runs every fixture in Fixtures/conformance on the durable engine over the database of the class: a BPMN
/// file and, beside it, a JSON file with the steps to apply and the expected trace, variables and final state.</summary>
public abstract class ConformanceSuite(ConformanceDatabase database)
{
    public static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "conformance");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Folder, "*.json").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileNameWithoutExtension(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases), MemberType = typeof(ConformanceSuite))]
    public async Task Fixture_runs_as_expected(string name)
    {
        var spec = JsonSerializer.Deserialize<ConformanceCase>(await File.ReadAllTextAsync(Path.Combine(Folder, name + ".json")), ConformanceCase.Json)!;
        var driver = await database.DriverAsync(Folder);
        foreach (var other in spec.Deploy) await driver.PublishAsync(other);
        var main = await driver.PublishAsync(name + ".bpmn");

        var id = await driver.StartAsync(main, spec.Variables, spec.StartEvent, spec.StartedBy);
        for (var i = 0; i < spec.Steps.Count; i++)
        {
            var step = spec.Steps[i];
            await driver.PerformAsync(id, step);
            if (step.Expect is not null) await driver.CheckAsync(id, step.Expect, $"after step {i + 1}");
        }

        await driver.CheckAsync(id, spec.Expect, "at the end");
    }
}
