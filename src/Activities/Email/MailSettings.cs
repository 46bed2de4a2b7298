using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using WeOps.Engine.Persistence;

namespace WeOps.Activities.Email;

/// <summary>How the connection to the SMTP server is secured: plain, upgraded with STARTTLS before authenticating,
/// or TLS from the first byte (implicit TLS, usually port 465). With TLS the server's certificate must be trusted.</summary>
public enum SmtpTlsMode
{
    None,
    StartTls,
    Tls,
}

/// <summary>The mail settings as the admin console shows them: never the password, only whether one is set,
/// and for each value whether it comes from the database or the configuration file.</summary>
public sealed record MailSettingsView(
    string? Host,
    int Port,
    string TlsMode,
    string? Username,
    bool PasswordSet,
    string? From,
    IReadOnlyDictionary<string, string> Sources,
    DateTimeOffset? UpdatedAt,
    string? UpdatedBy);

/// <summary>A change of the mail settings. <see cref="Password"/>: null keeps the stored one, empty removes it.</summary>
public sealed record MailSettingsChange(string? Host, int Port, SmtpTlsMode TlsMode, string? Username, string? Password, string? From);

/// <summary>The server's SMTP settings: the configuration section <c>Smtp</c>, overridden key by key by what an
/// admin saved in the <c>settings</c> table (ADR 0025). The password is stored encrypted.</summary>
public sealed class MailSettingsStore(DatabaseOptions database, IDataProtectionProvider protection, SmtpOptions configured, TimeProvider time) : ISmtpSettings
{
    public const string HostKey = "Smtp:Host";
    public const string PortKey = "Smtp:Port";
    public const string TlsKey = "Smtp:Tls";

    /// <summary>Where settings saved before implicit TLS kept the mode (true or false); read when <see cref="TlsKey"/> is not saved.</summary>
    public const string StartTlsKey = "Smtp:StartTls";
    public const string UsernameKey = "Smtp:Username";
    public const string PasswordKey = "Smtp:Password";
    public const string FromKey = "Smtp:From";

    private static readonly string[] Keys = [HostKey, PortKey, TlsKey, StartTlsKey, UsernameKey, PasswordKey, FromKey];

    private readonly IDataProtector protector = protection.CreateProtector("WeOps.Settings.v1");

    public async Task<SmtpOptions> CurrentAsync(CancellationToken cancellationToken)
    {
        var stored = await StoredAsync(cancellationToken);
        return Merge(stored);
    }

    public async Task<MailSettingsView> ViewAsync(CancellationToken cancellationToken)
    {
        var stored = await StoredAsync(cancellationToken);
        var current = Merge(stored);
        var sources = Keys.Where(k => k != StartTlsKey).ToDictionary(k => k["Smtp:".Length..].ToLowerInvariant() switch { "tls" => "tlsMode", var other => other },
            k => stored.ContainsKey(k) || k == TlsKey && stored.ContainsKey(StartTlsKey) ? "database" : "configuration");
        var latest = stored.Values.OrderByDescending(r => r.UpdatedAt).FirstOrDefault();
        return new MailSettingsView(current.Host, current.Port, Name(current.Security), current.Username,
            !string.IsNullOrEmpty(current.Password), current.From, sources,
            latest is null ? null : new DateTimeOffset(DateTime.SpecifyKind(latest.UpdatedAt, DateTimeKind.Utc)), latest?.UpdatedBy);
    }

    /// <summary>Saves every mail setting to the database, with the audit line in the same transaction.</summary>
    public async Task SaveAsync(MailSettingsChange change, string? actor, CancellationToken cancellationToken, AuditNote? audit = null)
    {
        var now = time.GetUtcNow();
        using var gate = await database.EnterWriteAsync(cancellationToken);
        await using var db = database.Open();
        var rows = await db.Settings.Where(s => Keys.Contains(s.Key)).ToDictionaryAsync(s => s.Key, cancellationToken);
        void Put(string key, string? value)
        {
            if (!rows.TryGetValue(key, out var row)) row = db.Settings.Add(new SettingRow { Key = key }).Entity;
            row.Value = value;
            row.UpdatedAt = now.UtcDateTime;
            row.UpdatedBy = actor;
        }

        Put(HostKey, change.Host);
        Put(PortKey, change.Port.ToString(CultureInfo.InvariantCulture));
        Put(TlsKey, Name(change.TlsMode));
        if (rows.TryGetValue(StartTlsKey, out var older)) db.Settings.Remove(older);
        Put(UsernameKey, change.Username);
        Put(FromKey, change.From);
        if (change.Password is not null)
            Put(PasswordKey, change.Password.Length == 0 ? null : protector.Protect(change.Password));
        audit?.AddTo(db, now);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<Dictionary<string, SettingRow>> StoredAsync(CancellationToken cancellationToken)
    {
        await using var db = database.Open();
        return await db.Settings.AsNoTracking().Where(s => Keys.Contains(s.Key)).ToDictionaryAsync(s => s.Key, cancellationToken);
    }

    private SmtpOptions Merge(Dictionary<string, SettingRow> stored)
    {
        string? Text(string key, string? fallback) => stored.TryGetValue(key, out var row) ? row.Value : fallback;
        var port = stored.TryGetValue(PortKey, out var p) && int.TryParse(p.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : configured.Port;
        var tls = stored.TryGetValue(TlsKey, out var t) && Parse(t.Value) is { } saved ? saved
            : stored.TryGetValue(StartTlsKey, out var older) ? (older.Value == "true" ? SmtpTlsMode.StartTls : SmtpTlsMode.None)
            : configured.Security;
        string? password = configured.Password;
        if (stored.TryGetValue(PasswordKey, out var secret))
        {
            try
            {
                password = secret.Value is null ? null : protector.Unprotect(secret.Value);
            }
            catch (System.Security.Cryptography.CryptographicException e)
            {
                throw new InvalidOperationException($"The saved SMTP password cannot be decrypted on this node (is Credentials:MasterKey the same on every node?): {e.Message}");
            }
        }

        return new SmtpOptions
        {
            Host = Text(HostKey, configured.Host),
            Port = port,
            Tls = tls,
            CertificateSha256 = configured.CertificateSha256,
            TimeoutSeconds = configured.TimeoutSeconds,
            Username = Text(UsernameKey, configured.Username),
            Password = password,
            From = Text(FromKey, configured.From),
        };
    }

    /// <summary>The mode as the API and the settings table write it.</summary>
    public static string Name(SmtpTlsMode mode) => mode switch
    {
        SmtpTlsMode.None => "none",
        SmtpTlsMode.StartTls => "starttls",
        SmtpTlsMode.Tls => "tls",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    /// <summary>A mode from its name (none, starttls, tls; any case); null for anything else.</summary>
    public static SmtpTlsMode? Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "none" => SmtpTlsMode.None,
        "starttls" => SmtpTlsMode.StartTls,
        "tls" => SmtpTlsMode.Tls,
        _ => null,
    };
}
