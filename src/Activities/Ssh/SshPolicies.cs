namespace WeOps.Activities.Ssh;

/// <summary>What happens to the hosts not yet started once one has failed.</summary>
public enum OnFailure
{
    /// <summary>Every host runs.</summary>
    Continue,

    /// <summary>No new host starts; those running finish; the rest are reported as skipped.</summary>
    Stop,
}

/// <summary>When host failures fail the step with the BPMN error <c>SSH_FAILED</c>; otherwise they
/// are only reported in the output.</summary>
public enum FailWhen
{
    AnyHost,
    AllHosts,
    Never,
}

/// <summary>How a host's key is checked.</summary>
public enum HostKeyPolicy
{
    /// <summary>The key must be in the inventory's known-hosts lines or the configured known_hosts file.</summary>
    Strict,

    /// <summary>A host with no known key is trusted on first use (only when the server allows it); a
    /// changed key is still refused.</summary>
    AcceptNew,
}
