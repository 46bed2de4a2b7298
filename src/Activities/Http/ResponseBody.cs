using System.Text;

namespace WeOps.Activities.Http;

/// <summary>A response body read up to a bound, so that an endless or huge answer cannot exhaust memory.</summary>
public sealed record ResponseBody(byte[] Bytes, bool Complete, Encoding Encoding, bool IsJson)
{
    /// <summary>Reads at most <paramref name="limit"/> bytes; <see cref="Complete"/> says whether that was all.</summary>
    public static async Task<ResponseBody> ReadAsync(HttpResponseMessage response, int limit, CancellationToken cancellationToken)
    {
        var contentType = response.Content.Headers.ContentType;
        var isJson = contentType?.MediaType is { } media
            && (media.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        var encoding = EncodingOf(contentType?.CharSet);

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        var complete = true;
        while (true)
        {
            var room = limit - (int)buffer.Length;
            var read = await stream.ReadAsync(chunk.AsMemory(0, Math.Min(chunk.Length, room + 1)), cancellationToken);
            if (read == 0) break;
            if (read > room)
            {
                buffer.Write(chunk, 0, room);
                complete = false;
                break;
            }

            buffer.Write(chunk, 0, read);
        }

        return new ResponseBody(buffer.ToArray(), complete, encoding, isJson);
    }

    public string Text => Encoding.GetString(Bytes);

    /// <summary>The first <paramref name="maxBytes"/> bytes as text, not cutting a UTF-8 sequence in two.</summary>
    public string Prefix(int maxBytes)
    {
        if (Bytes.Length <= maxBytes) return Text;
        var cut = maxBytes;
        if (Encoding is UTF8Encoding)
        {
            while (cut > 0 && (Bytes[cut] & 0xC0) == 0x80) cut--;
        }

        return Encoding.GetString(Bytes, 0, cut);
    }

    private static Encoding EncodingOf(string? charset)
    {
        if (string.IsNullOrWhiteSpace(charset)) return new UTF8Encoding(false);
        try
        {
            var encoding = Encoding.GetEncoding(charset.Trim('"', ' '));
            return encoding.CodePage == Encoding.UTF8.CodePage ? new UTF8Encoding(false) : encoding;
        }
        catch (ArgumentException)
        {
            // An unknown charset is read as UTF-8 rather than failing the step over a label.
            return new UTF8Encoding(false);
        }
    }
}
