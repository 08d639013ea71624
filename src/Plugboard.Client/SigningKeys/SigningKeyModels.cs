using System.Text.Json.Serialization;

namespace Plugboard.Client;

/// <summary>The algorithm a signing key verifies.</summary>
public enum SigningKeyAlgorithm
{
    /// <summary>RSA with SHA-256 (the only one accepted: neither <c>none</c> nor HMAC).</summary>
    [JsonStringEnumMemberName("RS256")] Rs256,
}

/// <summary>A signing key: the public half of the SaaS's RSA key, which external tokens must be signed with.</summary>
/// <param name="Id">The key's id: the <c>kid</c> header of the tokens it verifies.</param>
/// <param name="Created">When it was registered.</param>
/// <param name="PlatformId">Its platform.</param>
/// <param name="DisplayName">Its name.</param>
/// <param name="PublicKey">The public key, PEM.</param>
/// <param name="Algorithm">The algorithm tokens must use.</param>
/// <param name="Issuer">The <c>iss</c> tokens must carry, when set.</param>
/// <param name="Audience">The <c>aud</c> tokens must carry, when set.</param>
public sealed record SigningKey(
    string Id, DateTimeOffset Created, string PlatformId, string DisplayName, string PublicKey, SigningKeyAlgorithm Algorithm,
    string? Issuer, string? Audience);

/// <summary>A signing key just registered or generated. <see cref="ToString"/> never prints the private key.</summary>
/// <param name="Id">The key's id: the <c>kid</c> header of the tokens it verifies.</param>
/// <param name="Created">When it was registered.</param>
/// <param name="PlatformId">Its platform.</param>
/// <param name="DisplayName">Its name.</param>
/// <param name="PublicKey">The public key, PEM.</param>
/// <param name="Algorithm">The algorithm tokens must use.</param>
/// <param name="Issuer">The <c>iss</c> tokens must carry, when set.</param>
/// <param name="Audience">The <c>aud</c> tokens must carry, when set.</param>
/// <param name="PrivateKey">The generated private key (PEM), shown this once and never stored; null when a public key was registered.</param>
public sealed record CreatedSigningKey(
    string Id, DateTimeOffset Created, string PlatformId, string DisplayName, string PublicKey, SigningKeyAlgorithm Algorithm,
    string? Issuer, string? Audience, string? PrivateKey)
{
    /// <summary>Everything but the private key.</summary>
    public override string ToString() =>
        $"CreatedSigningKey {{ Id = {Id}, Created = {Created}, PlatformId = {PlatformId}, DisplayName = {DisplayName}, Algorithm = {Algorithm}, " +
        $"Issuer = {Issuer}, Audience = {Audience}, PrivateKey = {(PrivateKey is null ? "null" : "<redacted>")} }}";
}

/// <summary>Registers the SaaS's own public key, or, without one, has the server generate a key pair.</summary>
public sealed record CreateSigningKeyRequest
{
    /// <summary>Its name.</summary>
    public required string DisplayName { get; init; }

    /// <summary>The SaaS's RSA public key, PEM; null to generate a pair (the private key is then in the answer, once).</summary>
    public string? PublicKey { get; init; }

    /// <summary>The <c>iss</c> tokens must carry (not checked when null).</summary>
    public string? Issuer { get; init; }

    /// <summary>The <c>aud</c> tokens must carry (not checked when null).</summary>
    public string? Audience { get; init; }
}

/// <summary>Paging of <see cref="SigningKeysClient.ListAsync"/>.</summary>
public sealed record SigningKeyQuery
{
    /// <summary>Rows per page, 1 to 100 (the server's default when null).</summary>
    public int? Limit { get; init; }
}
