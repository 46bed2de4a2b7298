using System.Runtime.ExceptionServices;

namespace WeOps.Engine.Expressions;

/// <summary>Runs JavaScript work on a thread of its own, with a stack large enough that the statement limit
/// stops runaway recursion before the stack overflows.</summary>
/// <remarks>
/// Jint 2.10 counts only explicit calls against its recursion limit: a getter that reads itself, or a
/// <c>valueOf</c> that converts its own object, recurses until the .NET stack overflows, and a stack overflow
/// ends the whole process. Each level of such recursion runs at least one statement and takes about 1 KB of
/// stack, so a stack of 2 KB per allowed statement lets the statement limit fire first. The thread also gives a
/// hard wall-clock limit: Jint checks its own timeout only between statements, so one long call (a huge
/// <c>join</c>, a runaway regular expression) would otherwise hold the caller for as long as it runs. Such a
/// thread is left behind, as a background thread, when the caller stops waiting.
/// </remarks>
internal static class ScriptThread
{
    public static int StackBytesFor(ExpressionLimits limits) =>
        (int)Math.Clamp(limits.MaxStatements * 2048L, 64L * 1024 * 1024, 1024L * 1024 * 1024);

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
}
