namespace Plugboard.Server.Embedding;

public sealed record CreateSigningKeyRequest(string? DisplayName, string? PublicKey = null, string? Issuer = null, string? Audience = null);

public sealed record SigningKeyDto(string Id, DateTime Created, string PlatformId, string DisplayName, string PublicKey, string Algorithm, string? Issuer, string? Audience)
{
    public static SigningKeyDto From(SigningKey k) => new(k.Id, k.Created, k.PlatformId, k.DisplayName, k.PublicKey, "RS256", k.Issuer, k.Audience);
}

/// The answer to a key generation: the private key, shown this once and never stored.
public sealed record CreatedSigningKeyDto(
    string Id, DateTime Created, string PlatformId, string DisplayName, string PublicKey, string Algorithm, string? Issuer, string? Audience, string? PrivateKey);
