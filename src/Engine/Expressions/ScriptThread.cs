using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace WeOps.Engine.Expressions;

/// <summary>Runs JavaScript work on a thread of its own, with a stack large enough that the statement limit
/// stops runaway recursion before the stack overflows.</summary>
/// <remarks>
/// Jint counts only explicit calls against its recursion limit: a <c>valueOf</c> that converts its own object
/// recurses until the .NET stack overflows, and a stack overflow ends the whole process. Each level of such
/// recursion runs at least one statement and takes up to about 5 KB of stack in Jint 4 (measured: 100,000 levels
/// fit in 512 MB), so a stack of 6 KB per allowed statement lets the statement limit fire first. The thread also
/// gives a hard wall-clock limit should the engine's own deadline, which Jint checks inside long built-in calls
/// too, ever be missed. Such a thread is left behind, as a background thread, when the caller stops waiting.
/// On Linux the thread runs at a lower CPU priority (nice <see cref="Nice"/>) than the engine's own threads: a script
/// that loops until its time limit takes what the steps of other instances leave of a core, not a core of its own.
/// The thread is new for each evaluation and ends with it, so its priority is never given back to other work.
/// </remarks>
internal static class ScriptThread
{
    /// <summary>The nice value of a script thread on Linux: with the engine's threads at 0, the scheduler gives a
    /// spinning script about a tenth of the time of each busy engine thread beside it, and all of an idle core.</summary>
    public const int Nice = 10;

    public const long BytesPerStatement = 6 * 1024;
    public const long MaxStackBytes = 1024L * 1024 * 1024;

    /// <summary>The most statements whose recursion a script thread's stack can hold.</summary>
    public const int MaxStatements = (int)(MaxStackBytes / BytesPerStatement);

    public static int StackBytesFor(ExpressionLimits limits) =>
        (int)Math.Clamp(limits.MaxStatements * BytesPerStatement, 64L * 1024 * 1024, MaxStackBytes);

    /// <exception cref="TimeoutException">The work did not finish within <paramref name="waitLimit"/>.</exception>
    public static T Run<T>(Func<T> work, int stackBytes, TimeSpan waitLimit)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    LowerPriority();
                    result = work();
                }
                catch (Exception e)
                {
                    failure = ExceptionDispatchInfo.Capture(e);
                }
            },
            stackBytes)
        {
            IsBackground = true,
            Name = "WeOps script",
        };
        thread.Start();
        if (!thread.Join(waitLimit)) throw new TimeoutException();
        failure?.Throw();
        return result;
    }

    /// <summary>Sets the calling thread's nice value to <see cref="Nice"/>; on Linux the nice value is a thread's own.
    /// Raising it needs no privilege; where it fails the script runs at normal priority.</summary>
    private static void LowerPriority()
    {
        if (OperatingSystem.IsLinux()) _ = SetPriority(PrioProcess, 0, Nice);
    }

    private const int PrioProcess = 0;

    // Blittable arguments only, so no marshalling code is needed.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "setpriority")]
    private static extern int SetPriority(int which, int who, int priority);
#pragma warning restore SYSLIB1054
}
