using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Plugboard.Client.Tests.SigningKeys;

/// What a SaaS backend does to sign its user in: an RS256 JWT whose kid is the signing key's id, built by hand
/// (header.payload.signature, base64url) so the tests need no JWT library.
public static class ExternalJwt
{
    public static string Mint(string privateKeyPem, string kid, string externalUserId, string externalProjectId, string? role = null)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(privateKeyPem);
        return Mint(rsa, kid, externalUserId, externalProjectId, role);
    }

    public static string Mint(RSA key, string kid, string externalUserId, string externalProjectId, string? role = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new Dictionary<string, object>
        {
            ["externalUserId"] = externalUserId,
            ["externalProjectId"] = externalProjectId,
            ["firstName"] = "Ada",
            ["lastName"] = "Lovelace",
            ["iat"] = now,
            ["exp"] = now + 300,
        };
        if (role is not null)
        {
            claims["role"] = role;
        }
        var signed = $"{Part(new { alg = "RS256", typ = "JWT", kid })}.{Part(claims)}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signed}.{Base64Url(signature)}";
    }

    private static string Part(object value) => Base64Url(JsonSerializer.SerializeToUtf8Bytes(value));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
