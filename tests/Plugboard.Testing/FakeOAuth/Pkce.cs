using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Plugboard.Testing.FakeOAuth;

/// RFC 7636 proof key checks.
internal static class Pkce
{
    public const string S256 = "S256";
    public const string Plain = "plain";

    public static bool IsSupported(string method) => method is S256 or Plain;

    public static bool Matches(string challenge, string method, string verifier)
    {
        var expected = method == S256
            ? Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)))
            : verifier;
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(challenge));
    }
}
