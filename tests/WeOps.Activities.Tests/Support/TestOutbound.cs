using WeOps.Activities.Network;

namespace WeOps.Activities.Tests.Support;

/// <summary>Outbound policies for executor tests. The peers of most tests (HTTP receivers, the cloud and
/// Kubernetes emulations, sshd, the SMTP server) listen on loopback, which the policy refuses by default:
/// those tests allow it as a server's configuration would, with <c>Outbound:Allow</c>.</summary>
public static class TestOutbound
{
    /// <summary>The configuration <c>Outbound:Allow=127.0.0.0/8,::1</c>.</summary>
    public static OutboundPolicy LoopbackAllowed { get; } = new(new OutboundOptions { Allow = ["127.0.0.0/8", "::1"] });

    /// <summary>No Outbound settings at all.</summary>
    public static OutboundPolicy Defaults { get; } = new(new OutboundOptions());
}
