using WeOps.Engine.Executors;

namespace WeOps.Activities.Ssh;

/// <summary>What happens to the hosts not yet started once one has failed.</summary>
public enum OnFailure
{
    /// <summary>Every host runs.</summary>
    [OptionLabel("Continue with the other hosts", "继续执行其他主机")]
    Continue,

    /// <summary>No new host starts; those running finish; the rest are reported as skipped.</summary>
    [OptionLabel("Start no further host", "不再启动其他主机")]
    Stop,
}

/// <summary>When host failures fail the step with the BPMN error <c>SSH_FAILED</c>; otherwise they
/// are only reported in the output.</summary>
public enum FailWhen
{
    [OptionLabel("Any host fails", "任一主机失败")]
    AnyHost,

    [OptionLabel("All hosts fail", "全部主机失败")]
    AllHosts,

    [OptionLabel("Never (report only)", "从不（仅报告）")]
    Never,
}

/// <summary>How a host's key is checked.</summary>
public enum HostKeyPolicy
{
    /// <summary>The key must be in the inventory's known-hosts lines or the configured known_hosts file.</summary>
    [OptionLabel("Known keys only", "仅限已知密钥")]
    Strict,

    /// <summary>A host with no known key is trusted on first use (only when the server allows it); a
    /// changed key is still refused.</summary>
    [OptionLabel("Trust a new host on first use", "首次连接时信任新主机")]
    AcceptNew,
}
