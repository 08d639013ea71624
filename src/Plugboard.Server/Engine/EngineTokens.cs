using System.Globalization;
using System.Security.Claims;
using Plugboard.Server.Crypto;

namespace Plugboard.Server.Engine;

/// What a valid engine token says: which project a running job may read, which token it was, and whether the job is
/// a test run (seed 004's test runner: a definition's test credential instead of the customer's).
public sealed record EngineCaller(string PlatformId, string ProjectId, string TokenId, bool TestRun = false)
{
    public const string ActorType = "ENGINE_TOKEN";

    public static EngineCaller From(ClaimsPrincipal user) => new(
        user.FindFirstValue(EngineTokens.PlatformClaim) ?? throw new InvalidOperationException("Not an engine caller."),
        user.FindFirstValue(EngineTokens.ProjectClaim)!,
        user.FindFirstValue(EngineTokens.TokenIdClaim)!,
        user.HasClaim(EngineTokens.TestRunClaim, "true"));

    public IEnumerable<Claim> ToClaims()
    {
        yield return new Claim(EngineTokens.PlatformClaim, PlatformId);
        yield return new Claim(EngineTokens.ProjectClaim, ProjectId);
        yield return new Claim(EngineTokens.TokenIdClaim, TokenId);
        if (TestRun)
        {
            yield return new Claim(EngineTokens.TestRunClaim, "true");
        }
    }
}

/// Short-lived engine tokens bound to one project (see <see cref="ServerTokens"/> for how they are signed).
public sealed class EngineTokens(ServerTokens tokens, ValidatedTokens validated)
{
    public const string Audience = "plugboard-engine";
    public const string PlatformClaim = "platform";
    public const string ProjectClaim = "sub";
    public const string TokenIdClaim = ServerTokens.TokenIdClaim;
    public const string TestRunClaim = "test_run";
    private const string ExpiresClaim = "exp";

    public (string Token, string TokenId, DateTime ExpiresAt) Issue(string platformId, string projectId, int ttlSeconds, bool testRun = false)
    {
        var claims = new Dictionary<string, object> { [ProjectClaim] = projectId, [PlatformClaim] = platformId };
        if (testRun)
        {
            claims[TestRunClaim] = true;
        }
        return tokens.Issue(Audience, claims, ttlSeconds);
    }

    /// The caller the token names, or null when it is not a valid engine token. A token seen before is
    /// not checked again until it expires (<see cref="ValidatedTokens"/>).
    public async ValueTask<EngineCaller?> ValidateAsync(string token)
    {
        if (validated.Find(token) is { } known)
        {
            return known;
        }
        if (await tokens.ValidateAsync(Audience, token) is not { } claims ||
            !claims.TryGetValue(ProjectClaim, out var project) || !claims.TryGetValue(PlatformClaim, out var platform) ||
            !claims.TryGetValue(ExpiresClaim, out var expires))
        {
            return null;
        }
        var testRun = claims.TryGetValue(TestRunClaim, out var flag) && (flag is true || flag is "true");
        var caller = new EngineCaller($"{platform}", $"{project}", $"{claims[TokenIdClaim]}", testRun);
        validated.Remember(token, caller, DateTimeOffset.FromUnixTimeSeconds(Convert.ToInt64(expires, CultureInfo.InvariantCulture)));
        return caller;
    }
}
