using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WeOps.Engine.Persistence;
using WeOps.Server.Audit;

namespace WeOps.Server.Auth;

/// <summary>Counts failed sign-ins in a row per user and per client address, in the database so that every node
/// counts the same; at <see cref="SignInOptions.FailuresBeforeLockout"/> the subject must wait
/// (<see cref="SignInOptions.LockoutAfter"/>) before any password of it is checked again. A success resets both
/// counters. Every failure, lockout, refused attempt and success is written to the audit log.</summary>
public sealed class SignInThrottle(DatabaseOptions database, AuditLog audit, IOptions<SignInOptions> options, TimeProvider time)
{
    private SignInOptions Options => options.Value;

    /// <summary>How long the user or the address must still wait (the longer of the two), or null when neither is
    /// locked out. A refused attempt is audited and changes no counter, so hammering a locked user does not
    /// lengthen its wait.</summary>
    public async Task<TimeSpan?> WaitAsync(string username, IPAddress? address, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var subjects = Subjects(username, address);
        long until;
        await using (var db = database.Open())
        {
            until = await db.SignInFailures.AsNoTracking()
                .Where(f => subjects.Contains(f.Subject) && f.LockedUntil > now)
                .Select(f => (long?)f.LockedUntil).MaxAsync(cancellationToken) ?? 0;
        }

        if (until == 0) return null;
        var wait = TimeSpan.FromMilliseconds(until - now);
        await audit.WriteAsync(AuditActions.SignInThrottled, username, Text(address),
            $"refused without checking the password: locked out for {Seconds(wait)} s more", cancellationToken);
        return wait;
    }

    /// <summary>Counts a failure for the user and the address; the wait it starts, or null while under the limit.</summary>
    public async Task<TimeSpan?> FailedAsync(string username, IPAddress? address, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var forgotten = now - (long)Options.ForgetAfter.TotalMilliseconds;
        var subjects = Subjects(username, address);
        TimeSpan? longest = null;
        using var gate = await database.EnterWriteAsync(cancellationToken);
        await using var db = database.Open();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SignInFailures.Where(f => f.LastFailedAt < forgotten).ExecuteDeleteAsync(cancellationToken);
        audit.Add(db, AuditActions.SignInFailed, username, Text(address), "wrong username or password");
        foreach (var subject in subjects)
        {
            // One statement on both databases: two nodes counting the same subject at once both count (the
            // second waits for the first's row lock on PostgreSQL; SQLite writes one at a time).
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO sign_in_failures (subject, failures, last_failed_at, locked_until) VALUES ({subject}, 1, {now}, 0)
                ON CONFLICT (subject) DO UPDATE SET failures = sign_in_failures.failures + 1, last_failed_at = {now}
                """, cancellationToken);
            var failures = await db.SignInFailures.AsNoTracking().Where(f => f.Subject == subject).Select(f => f.Failures).SingleAsync(cancellationToken);
            var wait = Options.LockoutAfter(failures);
            if (wait <= TimeSpan.Zero) continue;
            var until = now + (long)wait.TotalMilliseconds;
            await db.SignInFailures.Where(f => f.Subject == subject)
                .ExecuteUpdateAsync(f => f.SetProperty(r => r.LockedUntil, until), cancellationToken);
            audit.Add(db, AuditActions.SignInLocked, username, Text(address),
                $"{Describe(subject)}: {failures} failures in a row, locked out for {Seconds(wait)} s");
            longest = longest is { } other && other > wait ? other : wait;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return longest;
    }

    /// <summary>Resets the counters of the user and the address, and audits the sign-in.</summary>
    public async Task SucceededAsync(string username, IPAddress? address, CancellationToken cancellationToken)
    {
        var subjects = Subjects(username, address);
        using var gate = await database.EnterWriteAsync(cancellationToken);
        await using var db = database.Open();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SignInFailures.Where(f => subjects.Contains(f.Subject)).ExecuteDeleteAsync(cancellationToken);
        audit.Add(db, AuditActions.SignInSucceeded, username, Text(address), null);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Whole seconds to wait, rounded up, as <c>Retry-After</c> gives them.</summary>
    public static long Seconds(TimeSpan wait) => (long)Math.Ceiling(wait.TotalSeconds);

    /// <summary><c>user:</c> and the name in lower case (so that case does not make another counter), and
    /// <c>address:</c> and the client's address when it is known.</summary>
    private static string[] Subjects(string username, IPAddress? address)
    {
        var user = Cut("user:" + username.ToLowerInvariant());
        return address is null ? [user] : [user, Cut("address:" + Text(address))];
    }

    private static string Cut(string subject) => subject.Length > SignInFailureRow.MaxSubjectLength ? subject[..SignInFailureRow.MaxSubjectLength] : subject;

    private static string Describe(string subject) => subject.StartsWith("user:", StringComparison.Ordinal) ? "the user" : "the address";

    /// <summary>An IPv4 client seen through an IPv6 socket is shown as IPv4.</summary>
    public static string? Text(IPAddress? address) => address is null ? null : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
}
