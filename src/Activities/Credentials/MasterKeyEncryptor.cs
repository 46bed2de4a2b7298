using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace WeOps.Activities.Credentials;

/// <summary>The key that encrypts the Data Protection keys before they reach the database: with it
/// outside the database, a copy of the database alone does not reveal a credential.</summary>
public sealed class MasterKey
{
    public const int Size = 32;

    public MasterKey(byte[] key)
    {
        if (key.Length != Size) throw new ArgumentException($"The master key must be {Size} bytes, not {key.Length}.", nameof(key));
        Key = key;
    }

    internal byte[] Key { get; }

    /// <summary>Reads <paramref name="base64"/> when given (every node of a cluster needs the same one),
    /// else the key file, which is created (mode 0600) when missing.</summary>
    public static MasterKey Load(string? base64, string file)
    {
        if (!string.IsNullOrWhiteSpace(base64))
        {
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(base64.Trim());
            }
            catch (FormatException)
            {
                throw new InvalidOperationException("Credentials:MasterKey is not base64; make one with: openssl rand -base64 32");
            }

            if (bytes.Length != Size)
                throw new InvalidOperationException($"Credentials:MasterKey is {bytes.Length} bytes; it must be {Size} (openssl rand -base64 32).");
            return new MasterKey(bytes);
        }

        if (File.Exists(file))
        {
            var text = File.ReadAllText(file).Trim();
            try
            {
                return new MasterKey(Convert.FromBase64String(text));
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                throw new InvalidOperationException($"The master key file {file} does not hold a base64 key of {Size} bytes.");
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var key = RandomNumberGenerator.GetBytes(Size);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using var stream = new FileStream(file, options);
            using var writer = new StreamWriter(stream);
            writer.Write(Convert.ToBase64String(key));
        }
        catch (IOException) when (File.Exists(file))
        {
            return Load(null, file); // made by another process at the same moment
        }

        return new MasterKey(key);
    }
}

/// <summary>Encrypts a Data Protection key with the master key (AES-256-GCM).</summary>
public sealed class MasterKeyEncryptor(MasterKey master) : IXmlEncryptor
{
    private static readonly XName Element = "weopsEncryptedKey";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plain = System.Text.Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        var cipher = new byte[plain.Length];
        using (var aes = new AesGcm(master.Key, tag.Length))
            aes.Encrypt(nonce, plain, cipher, tag);
        var encrypted = new XElement(Element,
            new XAttribute("nonce", Convert.ToBase64String(nonce)),
            new XAttribute("tag", Convert.ToBase64String(tag)),
            Convert.ToBase64String(cipher));
        return new EncryptedXmlInfo(encrypted, typeof(MasterKeyDecryptor));
    }

    internal static XElement Decrypt(MasterKey master, XElement encryptedElement)
    {
        var nonce = Convert.FromBase64String((string?)encryptedElement.Attribute("nonce") ?? "");
        var tag = Convert.FromBase64String((string?)encryptedElement.Attribute("tag") ?? "");
        var cipher = Convert.FromBase64String(encryptedElement.Value);
        var plain = new byte[cipher.Length];
        try
        {
            using var aes = new AesGcm(master.Key, tag.Length);
            aes.Decrypt(nonce, cipher, tag, plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new CryptographicException(
                "A credential encryption key in the database cannot be decrypted with this node's master key. Every node needs the same " +
                "Credentials:MasterKey (or the same master key file) as the node that created the keys.");
        }

        return XElement.Parse(System.Text.Encoding.UTF8.GetString(plain));
    }
}

/// <summary>Decrypts what <see cref="MasterKeyEncryptor"/> wrote; made by Data Protection through the service provider.</summary>
public sealed class MasterKeyDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) =>
        MasterKeyEncryptor.Decrypt(services.GetRequiredService<MasterKey>(), encryptedElement);
}
