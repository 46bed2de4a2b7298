namespace WeOps.Server.Hooks;

/// <summary>The "Hooks" section of configuration.</summary>
public sealed class HookOptions
{
    public const string Section = "Hooks";

    public static readonly TimeSpan MinTimestampWindow = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MaxTimestampWindow = TimeSpan.FromHours(1);

    /// <summary>How far a signed delivery's timestamp may be from the server's clock, either way. A replayed
    /// delivery is refused for as long as its timestamp is inside it; after that the timestamp refuses it.</summary>
    public TimeSpan TimestampWindow { get; set; } = TimeSpan.FromMinutes(5);
}
