using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using WeOps.Engine.Persistence;

namespace WeOps.Activities.Approvals;

/// <summary>The token a reply to approval mail carries (in the reply address and the mail's Message-Id): the approval
/// link's id and an HMAC-SHA256 of it, in lower-case base32 so that mail systems that fold the case of an address
/// keep it intact. The key is random, made once and kept encrypted in the settings table, so every node signs and
/// checks alike. Single use comes from the link: a reply decides through it, and it is used once.</summary>
public sealed class ApprovalReplyToken(DatabaseOptions database, IDataProtectionProvider protection, TimeProvider time)
{
    public const string KeySetting = "Approvals:ReplyKey";

    /// <summary>20 bytes (8 of id, 12 of signature) in base32: 32 characters.</summary>
    public const int Length = 32;

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private readonly IDataProtector protector = protection.CreateProtector("WeOps.Settings.v1");
    private readonly SemaphoreSlim loading = new(1, 1);
    private byte[]? key;

    public async Task<string> IssueAsync(long linkId, CancellationToken cancellationToken)
    {
        var bytes = new byte[20];
        BinaryPrimitives.WriteInt64BigEndian(bytes, linkId);
        Sign(await KeyAsync(cancellationToken), linkId).AsSpan(0, 12).CopyTo(bytes.AsSpan(8));
        return Base32(bytes);
    }

    /// <summary>The link id a token names, or null when it is not one of ours (malformed, or the signature is wrong).</summary>
    public async Task<long?> ReadAsync(string? token, CancellationToken cancellationToken)
    {
        if (token is not { Length: Length } || FromBase32(token.ToLowerInvariant()) is not { Length: 20 } bytes) return null;
        var linkId = BinaryPrimitives.ReadInt64BigEndian(bytes);
        var expected = Sign(await KeyAsync(cancellationToken), linkId).AsSpan(0, 12);
        return CryptographicOperations.FixedTimeEquals(expected, bytes.AsSpan(8)) ? linkId : null;
    }

    private static byte[] Sign(byte[] key, long linkId)
    {
        var data = new byte[8 + 21];
        "weops-approval-reply:"u8.CopyTo(data);
        BinaryPrimitives.WriteInt64BigEndian(data.AsSpan(21), linkId);
        return HMACSHA256.HashData(key, data);
    }

    private async Task<byte[]> KeyAsync(CancellationToken cancellationToken)
    {
        if (key is { } known) return known;
        await loading.WaitAsync(cancellationToken);
        try
        {
            if (key is null)
            {
                key = await StoredAsync(cancellationToken);
                if (key is null)
                {
                    try
                    {
                        using var gate = await database.EnterWriteAsync(cancellationToken);
                        await using var db = database.Open();
                        db.Settings.Add(new SettingRow
                        {
                            Key = KeySetting,
                            Value = protector.Protect(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))),
                            UpdatedAt = time.GetUtcNow().UtcDateTime,
                        });
                        await db.SaveChangesAsync(cancellationToken);
                    }
                    catch (DbUpdateException)
                    {
                        // Another node made the key first; theirs is read below.
                    }

                    key = await StoredAsync(cancellationToken) ?? throw new InvalidOperationException($"The setting {KeySetting} could not be made.");
                }
            }

            return key;
        }
        finally
        {
            loading.Release();
        }
    }

    private async Task<byte[]?> StoredAsync(CancellationToken cancellationToken)
    {
        await using var db = database.Open();
        var row = await db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.Key == KeySetting, cancellationToken);
        if (row?.Value is null) return null;
        try
        {
            return Convert.FromBase64String(protector.Unprotect(row.Value));
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException($"The key of approval replies ({KeySetting}) cannot be decrypted on this node (is Credentials:MasterKey the same on every node?): {e.Message}");
        }
    }

    private static string Base32(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[(bytes.Length * 8 + 4) / 5];
        int buffer = 0, bits = 0, n = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                chars[n++] = Alphabet[(buffer >> (bits - 5)) & 31];
                bits -= 5;
            }
        }

        if (bits > 0) chars[n++] = Alphabet[(buffer << (5 - bits)) & 31];
        return new string(chars, 0, n);
    }

    private static byte[]? FromBase32(string text)
    {
        var bytes = new List<byte>(text.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in text)
        {
            var value = Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0) return null;
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)((buffer >> (bits - 8)) & 0xFF));
                bits -= 8;
            }
        }

        return [.. bytes];
    }
}
