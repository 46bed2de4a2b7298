using WeOps.Bench;

// Bound runaway regular expressions in scripts before any Regex is created (see ExpressionEvaluator).
AppContext.SetData("REGEX_DEFAULT_MATCH_TIMEOUT", TimeSpan.FromSeconds(2));

// Console benchmark: runs each scenario after a warm-up and prints one table.
// Usage: dotnet run -c Release --project bench/WeOps.Bench [-- --quick] [-- --filter name]
//        dotnet run -c Release --project bench/WeOps.Bench -- durable [--postgres "connection string"] [--scale 0.1] [--filter schedules] [--db sqlite|postgres]
//        dotnet run -c Release --project bench/WeOps.Bench -- alerts [--postgres "connection string"] [--alerts 5000 --fingerprints 200 --rate 500]
//        dotnet run -c Release --project bench/WeOps.Bench -- tickets [--postgres "connection string"] [--count 2000]
if (args.FirstOrDefault() == "alerts")
{
    Environment.ExitCode = await AlertStormBench.RunAsync(args, Console.Out);
    return;
}

if (args.FirstOrDefault() == "durable")
{
    var durable = await DurableBench.RunAsync(args);
    DurableBench.Print(durable, Console.Out);
    return;
}

if (args.FirstOrDefault() == "tickets")
{
    DurableBench.Print(await TicketBench.RunAsync(args), Console.Out);
    return;
}

var quick = args.Contains("--quick");
var filter = args.SkipWhile(a => a != "--filter").Skip(1).FirstOrDefault();
var scenarios = EngineScenarios.All(quick).Concat(ApprovalScenarios.All(quick)).Where(s => filter is null || s.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)).ToList();
var results = new List<Measurement>();
foreach (var scenario in scenarios)
{
    Console.Error.WriteLine($"running {scenario.Name}...");
    results.Add(await Runner.MeasureAsync(scenario));
}

Table.Print(results, Console.Out);
