using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Plugboard.Server.Http;

namespace Plugboard.Server.Crypto;

/// Short-lived HS256 tokens Plugboard issues to itself (engine tokens, embed session tokens), one audience
/// each. The signing key of an audience is derived (HKDF) from an encryption key of the ring and named by
/// its key id, so every replica given the same keys signs and verifies alike, tokens of one audience are
/// worthless for another, and a key rotation rotates the signing keys with nothing to store.
public sealed class ServerTokens(KeyRingProvider keys, TimeProvider time)
{
    public const string Issuer = "plugboard";
    public const string TokenIdClaim = "jti";

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly ConcurrentDictionary<(string Audience, string KeyId), SymmetricSecurityKey> _signingKeys = new();

    public (string Token, string TokenId, DateTime ExpiresAt) Issue(string audience, IDictionary<string, object> claims, int ttlSeconds)
    {
        var now = time.UtcNow();
        var expiresAt = now.AddSeconds(ttlSeconds);
        var tokenId = Ids.New();
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = expiresAt,
            Claims = new Dictionary<string, object>(claims) { [TokenIdClaim] = tokenId },
            SigningCredentials = new SigningCredentials(SigningKey(audience, keys.Current.Primary), SecurityAlgorithms.HmacSha256),
        });
        return (token, tokenId, expiresAt);
    }

    /// The token's claims, or null when it is malformed, forged, expired, of another audience or signed by an unknown key.
    public async Task<IDictionary<string, object>?> ValidateAsync(string audience, string token)
    {
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = audience,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            IssuerSigningKeyResolver = (_, _, kid, _) =>
                kid is not null && keys.Current.TryGet(kid, out var key) ? [SigningKey(audience, key)] : [],
            // Lifetime by the injected clock, so tests move time instead of sleeping.
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                return expires is { } e && now < e && (notBefore is not { } nb || now >= nb.AddSeconds(-5));
            },
        });
        return result.IsValid && result.Claims.ContainsKey(TokenIdClaim) ? result.Claims : null;
    }

    private SymmetricSecurityKey SigningKey(string audience, EncryptionKey key) => _signingKeys.GetOrAdd((audience, key.Id), k =>
        new SymmetricSecurityKey(HKDF.DeriveKey(HashAlgorithmName.SHA256, key.Material, 32, salt: [], info: Encoding.UTF8.GetBytes($"plugboard/token/v1|{k.Audience}")))
        {
            KeyId = key.Id,
        });
}
