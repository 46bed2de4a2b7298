using System.Text;

namespace WeOps.Activities.Cloud;

/// <summary>Percent-encoding as the cloud signatures define it (RFC 3986): only <c>A-Z a-z 0-9 - _ . ~</c>
/// stay literal, every other UTF-8 byte becomes <c>%XX</c> with upper-case hex. AWS SigV4, Alibaba Cloud
/// RPC and Tencent Cloud TC3 agree on this; .NET's own escapers differ on <c>* ! ' ( )</c> and space.</summary>
public static class UriEncoding
{
    public static string Encode(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var text = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (IsUnreserved(b))
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(HexUpper[b >> 4]).Append(HexUpper[b & 0xF]);
            }
        }

        return text.ToString();
    }

    private const string HexUpper = "0123456789ABCDEF";

    private static bool IsUnreserved(byte b) =>
        b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9')
            or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~';
}
