using System.Text.Json.Nodes;
using WeOps.Activities.Tests.Email;

namespace WeOps.Integration.Tests.Workflows;

/// <summary>What the change process tests read back: the states a ticket went through, the approval mail the
/// test SMTP server received, and a folder on the sshd host (this machine) for runbooks to write into.</summary>
internal static class ChangeRecords
{
    /// <summary>The ticket's states in order: its first state, then the target of each transition on its timeline.</summary>
    public static IReadOnlyList<string> States(JsonNode ticket) =>
    [
        "new",
        .. ticket["timeline"]!.AsArray()
            .Where(e => (string?)e!["kind"] == "transition")
            .Select(e => (string)e!["detail"]!["to"]!),
    ];

    /// <summary>The transition notes, in order.</summary>
    public static IReadOnlyList<string?> Notes(JsonNode ticket) =>
        [.. ticket["timeline"]!.AsArray().Where(e => (string?)e!["kind"] == "transition").Select(e => (string?)e!["text"])];

    /// <summary>The notes of the transitions into <paramref name="state"/>, in order.</summary>
    public static IReadOnlyList<string?> NotesOn(JsonNode ticket, string state) =>
        [.. ticket["timeline"]!.AsArray()
            .Where(e => (string?)e!["kind"] == "transition" && (string?)e!["detail"]!["to"] == state)
            .Select(e => (string?)e!["text"])];

    /// <summary>Who got a mail whose subject contains <paramref name="marker"/>, waiting until <paramref name="count"/> have
    /// landed; the addresses are the envelope recipients, sorted.</summary>
    public static async Task<IReadOnlyList<string>> MailedToAsync(string marker, int count)
    {
        var folder = Path.Combine(TestSmtpServer.Maildir, "new");
        return await WorkflowServer.EventuallyAsync($"{count} mails about '{marker}' in {folder}", async () =>
        {
            var recipients = new List<string>();
            foreach (var file in Directory.Exists(folder) ? Directory.GetFiles(folder) : [])
            {
                var mail = StoredMail.Parse(await File.ReadAllBytesAsync(file));
                if (mail.Subject.Contains(marker, StringComparison.Ordinal)) recipients.AddRange(mail.AddressesIn("X-Envelope-To"));
            }

            return (IReadOnlyList<string>)[.. recipients.Order(StringComparer.Ordinal)];
        }, r => r.Count >= count);
    }

    /// <summary>A fresh folder the test sshd's user can write (the sshd runs on this machine as the test's user).</summary>
    public static string Workspace() => Directory.CreateTempSubdirectory("weops-change-").FullName;

    /// <summary>A title no other test's mail has, so a test finds its own approval mail.</summary>
    public static string UniqueTitle(string what) => $"{what} [{Guid.NewGuid().ToString("N")[..8]}]";

    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
