using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using WeOps.Engine.Persistence;

namespace WeOps.Activities.Credentials;

/// <summary>Keeps the Data Protection key ring in the WeOps database, so every node of a cluster decrypts
/// what any other node encrypted. The keys themselves are encrypted with the master key
/// (<see cref="MasterKeyEncryptor"/>) before they are stored.</summary>
public sealed class DatabaseKeyRepository(DatabaseOptions database) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var db = database.Open();
        return db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).ToList()
            .Select(xml => XElement.Parse(xml)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var gate = database.EnterWriteAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        using var db = database.Open();
        db.DataProtectionKeys.Add(new DataProtectionKeyRow { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        try
        {
            db.SaveChanges();
        }
        catch (DbUpdateException) when (db.DataProtectionKeys.AsNoTracking().Any(k => k.FriendlyName == friendlyName))
        {
            // Two nodes made a key at the same moment; the other one's is as good.
        }
    }
}
