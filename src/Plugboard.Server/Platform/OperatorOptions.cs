using System.Security.Cryptography;
using System.Text;
using Plugboard.Server.Configuration;

namespace Plugboard.Server.Platform;

/// The operator key, which manages platforms (/api/v1/platforms) and nothing else. Unset: there is
/// no operator, and the platform routes answer 401 to everyone. Only its SHA-256 hash is kept in memory.
public sealed class OperatorOptions
{
    public const string Variable = "PLUGBOARD_OPERATOR_KEY";
    public const int MinLength = 32;
    public const int MaxLength = 512;

    private OperatorOptions(byte[]? keyHash) => KeyHash = keyHash;

    /// SHA-256 of the configured key; null when no operator is configured.
    public byte[]? KeyHash { get; }

    public bool Enabled => KeyHash is not null;

    public static OperatorOptions FromConfiguration(IConfiguration c)
    {
        var key = c[Variable];
        if (string.IsNullOrEmpty(key))
        {
            return new OperatorOptions(null);
        }
        // The message names the rule, never the value.
        if (key.Length < MinLength || key.Length > MaxLength || key.Any(ch => char.IsWhiteSpace(ch) || char.IsControl(ch)))
        {
            throw new StartupException(
                $"{Variable} must be {MinLength} to {MaxLength} characters without spaces (e.g. `openssl rand -base64 48`), or unset for no operator.");
        }
        return new OperatorOptions(Hash(key));
    }

    /// Compares in fixed time: both sides are hashed first, so neither the length nor a prefix of the key leaks.
    public bool Matches(string presented) =>
        KeyHash is not null && presented.Length <= MaxLength && CryptographicOperations.FixedTimeEquals(Hash(presented), KeyHash);

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
