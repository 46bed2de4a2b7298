using System.ComponentModel;
using System.Diagnostics;

namespace WeOps.Engine.Persistence;

/// <summary>Whether the process a node row names has ended, told from this host's process table rather
/// than from the heartbeat, which says nothing for <see cref="NodeRegistry.Lifetime"/> after a kill.</summary>
internal static class NodeProcess
{
    /// <summary>A process holding the row's id that started later than this after the row's process is
    /// another one that reused the id. Start times are read to the clock tick; the margin only absorbs
    /// a small step of the clock between the two reads, and errs towards "still running".</summary>
    private static readonly TimeSpan StartMargin = TimeSpan.FromSeconds(2);

    /// <summary>When this process started (UTC, the real clock), as its node row records it.</summary>
    public static DateTime CurrentStartedAt { get; } = CurrentStart();

    /// <summary>True only when the node ran on this host and no process has its id now, or the one that
    /// has it started after the node's process (the id was reused), or is a zombie. A node of another host,
    /// or a process that cannot be looked at, counts as running: taking over a live node would let two
    /// nodes write one SQLite file.</summary>
    public static bool HasEnded(NodeRow node)
    {
        if (!string.Equals(node.Host, Environment.MachineName, StringComparison.Ordinal)) return false;
        Process process;
        try
        {
            process = Process.GetProcessById(node.ProcessId);
        }
        catch (ArgumentException)
        {
            return true; // no process has that id
        }

        using (process)
        {
            if (IsZombie(node.ProcessId)) return true;
            try
            {
                return process.StartTime.ToUniversalTime() > DateTime.SpecifyKind(node.StartedAt, DateTimeKind.Utc) + StartMargin;
            }
            catch (InvalidOperationException)
            {
                return true; // it exited between the two looks
            }
            catch (Exception e) when (e is Win32Exception or NotSupportedException)
            {
                return false;
            }
        }
    }

    /// <summary>A killed process its parent has not yet waited for still has its id, but runs nothing.</summary>
    private static bool IsZombie(int processId)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            // "pid (name) state ...": the name may hold spaces and parentheses, the state follows the last ')'.
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            var end = stat.LastIndexOf(')');
            return end >= 0 && end + 2 < stat.Length && stat[end + 2] is 'Z' or 'X';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static DateTime CurrentStart()
    {
        using var current = Process.GetCurrentProcess();
        return current.StartTime.ToUniversalTime();
    }
}
