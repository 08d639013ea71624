using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Plugboard.Server.Access;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.Platform;

namespace Plugboard.Server.Embedding;

/// Who the SaaS says the user is, from a verified external token.
public sealed record ExternalIdentity(
    string PlatformId, string ExternalUserId, string ExternalProjectId, string ProjectDisplayName, string FirstName, string LastName, ProjectRole Role)
{
    /// The signing key that verified the token (its kid): valid exchanges are limited per signing key.
    public string SigningKeyId { get; init; } = "";
}

/// Verifies a SaaS's external token: RS256 only (so neither `alg: none` nor an HS256 token keyed with the
/// public key passes), signed by the signing key its `kid` names, with an `exp` that is present, not past and
/// not far ahead, an `nbf` not ahead, and `iss`/`aud` when the key sets them.
public sealed class ExternalTokens(PlugboardDb db, EmbeddingOptions options, TimeProvider time)
{
    private const int MaxTokenLength = 16 * 1024;
    private const int MaxIdLength = 200;
    private static readonly JsonWebTokenHandler Handler = new();
    private static readonly ConcurrentDictionary<string, RsaSecurityKey> VerificationKeys = new(StringComparer.Ordinal);

    public async Task<Outcome<ExternalIdentity>> VerifyAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token))
        {
            return ApiError.Validation("externalAccessToken is required.", "externalAccessToken");
        }
        if (token.Length > MaxTokenLength || !Handler.CanReadToken(token) || Kid(token) is not { } kid)
        {
            return Rejected("it is not a signed JWT with a kid");
        }
        var key = await db.SigningKeys.AsNoTracking()
            .Where(k => k.Id == kid && db.Set<PlatformEntity>().Any(p => p.Id == k.PlatformId && p.DisabledAt == null))
            .FirstOrDefaultAsync(ct);
        if (key is null)
        {
            return Rejected("its kid names no signing key");
        }
        var result = await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKey = VerificationKey(key),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateIssuer = key.Issuer is not null,
            ValidIssuer = key.Issuer,
            ValidateAudience = key.Audience is not null,
            ValidAudience = key.Audience,
            TryAllIssuerSigningKeys = false,
            LifetimeValidator = (notBefore, expires, _, _) => Lifetime(notBefore, expires),
        });
        if (!result.IsValid)
        {
            return Rejected("its signature, lifetime, issuer or audience is not valid");
        }
        var identity = Identity(key.PlatformId, result.Claims);
        return identity.Succeeded ? identity.Value with { SigningKeyId = key.Id } : identity.Error;
    }

    /// A key's public half never changes under its id, so its parsed form is kept (the token handler also
    /// caches signature providers by key id: a disposed RSA behind one would fail every later check).
    private static RsaSecurityKey VerificationKey(SigningKey key) => VerificationKeys.GetOrAdd(key.Id, _ =>
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(key.PublicKey);
        return new RsaSecurityKey(rsa) { KeyId = key.Id };
    });

    private bool Lifetime(DateTime? notBefore, DateTime? expires)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return expires is { } exp && now < exp + options.ClockSkew && exp - now <= options.MaxExternalTokenLifetime &&
            (notBefore is not { } nbf || nbf <= now + options.ClockSkew);
    }

    private static string? Kid(string token)
    {
        try
        {
            return new JsonWebToken(token).Kid is { Length: > 0 and <= 64 } kid ? kid : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static Outcome<ExternalIdentity> Identity(string platformId, IDictionary<string, object> claims)
    {
        string? Text(string name) => claims.TryGetValue(name, out var v) && v is string s && s.Trim().Length > 0 ? s.Trim() : null;
        // Claims become project, user and member rows: text the database and the JSON writer can take back.
        if (TextClaims.FirstOrDefault(name => claims.TryGetValue(name, out var v) && v is string s && !StorableText.IsStorable(s)) is { } bad)
        {
            return ApiError.Validation($"The external token's {bad} claim holds a NUL or an unpaired UTF-16 surrogate.", "externalAccessToken");
        }
        var userId = Text("externalUserId");
        var projectId = Text("externalProjectId");
        if (userId is not { Length: <= MaxIdLength } || projectId is not { Length: <= MaxIdLength })
        {
            return ApiError.Validation($"The external token needs the claims externalUserId and externalProjectId (1 to {MaxIdLength} characters).", "externalAccessToken");
        }
        ProjectRole? role = Text("role") switch
        {
            null or "EDITOR" => ProjectRole.Editor,
            "ADMIN" => ProjectRole.Admin,
            "VIEWER" => ProjectRole.Viewer,
            _ => null,
        };
        if (role is null)
        {
            return ApiError.Validation("The external token's role claim must be ADMIN, EDITOR or VIEWER.", "externalAccessToken");
        }
        return new ExternalIdentity(platformId, userId, projectId, Clip(Text("projectDisplayName") ?? projectId),
            Clip(Text("firstName") ?? ""), Clip(Text("lastName") ?? ""), role.Value);
    }

    private static readonly string[] TextClaims = ["externalUserId", "externalProjectId", "projectDisplayName", "firstName", "lastName", "role"];

    private static string Clip(string text) => StorableText.Clip(text, Lengths.Name);

    private static ApiError Rejected(string why) => ApiError.Authentication($"The external token is rejected: {why}.");
}
