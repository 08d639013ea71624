using System.Security.Claims;
using Plugboard.Server.Crypto;

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

/// Short-lived engine tokens bound to one project (see <see cref="ServerTokens"/> for how they are signed).
public sealed class EngineTokens(ServerTokens tokens)
{
    public const string Audience = "plugboard-engine";
    public const string PlatformClaim = "platform";
    public const string ProjectClaim = "sub";
    public const string TokenIdClaim = ServerTokens.TokenIdClaim;

    public (string Token, string TokenId, DateTime ExpiresAt) Issue(string platformId, string projectId, int ttlSeconds) =>
        tokens.Issue(Audience, new Dictionary<string, object> { [ProjectClaim] = projectId, [PlatformClaim] = platformId }, ttlSeconds);

    /// The caller the token names, or null when it is not a valid engine token.
    public async Task<EngineCaller?> ValidateAsync(string token) =>
        await tokens.ValidateAsync(Audience, token) is { } claims &&
        claims.TryGetValue(ProjectClaim, out var project) && claims.TryGetValue(PlatformClaim, out var platform)
            ? new EngineCaller($"{platform}", $"{project}", $"{claims[TokenIdClaim]}")
            : null;
}
