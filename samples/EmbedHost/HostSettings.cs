using System.Security.Cryptography;

namespace Plugboard.Samples.EmbedHost;

/// Who the sample's signed-in user is and how it signs their token, from environment variables (see README.md).
public sealed record HostSettings(
    Uri PlugboardUrl, string SigningKeyId, RSA PrivateKey, string ExternalProjectId, string ExternalUserId, string Role,
    string? ConnectionName, string? Issuer, string? Audience)
{
    public static HostSettings FromEnvironment(IConfiguration c)
    {
        string Required(string name) => c[name] is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: see samples/EmbedHost/README.md.");
        var pem = c["EMBED_PRIVATE_KEY_PEM"] is { Length: > 0 } text ? text
            : c["EMBED_PRIVATE_KEY_FILE"] is { Length: > 0 } file ? File.ReadAllText(file)
            : throw new InvalidOperationException("EMBED_PRIVATE_KEY_PEM (or EMBED_PRIVATE_KEY_FILE) is not set: the private key the console showed when you created the signing key.");
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        var role = (c["EMBED_ROLE"] is { Length: > 0 } r ? r : "EDITOR").ToUpperInvariant();
        if (role is not ("ADMIN" or "EDITOR" or "VIEWER"))
        {
            throw new InvalidOperationException("EMBED_ROLE must be ADMIN, EDITOR or VIEWER.");
        }
        var url = c["PLUGBOARD_URL"] is { Length: > 0 } u ? u : "http://127.0.0.1:8080";
        return new HostSettings(new Uri(url.TrimEnd('/') + "/"), Required("EMBED_SIGNING_KEY_ID"), rsa,
            c["EMBED_PROJECT"] is { Length: > 0 } p ? p : "org_1234",
            c["EMBED_USER"] is { Length: > 0 } user ? user : "user_1",
            role,
            c["EMBED_CONNECTION_NAME"] is { Length: > 0 } n ? n : null,
            c["EMBED_ISSUER"] is { Length: > 0 } iss ? iss : null,
            c["EMBED_AUDIENCE"] is { Length: > 0 } aud ? aud : null);
    }
}
