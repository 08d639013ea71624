using System.Security.Cryptography;

namespace Plugboard.Server.Http;

/// Ids in the reference's ApId format: 21 characters of [0-9A-Za-z].
public static class Ids
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    public const int Length = 21;

    public static string New() => RandomNumberGenerator.GetString(Alphabet, Length);

    public static string NewSecret(int length) => RandomNumberGenerator.GetString(Alphabet, length);

    public static bool LooksValid(string? id) =>
        id is { Length: > 0 and <= 64 } && id.All(char.IsAsciiLetterOrDigit);
}
