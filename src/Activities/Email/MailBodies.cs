using MimeKit;
using MimeKit.Text;

namespace WeOps.Activities.Email;

/// <summary>Builds the MIME parts both step mail and approval mail use: UTF-8, quoted-printable.</summary>
public static class MailBodies
{
    public static MimeEntity Of(string? text, string? html)
    {
        if (text is not null && html is not null)
            return new MultipartAlternative { Part(text, TextFormat.Plain), Part(html, TextFormat.Html) };
        return text is not null ? Part(text, TextFormat.Plain) : Part(html ?? "", TextFormat.Html);
    }

    private static TextPart Part(string content, TextFormat format)
    {
        var part = new TextPart(format) { ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        part.SetText("utf-8", content);
        return part;
    }

    /// <summary>A Message-Id for mail from <paramref name="from"/>: random, at the sender's domain.</summary>
    public static string NewMessageId(MailboxAddress from) => $"{Guid.NewGuid():N}@{from.Domain}";
}
