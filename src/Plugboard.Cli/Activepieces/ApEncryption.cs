using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Plugboard.Cli.Activepieces;

/// Activepieces' encryption at rest (packages/server/api/src/app/helper/encryption.ts): AES-256-CBC, PKCS#7, a fresh
/// 16-byte IV per value, stored as jsonb {"iv": hex, "data": hex}. The key is AP_ENCRYPTION_KEY taken as text, one
/// byte per character (Node's 'binary'), so its 32 hex characters are 32 key bytes — never hex-decoded.
public sealed class ApEncryption
{
    private readonly byte[] _key;

    public ApEncryption(string key)
    {
        var bytes = Encoding.Latin1.GetBytes(key);
        if (bytes.Length != 32 || key.Any(c => c > 0xFF))
        {
            throw new UsageException($"--encryption-key must be Activepieces' AP_ENCRYPTION_KEY: 32 characters (it has {key.Length}).");
        }
        _key = bytes;
    }

    /// The key's bytes, for deriving the import's fingerprint key.
    internal ReadOnlySpan<byte> Key => _key;

    /// The plaintext of a stored {iv, data}; a CryptographicException or FormatException when it does not open.
    public string Decrypt(string storedJson)
    {
        using var document = JsonDocument.Parse(storedJson);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("iv", out var iv) || iv.ValueKind != JsonValueKind.String
            || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.String)
        {
            throw new FormatException("the value is not an encrypted {iv, data} object");
        }
        using var aes = Aes.Create();
        aes.Key = _key;
        var plain = aes.DecryptCbc(Convert.FromHexString(data.GetString()!), Convert.FromHexString(iv.GetString()!), PaddingMode.PKCS7);
        return Encoding.UTF8.GetString(plain);
    }

    /// What Activepieces writes for <paramref name="plaintext"/> (tests build AP databases with it).
    public string Encrypt(string plaintext)
    {
        using var aes = Aes.Create();
        aes.Key = _key;
        var iv = RandomNumberGenerator.GetBytes(16);
        var data = aes.EncryptCbc(Encoding.UTF8.GetBytes(plaintext), iv, PaddingMode.PKCS7);
        return JsonSerializer.Serialize(new { iv = Convert.ToHexStringLower(iv), data = Convert.ToHexStringLower(data) });
    }
}
