using System.Diagnostics;
using System.Runtime;

namespace WeOps.Bench;

/// <summary>Runs a scenario's own work unmeasured until the runtime has stopped recompiling it. Hot code goes from the
/// first tier through an instrumented one to the optimised one over many seconds: a fixed 10 s warm-up left the
/// JIT compiling some 500 methods a second through the first half of the measured run, a tenth of the machine's CPU.
/// A server that has been up a while runs the settled code, and that is what the figures are about.</summary>
public static class WarmUp
{
    /// <summary>Rounds always run for this long.</summary>
    public static readonly TimeSpan Minimum = TimeSpan.FromSeconds(10);

    /// <summary>And stop after this long even if the runtime still compiles (reported on the console).</summary>
    public static readonly TimeSpan Maximum = TimeSpan.FromSeconds(60);

    /// <summary>Methods compiled per second below which the runtime counts as settled.</summary>
    private const double SettledPerSecond = 20;

    /// <summary>Runs <paramref name="round"/> (its argument counts from 1) until <see cref="Minimum"/> has passed and
    /// the last two seconds or more compiled fewer than <see cref="SettledPerSecond"/> methods a second, or until <see cref="Maximum"/>.</summary>
    public static async Task RunAsync(string what, Func<int, Task> round)
    {
        var watch = Stopwatch.StartNew();
        var samples = new Queue<(TimeSpan At, long Compiled)>([(TimeSpan.Zero, JitInfo.GetCompiledMethodCount())]);
        for (var n = 1; ; n++)
        {
            await round(n);
            var now = watch.Elapsed;
            samples.Enqueue((now, JitInfo.GetCompiledMethodCount()));
            // The window: the newest sample at least 2 s old, or the oldest there is (a round may itself take longer).
            while (samples.Count > 2 && now - samples.ElementAt(1).At >= TimeSpan.FromSeconds(2)) samples.Dequeue();
            var (from, compiled) = samples.Peek();
            var perSecond = now - from >= TimeSpan.FromSeconds(1) ? (samples.Last().Compiled - compiled) / (now - from).TotalSeconds : double.PositiveInfinity;
            if (now >= Minimum && perSecond < SettledPerSecond)
            {
                Console.Error.WriteLine($"{what}: warmed up for {now.TotalSeconds:N0} s ({n} rounds)");
                return;
            }

            if (now >= Maximum)
            {
                Console.Error.WriteLine($"{what}: the runtime still compiled {perSecond:N0} methods a second after {Maximum.TotalSeconds:N0} s of warm-up; measuring anyway");
                return;
            }
        }
    }
}
