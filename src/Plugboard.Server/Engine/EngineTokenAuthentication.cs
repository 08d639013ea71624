using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Plugboard.Server.Http;
using Plugboard.Server.Platform;

namespace Plugboard.Server.Engine;

/// `Authorization: Bearer <engine token>` on the worker routes. API keys are not accepted there, and
/// engine tokens are not accepted anywhere else (the default policy authenticates API keys only).
public sealed class EngineTokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, EngineTokens tokens,
    PlatformStatus platforms)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "EngineToken";
    public const string Policy = "Engine";
    private const int MaxTokenLength = 4096;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length > MaxTokenLength)
        {
            return AuthenticateResult.Fail("invalid engine token");
        }
        var caller = await tokens.ValidateAsync(header["Bearer ".Length..].Trim());
        // The token itself is checked without the database; whether its platform is disabled comes from a
        // cache that is at most a second old (the same on every replica within that bound).
        if (caller is null || await platforms.IsDisabledAsync(caller.PlatformId, Context.RequestAborted))
        {
            return AuthenticateResult.Fail("invalid engine token");
        }
        var identity = new ClaimsIdentity(caller.ToClaims(), SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        new ApiErrorResult(ApiError.Authentication("A valid engine token is required: Authorization: Bearer <token from POST /api/v1/engine-tokens>."))
            .ExecuteAsync(Context);
}
