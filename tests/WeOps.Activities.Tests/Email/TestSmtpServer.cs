using System.Text;
using System.Text.RegularExpressions;

namespace WeOps.Activities.Tests.Email;

/// <summary>The SMTP server that scripts/services/smtp.sh starts for the test run.</summary>
public static class TestSmtpServer
{
    public static int Port => int.Parse(Env("WEOPS_TEST_SMTP_PORT"), System.Globalization.CultureInfo.InvariantCulture);
    public static string User => Env("WEOPS_TEST_SMTP_USER");
    public static string Password => Env("WEOPS_TEST_SMTP_PASSWORD");
    public static string Maildir => Env("WEOPS_TEST_SMTP_MAILDIR");

    /// <summary>The same server's second listener, which speaks TLS from the first byte (implicit TLS).</summary>
    public static int TlsPort => int.Parse(Env("WEOPS_TEST_SMTP_TLS_PORT"), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The SHA-256 fingerprint of the server's self-signed certificate, to pin it.</summary>
    public static string CertificateSha256 =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
            System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(Env("WEOPS_TEST_SMTP_CERT"))).RawData));

    private static string Env(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set: the email tests need the test SMTP server. Run them through ./test.sh, or: " +
                "bash -c 'source scripts/test-services.sh; svc_smtp_start; dotnet test tests/WeOps.Activities.Tests --filter FullyQualifiedName~Email; svc_smtp_stop'");

    /// <summary>The stored message whose subject contains <paramref name="marker"/>, waiting for it to land.</summary>
    public static async Task<StoredMail> WaitForAsync(string marker, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        var folder = Path.Combine(Maildir, "new");
        while (true)
        {
            foreach (var file in Directory.Exists(folder) ? Directory.GetFiles(folder) : [])
            {
                var mail = StoredMail.Parse(await File.ReadAllBytesAsync(file));
                if (mail.Subject.Contains(marker, StringComparison.Ordinal)) return mail;
            }

            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"No message with '{marker}' in its subject reached {folder}.");
            await Task.Delay(100);
        }
    }
}

/// <summary>A MIME message as the server stored it, parsed just enough for the tests: headers,
/// multipart bodies, base64 and quoted-printable, RFC 2047 encoded words.</summary>
public sealed partial class StoredMail
{
    private StoredMail(Dictionary<string, string> headers, string contentType, string body, List<StoredMail> parts)
    {
        Headers = headers;
        ContentType = contentType;
        Body = body;
        Parts = parts;
    }

    public Dictionary<string, string> Headers { get; }

    /// <summary>The media type, lower case, without parameters.</summary>
    public string ContentType { get; }

    /// <summary>The decoded body of a single part; empty for a multipart.</summary>
    public string Body { get; }

    public List<StoredMail> Parts { get; }

    public string Subject => DecodeWords(Header("subject") ?? "");

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>Addresses in a header (To, Cc, X-Envelope-To), lower case.</summary>
    public IReadOnlyList<string> AddressesIn(string header) =>
        [.. AddressPattern().Matches(Header(header) ?? "").Select(m => m.Value.ToLowerInvariant())];

    /// <summary>This part and all parts inside it.</summary>
    public IEnumerable<StoredMail> AllParts() => Parts.SelectMany(p => p.AllParts()).Prepend(this);

    public static StoredMail Parse(byte[] raw) => Parse(Encoding.UTF8.GetString(raw).ReplaceLineEndings("\r\n"));

    private static StoredMail Parse(string text)
    {
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = split < 0 ? text : text[..split];
        var body = split < 0 ? "" : text[(split + 4)..];
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? last = null;
        foreach (var line in head.Split("\r\n"))
        {
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t') && last is not null)
            {
                headers[last] += " " + line.Trim();
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) continue;
            last = line[..colon].Trim();
            headers[last] = line[(colon + 1)..].Trim();
        }

        var contentType = headers.GetValueOrDefault("content-type", "text/plain");
        var media = contentType.Split(';')[0].Trim().ToLowerInvariant();
        if (media.StartsWith("multipart/", StringComparison.Ordinal))
        {
            var boundary = BoundaryPattern().Match(contentType).Groups[1].Value.Trim('"');
            var parts = body.Split("--" + boundary)
                .Skip(1)
                .TakeWhile(p => !p.StartsWith("--", StringComparison.Ordinal))
                .Select(p => Parse(p.TrimStart('\r', '\n')))
                .ToList();
            return new StoredMail(headers, media, "", parts);
        }

        var decoded = headers.GetValueOrDefault("content-transfer-encoding", "7bit").ToLowerInvariant() switch
        {
            "base64" => Encoding.UTF8.GetString(Convert.FromBase64String(string.Concat(body.Where(c => !char.IsWhiteSpace(c))))),
            "quoted-printable" => QuotedPrintable(body),
            _ => body,
        };
        return new StoredMail(headers, media, decoded.TrimEnd('\r', '\n'), []);
    }

    private static string QuotedPrintable(string text)
    {
        var bytes = new List<byte>();
        var source = text.Replace("=\r\n", "", StringComparison.Ordinal);
        for (var i = 0; i < source.Length; i++)
        {
            if (source[i] == '=' && i + 2 < source.Length && Uri.IsHexDigit(source[i + 1]) && Uri.IsHexDigit(source[i + 2]))
            {
                bytes.Add(Convert.ToByte(source.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(source[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    private static string DecodeWords(string text)
    {
        // Whitespace between adjacent encoded words is not part of the text (RFC 2047, 6.2).
        var joined = BetweenWords().Replace(text, "");
        return EncodedWord().Replace(joined, m =>
        {
            var payload = m.Groups[2].Value;
            var bytes = m.Groups[1].Value.Equals("B", StringComparison.OrdinalIgnoreCase)
                ? Convert.FromBase64String(payload)
                : Encoding.UTF8.GetBytes(QuotedPrintable(payload.Replace('_', ' ')));
            return Encoding.UTF8.GetString(bytes);
        });
    }

    [GeneratedRegex(@"=\?utf-8\?([BQ])\?([^?]*)\?=", RegexOptions.IgnoreCase)]
    private static partial Regex EncodedWord();

    [GeneratedRegex(@"(?<=\?=)\s+(?==\?)")]
    private static partial Regex BetweenWords();

    [GeneratedRegex("boundary=(\"[^\"]+\"|[^;]+)", RegexOptions.IgnoreCase)]
    private static partial Regex BoundaryPattern();

    [GeneratedRegex(@"[^\s<>,""]+@[^\s<>,""]+")]
    private static partial Regex AddressPattern();
}
