using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Configuration;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Server.Crypto;

/// Holds the key ring once start-up has loaded and verified it.
public sealed class KeyRingProvider
{
    private KeyRing? _current;

    public KeyRing Current => _current ?? throw new InvalidOperationException("The key ring is loaded at start-up, before serving.");

    public bool IsLoaded => _current is not null;

    internal void Set(KeyRing ring) => _current = ring;
}

/// Keys come from PLUGBOARD_ENCRYPTION_KEY (base64 of 32 bytes, several comma-separated, the first
/// encrypts) or from &lt;data dir&gt;/encryption.key, generated on the first start of an empty database.
public static partial class KeyRingLoader
{
    public const string EnvironmentVariable = "PLUGBOARD_ENCRYPTION_KEY";
    public const string KeyFileName = "encryption.key";

    public static async Task<KeyRing> LoadAndVerifyAsync(
        IConfiguration configuration, StorageOptions storage, PlugboardDb db, TimeProvider time, ILogger logger, CancellationToken ct)
    {
        var canaries = await db.KeyCanaries.AsNoTracking().ToListAsync(ct);
        var ring = Load(configuration[EnvironmentVariable], storage, hasEncryptedData: canaries.Count > 0, logger);
        Verify(ring, canaries);
        if (canaries.All(c => c.KeyId != ring.Primary.Id))
        {
            db.KeyCanaries.Add(new KeyCanary
            {
                KeyId = ring.Primary.Id,
                Check = new SecretProtector(ring).Protect(KeyCanary.Plaintext, KeyCanary.Context(ring.Primary.Id)),
                Created = time.UtcNow(),
            });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another replica recorded the same key first.
                db.ChangeTracker.Clear();
            }
        }
        return ring;
    }

    internal static KeyRing Load(string? fromEnvironment, StorageOptions storage, bool hasEncryptedData, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Parse(fromEnvironment, EnvironmentVariable);
        }
        var file = Path.Combine(Path.GetFullPath(storage.DataDir), KeyFileName);
        if (File.Exists(file))
        {
            return Parse(File.ReadAllText(file), file);
        }
        if (hasEncryptedData)
        {
            throw new StartupException(
                $"The database holds encrypted secrets but no key is configured. Set {EnvironmentVariable} to the key(s) " +
                $"they were written with (base64, comma-separated, newest first), or restore {file}.");
        }
        var key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(EncryptionKey.Size));
        OwnerOnlyFile.Create(file, key);
        LogGeneratedKey(logger, file);
        return Parse(key, file);
    }

    internal static KeyRing Parse(string text, string source)
    {
        var keys = new List<EncryptionKey>();
        var entries = text.Split([',', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = 0; i < entries.Length; i++)
        {
            byte[] material;
            try
            {
                material = Convert.FromBase64String(entries[i]);
            }
            catch (FormatException)
            {
                throw new StartupException($"Key {i + 1} in {source} is not base64. Each key is 32 random bytes in base64, e.g. `openssl rand -base64 32`.");
            }
            if (material.Length != EncryptionKey.Size)
            {
                throw new StartupException($"Key {i + 1} in {source} is {material.Length} bytes; each key must be {EncryptionKey.Size} bytes (`openssl rand -base64 32`).");
            }
            keys.Add(EncryptionKey.FromMaterial(material));
        }
        if (keys.Count == 0)
        {
            throw new StartupException($"{source} holds no key. Set it to base64 of 32 random bytes (`openssl rand -base64 32`).");
        }
        return new KeyRing(keys);
    }

    /// Every key that has ever encrypted data here must still be present and correct.
    internal static void Verify(KeyRing ring, IReadOnlyList<KeyCanary> canaries)
    {
        var protector = new SecretProtector(ring);
        var missing = new List<string>();
        foreach (var canary in canaries)
        {
            try
            {
                if (protector.Unprotect(canary.Check, KeyCanary.Context(canary.KeyId)) != KeyCanary.Plaintext)
                {
                    missing.Add(canary.KeyId);
                }
            }
            catch (SecretDecryptionException)
            {
                missing.Add(canary.KeyId);
            }
        }
        if (missing.Count > 0)
        {
            throw new StartupException(
                $"Stored secrets were encrypted with key id(s) {string.Join(", ", missing)}, which the configured keys do not include. " +
                $"Set {EnvironmentVariable} to hold those keys too (base64, comma-separated, the newest first); nothing was changed.");
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "No encryption key was configured: generated one into {KeyFile}. Back it up; without it, stored secrets cannot be read.")]
    private static partial void LogGeneratedKey(ILogger logger, string keyFile);
}
