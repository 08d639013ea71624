using System.Security.Cryptography;
using System.Text;
using Plugboard.Server.Crypto;
using Plugboard.Server.Outbox;

namespace Plugboard.Server.Webhooks;

/// Standard Webhooks signing: secrets are `whsec_` + base64 of random bytes; a signature is
/// `v1,` + base64(HMAC-SHA256(secret bytes, "{id}.{timestamp}.{body}")).
public static class WebhookSigning
{
    public const string SecretPrefix = "whsec_";
    private const int SecretBytes = 32;
    public const string SecretField = "signing_secret";

    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(SecretBytes));

    public static SecretContext Context(string platformId, string endpointId) => new(platformId, endpointId, SecretField);

    public static SecretContext Context(WebhookEndpoint endpoint) => Context(endpoint.PlatformId, endpoint.Id);

    public static string Sign(string secret, string id, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret[SecretPrefix.Length..]);
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
        CryptographicOperations.ZeroMemory(key);
        return "v1," + Convert.ToBase64String(mac);
    }
}
