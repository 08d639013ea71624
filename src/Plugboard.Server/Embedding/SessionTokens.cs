using Plugboard.Server.Crypto;

namespace Plugboard.Server.Embedding;

/// What a valid session token says: which user, in which project of which platform.
public sealed record SessionClaims(string PlatformId, string ProjectId, string UserId, string TokenId);

/// The bearer token an embedded front end uses after managed authentication: bound to one user and one
/// project, living hours (see <see cref="ServerTokens"/> for the signing). The user's role is not in it:
/// it is read per request, so a changed or removed membership takes effect at once.
public sealed class SessionTokens(ServerTokens tokens)
{
    public const string Audience = "plugboard-session";
    private const string UserClaim = "sub";
    private const string ProjectClaim = "project";
    private const string PlatformClaim = "platform";

    public (string Token, string TokenId, DateTime ExpiresAt) Issue(string platformId, string projectId, string userId, int ttlSeconds) =>
        tokens.Issue(Audience, new Dictionary<string, object> { [UserClaim] = userId, [ProjectClaim] = projectId, [PlatformClaim] = platformId }, ttlSeconds);

    public async Task<SessionClaims?> ValidateAsync(string token) =>
        await tokens.ValidateAsync(Audience, token) is { } c &&
        c.TryGetValue(UserClaim, out var user) && c.TryGetValue(ProjectClaim, out var project) && c.TryGetValue(PlatformClaim, out var platform)
            ? new SessionClaims($"{platform}", $"{project}", $"{user}", $"{c[ServerTokens.TokenIdClaim]}")
            : null;
}
