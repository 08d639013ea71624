using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Server.Pages;

/// The Data Protection key ring (it protects the console's antiforgery tokens) in the database, so every replica
/// reads and writes one ring: a form rendered by one replica is accepted by another.
internal sealed class ConsoleKeyRepository(IServiceScopeFactory scopes, TimeProvider time) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PlugboardDb>();
        return [.. db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Created).Select(k => k.Xml).AsEnumerable().Select(XElement.Parse)];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PlugboardDb>();
        db.DataProtectionKeys.Add(new DataProtectionKeyRow
        {
            Id = Ids.New(),
            Xml = element.ToString(SaveOptions.DisableFormatting),
            Created = time.GetUtcNow().UtcDateTime,
        });
        db.SaveChanges();
    }
}

/// Data Protection keys are encrypted at rest with the server's own key ring (AES-256-GCM, the one protector), so a
/// copy of the table alone forges no antiforgery token.
internal sealed class ConsoleKeyEncryptor(IServiceProvider services) : IXmlEncryptor
{
    internal const string ElementName = "plugboardEncrypted";
    internal static readonly SecretContext Context = new("console", "data-protection", "key");

    public EncryptedXmlInfo Encrypt(XElement plaintextElement) =>
        new(new XElement(ElementName, services.GetRequiredService<SecretProtector>().Protect(plaintextElement.ToString(SaveOptions.DisableFormatting), Context)), typeof(ConsoleKeyDecryptor));
}

/// Created by Data Protection's activator with the app's services.
internal sealed class ConsoleKeyDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) =>
        XElement.Parse(services.GetRequiredService<SecretProtector>().Unprotect(encryptedElement.Value, ConsoleKeyEncryptor.Context));
}
