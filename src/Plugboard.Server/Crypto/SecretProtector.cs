using System.Security.Cryptography;
using System.Text;

namespace Plugboard.Server.Crypto;

/// What a ciphertext is bound to: moved to another platform, row or field, it no longer decrypts.
public readonly record struct SecretContext(string PlatformId, string EntityId, string Field)
{
    public byte[] ToAad() => Encoding.UTF8.GetBytes($"plugboard/v1|{PlatformId}|{EntityId}|{Field}");
}

/// The one place that encrypts and decrypts secrets: AES-256-GCM, a random 96-bit nonce per write,
/// ciphertext that names its key: v1:&lt;keyId&gt;:&lt;nonce&gt;:&lt;ciphertext+tag&gt; (base64).
public sealed class SecretProtector(KeyRing keys)
{
    private const string Version = "v1";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public KeyRing Keys { get; } = keys;

    public string Protect(string plaintext, SecretContext context) => Protect(plaintext, context, Keys.Primary);

    public string Protect(string plaintext, SecretContext context, EncryptionKey key)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var sealedBytes = new byte[plain.Length + TagSize];
        using (var aes = new AesGcm(key.Material, TagSize))
        {
            aes.Encrypt(nonce, plain, sealedBytes.AsSpan(0, plain.Length), sealedBytes.AsSpan(plain.Length), context.ToAad());
        }
        CryptographicOperations.ZeroMemory(plain);
        return $"{Version}:{key.Id}:{Convert.ToBase64String(nonce)}:{Convert.ToBase64String(sealedBytes)}";
    }

    /// Throws <see cref="SecretDecryptionException"/> for a tampered, moved or unknown-key ciphertext;
    /// its message never carries any part of the secret.
    public string Unprotect(string ciphertext, SecretContext context)
    {
        var parts = ciphertext.Split(':');
        if (parts is not [Version, var keyId, var nonceText, var sealedText])
        {
            throw new SecretDecryptionException("The stored secret is not in the v1 format.");
        }
        if (!Keys.TryGet(keyId, out var key))
        {
            throw new SecretDecryptionException($"The stored secret was encrypted with key '{keyId}', which is not configured.");
        }
        try
        {
            var nonce = Convert.FromBase64String(nonceText);
            var sealedBytes = Convert.FromBase64String(sealedText);
            if (nonce.Length != NonceSize || sealedBytes.Length < TagSize)
            {
                throw new SecretDecryptionException("The stored secret is truncated.");
            }
            var plain = new byte[sealedBytes.Length - TagSize];
            using var aes = new AesGcm(key.Material, TagSize);
            aes.Decrypt(nonce, sealedBytes.AsSpan(0, plain.Length), sealedBytes.AsSpan(plain.Length), plain, context.ToAad());
            return Encoding.UTF8.GetString(plain);
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            throw new SecretDecryptionException("The stored secret failed its integrity check (wrong key, tampered, or moved).");
        }
    }

    /// The plaintext, or null when the key ring cannot open it (a session whose key was retired reads as ended).
    public string? TryUnprotect(string ciphertext, SecretContext context)
    {
        try
        {
            return Unprotect(ciphertext, context);
        }
        catch (SecretDecryptionException)
        {
            return null;
        }
    }

    /// The same secret under the newest key (rewrap), or null when the key ring cannot open it.
    public string? TryRewrap(string ciphertext, SecretContext context) =>
        TryUnprotect(ciphertext, context) is { } plaintext ? Protect(plaintext, context) : null;

    /// How every ciphertext <see cref="Protect(string, SecretContext)"/> writes now begins: one that does not is under an older key.
    public string PrimaryPrefix => $"{Version}:{Keys.Primary.Id}:";

    public static string? KeyIdOf(string ciphertext)
    {
        var parts = ciphertext.Split(':', 3);
        return parts.Length == 3 && parts[0] == Version ? parts[1] : null;
    }
}

public sealed class SecretDecryptionException(string message) : Exception(message);
