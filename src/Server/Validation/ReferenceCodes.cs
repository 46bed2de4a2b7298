using WeOps.Engine.Validation;

namespace WeOps.Server.Validation;

/// <summary>The problems <see cref="ReferenceCheck"/> reports: names in a process that this server does not know.
/// Warnings, because what a process names may be created after it is drawn.</summary>
public static class ReferenceCodes
{
    public static readonly ProblemCode UnknownUser = new("directory.unknown-user", "{element}: {user} is not a user in the user directory, so nobody can act as them here.");
    public static readonly ProblemCode EmptyGroup = new("directory.unknown-group", "{element}: nobody in the user directory is in the group {group}.");
    public static readonly ProblemCode UnknownCredential = new("credential.unknown", "{element}: there is no credential named {credential}; create it under Credentials or choose another.");
    public static readonly ProblemCode UnknownHost = new("inventory.unknown-host", "{element}: the host {host} is not in the inventory and is not an address.");
    public static readonly ProblemCode NoHostWithTags = new("inventory.no-host-with-tags", "{element}: no host in the inventory matches {filter}.");
    public static readonly ProblemCode UnknownProcess = new("call.unknown-process", "{element} calls the process {process}, which is not published on this server.");

    /// <summary>Every code above.</summary>
    public static IReadOnlyList<ProblemCode> All { get; } = [UnknownUser, EmptyGroup, UnknownCredential, UnknownHost, NoHostWithTags, UnknownProcess];
}
