using System.Diagnostics;

namespace WeOps.Bench;

/// <summary>A unit of work measured <see cref="Iterations"/> times; <see cref="Target"/> names the goal, if any.</summary>
public sealed record Scenario(string Name, int Iterations, Func<int, Task> Run, string? Target = null, Func<Measurement, bool>? Meets = null)
{
    public Func<Task>? Setup { get; init; }
}

public sealed record Measurement(Scenario Scenario, TimeSpan Elapsed, long AllocatedBytes)
{
    public double MicrosecondsPerOp => Elapsed.TotalMicroseconds / Scenario.Iterations;
    public double OpsPerSecond => Scenario.Iterations / Elapsed.TotalSeconds;
    public double KilobytesPerOp => AllocatedBytes / 1024.0 / Scenario.Iterations;
}

public static class Runner
{
    public static async Task<Measurement> MeasureAsync(Scenario scenario)
    {
        if (scenario.Setup is not null) await scenario.Setup();
        var warmup = Math.Max(1, scenario.Iterations / 10);
        for (var i = 0; i < warmup; i++) await scenario.Run(i);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var total = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < scenario.Iterations; i++) await scenario.Run(i);
        watch.Stop();
        var used = Math.Max(GC.GetAllocatedBytesForCurrentThread() - allocated, GC.GetTotalAllocatedBytes(precise: true) - total);
        return new Measurement(scenario, watch.Elapsed, used);
    }
}

public static class Table
{
    public static void Print(IReadOnlyList<Measurement> results, TextWriter output)
    {
        string[] headers = ["scenario", "ops", "total ms", "µs/op", "ops/s", "KB/op", "target", "met"];
        var rows = results.Select(r => new[]
        {
            r.Scenario.Name,
            r.Scenario.Iterations.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
            r.Elapsed.TotalMilliseconds.ToString("N1", System.Globalization.CultureInfo.InvariantCulture),
            r.MicrosecondsPerOp.ToString("N1", System.Globalization.CultureInfo.InvariantCulture),
            r.OpsPerSecond.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
            r.KilobytesPerOp.ToString("N1", System.Globalization.CultureInfo.InvariantCulture),
            r.Scenario.Target ?? "",
            r.Scenario.Meets is null ? "" : r.Scenario.Meets(r) ? "yes" : "NO",
        }).ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        string Line(IReadOnlyList<string> cells) =>
            "| " + string.Join(" | ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))) + " |";
        output.WriteLine(Line(headers));
        output.WriteLine("|" + string.Join("|", widths.Select((w, i) => i == 0 ? new string('-', w + 2) : new string('-', w + 1) + ":")) + "|");
        foreach (var row in rows) output.WriteLine(Line(row));
    }
}
