using System.Security.Cryptography;

namespace Plugboard.Server.Crypto;

public sealed record EncryptionKey(string Id, byte[] Material)
{
    public const int Size = 32;

    /// The id is derived from the key itself, so every replica given the same key names it alike.
    public static EncryptionKey FromMaterial(byte[] material)
    {
        if (material.Length != Size)
        {
            throw new ArgumentException($"An encryption key is {Size} bytes.", nameof(material));
        }
        var id = Convert.ToHexStringLower(SHA256.HashData(material))[..8];
        return new EncryptionKey(id, material);
    }
}

/// The keys this process holds: the first encrypts, every one decrypts.
public sealed class KeyRing
{
    private readonly Dictionary<string, EncryptionKey> _byId;

    public KeyRing(IReadOnlyList<EncryptionKey> keys)
    {
        if (keys.Count == 0)
        {
            throw new ArgumentException("A key ring needs at least one key.", nameof(keys));
        }
        Keys = keys;
        _byId = keys.GroupBy(k => k.Id).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    public IReadOnlyList<EncryptionKey> Keys { get; }

    public EncryptionKey Primary => Keys[0];

    public bool TryGet(string id, out EncryptionKey key) => _byId.TryGetValue(id, out key!);
}
