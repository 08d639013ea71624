using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Plugboard.Server.Crypto;
using Plugboard.Server.Http;

namespace Plugboard.Server.Engine;

/// What a valid engine token says: which project a running job may read, and which token it was.
public sealed record EngineCaller(string PlatformId, string ProjectId, string TokenId)
{
    public const string ActorType = "ENGINE_TOKEN";

    public static EngineCaller From(ClaimsPrincipal user) => new(
        user.FindFirstValue(EngineTokens.PlatformClaim) ?? throw new InvalidOperationException("Not an engine caller."),
        user.FindFirstValue(EngineTokens.ProjectClaim)!,
        user.FindFirstValue(EngineTokens.TokenIdClaim)!);
}

/// Short-lived HS256 tokens bound to one project. The signing key is derived (HKDF) from an encryption
/// key of the ring and named by its key id, so every replica given the same keys signs and verifies
/// alike, and a key rotation rotates the signing key with nothing to store.
public sealed class EngineTokens(KeyRingProvider keys, TimeProvider time)
{
    public const string Issuer = "plugboard";
    public const string Audience = "plugboard-engine";
    public const string PlatformClaim = "platform";
    public const string ProjectClaim = "sub";
    public const string TokenIdClaim = "jti";
    private static readonly byte[] DerivationInfo = Encoding.UTF8.GetBytes("plugboard/engine-token/v1");

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly ConcurrentDictionary<string, SymmetricSecurityKey> _signingKeys = new(StringComparer.Ordinal);

    public (string Token, string TokenId, DateTime ExpiresAt) Issue(string platformId, string projectId, int ttlSeconds)
    {
        var now = time.UtcNow();
        var expiresAt = now.AddSeconds(ttlSeconds);
        var tokenId = Ids.New();
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = expiresAt,
            Claims = new Dictionary<string, object>
            {
                [ProjectClaim] = projectId,
                [PlatformClaim] = platformId,
                [TokenIdClaim] = tokenId,
            },
            SigningCredentials = new SigningCredentials(SigningKey(keys.Current.Primary), SecurityAlgorithms.HmacSha256),
        });
        return (token, tokenId, expiresAt);
    }

    /// The caller the token names, or null when it is malformed, forged, expired or signed by an unknown key.
    public async Task<EngineCaller?> ValidateAsync(string token)
    {
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            IssuerSigningKeyResolver = (_, _, kid, _) =>
                kid is not null && keys.Current.TryGet(kid, out var key) ? [SigningKey(key)] : [],
            // Lifetime by the injected clock, so tests move time instead of sleeping.
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                return expires is { } e && now < e && (notBefore is not { } nb || now >= nb.AddSeconds(-5));
            },
        });
        if (!result.IsValid ||
            !result.Claims.TryGetValue(ProjectClaim, out var project) ||
            !result.Claims.TryGetValue(PlatformClaim, out var platform) ||
            !result.Claims.TryGetValue(TokenIdClaim, out var tokenId))
        {
            return null;
        }
        return new EngineCaller($"{platform}", $"{project}", $"{tokenId}");
    }

    private SymmetricSecurityKey SigningKey(EncryptionKey key) => _signingKeys.GetOrAdd(key.Id, _ =>
        new SymmetricSecurityKey(HKDF.DeriveKey(HashAlgorithmName.SHA256, key.Material, 32, salt: [], info: DerivationInfo))
        {
            KeyId = key.Id,
        });
}
