namespace WeOps.Engine.Persistence;

/// <summary>An audit line that a store saves in the same transaction as the change it records: the change
/// and its line commit together or not at all.</summary>
public sealed record AuditNote(string Action, string? Actor, string? Detail, string? Address = null)
{
    public const int MaxActionLength = 40;
    public const int MaxActorLength = 200;
    public const int MaxAddressLength = 64;
    public const int MaxDetailLength = 2000;

    /// <summary>Adds the line to <paramref name="db"/>, to be saved with the change.</summary>
    public void AddTo(WeOpsDb db, DateTimeOffset now) =>
        db.AuditLog.Add(new AuditEntryRow
        {
            Time = now.UtcDateTime,
            Action = Cut(Action, MaxActionLength)!,
            Actor = Cut(Actor, MaxActorLength),
            Address = Cut(Address, MaxAddressLength),
            Detail = Cut(Detail, MaxDetailLength),
        });

    private static string? Cut(string? text, int length) => text is { Length: var n } && n > length ? text[..length] : text;
}
