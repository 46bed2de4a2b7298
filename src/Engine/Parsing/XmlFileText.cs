using System.Text;
using System.Text.RegularExpressions;

namespace WeOps.Engine.Parsing;

/// <summary>Turns the bytes of an XML file into its text the way an XML reader does: a byte order mark first,
/// then UTF-16 recognised by its zero bytes, then the encoding the XML declaration names, else UTF-8. The text
/// comes back with its declaration saying UTF-8, because that is how it is stored and served from then on.</summary>
public static partial class XmlFileText
{
    /// <summary>The file's text; false with <paramref name="problem"/> when the declaration names an encoding this
    /// server cannot read.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, out string text, out string? problem)
    {
        problem = null;
        var (encoding, skip) = FromByteOrder(bytes);
        if (encoding is null)
        {
            var declared = DeclaredEncoding(bytes);
            if (declared is not null && Named(declared) is not { } named)
            {
                text = string.Empty;
                problem = $"The file's XML declaration says encoding=\"{declared}\", which this server cannot read: save the file as UTF-8 (or ISO-8859-1, windows-1252, UTF-16) and upload it again.";
                return false;
            }

            encoding = declared is null ? Encoding.UTF8 : Named(declared)!;
        }

        text = WithUtf8Declaration(encoding.GetString(bytes[skip..]));
        return true;
    }

    private static (Encoding? Encoding, int Skip) FromByteOrder(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0xEF, 0xBB, 0xBF, ..] => (Encoding.UTF8, 3),
        [0xFF, 0xFE, ..] => (Encoding.Unicode, 2),
        [0xFE, 0xFF, ..] => (Encoding.BigEndianUnicode, 2),
        [(byte)'<', 0, (byte)'?', 0, ..] => (Encoding.Unicode, 0),
        [0, (byte)'<', 0, (byte)'?', ..] => (Encoding.BigEndianUnicode, 0),
        _ => (null, 0),
    };

    /// <summary>The encoding name in an ASCII-compatible XML declaration; null when there is none.</summary>
    private static string? DeclaredEncoding(ReadOnlySpan<byte> bytes)
    {
        if (!bytes.StartsWith("<?xml"u8)) return null;
        var end = bytes.IndexOf("?>"u8);
        if (end < 0 || end > 400) return null;
        var match = EncodingAttribute().Match(Encoding.ASCII.GetString(bytes[..end]));
        return match.Success ? match.Groups["name"].Value : null;
    }

    /// <summary>The in-box encodings first, then the code pages (windows-1252 and the like); null when neither knows the name.</summary>
    private static Encoding? Named(string name)
    {
        try
        {
            return Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            return CodePagesEncodingProvider.Instance.GetEncoding(name);
        }
    }

    private static string WithUtf8Declaration(string text)
    {
        var match = DeclarationEncoding().Match(text);
        return match.Success ? string.Concat(text.AsSpan(0, match.Groups["name"].Index), "UTF-8", text.AsSpan(match.Groups["name"].Index + match.Groups["name"].Length)) : text;
    }

    [GeneratedRegex("""\sencoding\s*=\s*["'](?<name>[A-Za-z][A-Za-z0-9._-]{0,39})["']""")]
    private static partial Regex EncodingAttribute();

    [GeneratedRegex("""\A\uFEFF?<\?xml[^>]*?\sencoding\s*=\s*["'](?<name>[^"']*)["']""")]
    private static partial Regex DeclarationEncoding();
}
