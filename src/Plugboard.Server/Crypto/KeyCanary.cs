namespace Plugboard.Server.Crypto;

/// One row per key that has encrypted data here: a known text sealed with that key. At start-up,
/// every canary must open with the configured keys, or the server refuses to start.
public sealed class KeyCanary
{
    public const string Plaintext = "plugboard-key-check";

    public required string KeyId { get; init; }
    public required string Check { get; set; }
    public DateTime Created { get; init; }

    public static Crypto.SecretContext Context(string keyId) => new("-", keyId, "key-canary");
}
