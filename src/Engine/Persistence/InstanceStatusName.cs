using WeOps.Engine.Execution;

namespace WeOps.Engine.Persistence;

public static class InstanceStatusName
{
    /// <summary>The status the API shows: "running" while a worker has something to do for the instance
    /// (a job or a called instance), "waiting" while only the outside world can move it (a person, a
    /// message, a timer); then "faulted", "completed", "failed" (a called instance ended by an error) or
    /// "cancelled".</summary>
    public static string Of(InstanceState state) => state.Status switch
    {
        InstanceStatus.Running when !state.Waits.Any(w => w is JobWait or ChildInstanceWait) => "waiting",
        _ => state.Status.ToString().ToLowerInvariant(),
    };
}
