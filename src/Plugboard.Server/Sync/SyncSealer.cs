using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Plugboard.Server.Sync;

/// Seals and opens a bundle's secrets with a key derived from the passphrase (PBKDF2-SHA256, 600,000 iterations, a
/// random salt per bundle): AES-256-GCM, each item's secrets bound to its kind and key, so none can be moved to another item.
public sealed class SyncSealer
{
    public const string Kdf = "PBKDF2-SHA256";
    public const int Iterations = 600_000;
    private const int KeySize = 32;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly byte[] _key;

    private SyncSealer(byte[] key, SyncSealing sealing) => (_key, Sealing) = (key, sealing);

    public SyncSealing Sealing { get; }

    public static SyncSealer New(string passphrase)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        return new SyncSealer(Derive(passphrase, salt, Iterations), new SyncSealing(Kdf, Iterations, Convert.ToBase64String(salt)));
    }

    /// The sealer of a received bundle, or null when its sealing is not one this version opens.
    public static SyncSealer? For(SyncSealing sealing, string passphrase)
    {
        if (sealing.Kdf != Kdf || sealing.Iterations is < Iterations or > 10_000_000)
        {
            return null;
        }
        try
        {
            return new SyncSealer(Derive(passphrase, Convert.FromBase64String(sealing.Salt), sealing.Iterations), sealing);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public SealedSecrets Seal(string kind, string key, JsonObject secrets)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var plaintext = Encoding.UTF8.GetBytes(secrets.ToJsonString());
        var ciphertext = new byte[plaintext.Length + TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plaintext, ciphertext.AsSpan(0, plaintext.Length), ciphertext.AsSpan(plaintext.Length), Aad(kind, key));
        return new SealedSecrets(Convert.ToBase64String(nonce), Convert.ToBase64String(ciphertext));
    }

    /// The item's secrets, or null when they do not open with this key (a wrong passphrase, or moved or altered).
    public JsonObject? Open(string kind, string key, SealedSecrets sealedSecrets)
    {
        try
        {
            var nonce = Convert.FromBase64String(sealedSecrets.Nonce);
            var data = Convert.FromBase64String(sealedSecrets.Ciphertext);
            if (nonce.Length != NonceSize || data.Length < TagSize)
            {
                return null;
            }
            var plaintext = new byte[data.Length - TagSize];
            using var aes = new AesGcm(_key, TagSize);
            aes.Decrypt(nonce, data.AsSpan(0, plaintext.Length), data.AsSpan(plaintext.Length), plaintext, Aad(kind, key));
            return JsonNode.Parse(plaintext) as JsonObject;
        }
        catch (Exception e) when (e is FormatException or AuthenticationTagMismatchException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static byte[] Derive(string passphrase, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(passphrase), salt, iterations, HashAlgorithmName.SHA256, KeySize);

    private static byte[] Aad(string kind, string key) => Encoding.UTF8.GetBytes($"plugboard.sync/v1|{kind}|{key}");
}
