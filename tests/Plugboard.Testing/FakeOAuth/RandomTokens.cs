using System.Buffers.Text;
using System.Security.Cryptography;

namespace Plugboard.Testing.FakeOAuth;

internal static class RandomTokens
{
    public static string AccessToken() => New("at_");

    public static string RefreshToken() => New("rt_");

    public static string Code() => New("code_");

    // 192 random bits: a test that guesses or forges a token must fail the way it would against a real provider.
    private static string New(string prefix)
    {
        Span<byte> bytes = stackalloc byte[24];
        RandomNumberGenerator.Fill(bytes);
        return prefix + Base64Url.EncodeToString(bytes);
    }
}
