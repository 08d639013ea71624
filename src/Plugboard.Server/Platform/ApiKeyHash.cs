using System.Security.Cryptography;
using System.Text;
using Plugboard.Server.Http;

namespace Plugboard.Server.Platform;

public static class ApiKeyHash
{
    public const string Prefix = "sk-";

    /// sk- plus 61 characters of the id alphabet, 64 in all, as the reference issues them.
    public static string NewKey() => Prefix + Ids.NewSecret(61);

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static bool FixedTimeEquals(string hashA, string hashB) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hashA), Encoding.ASCII.GetBytes(hashB));

    public static string Truncate(string key) => key[^4..];
}
