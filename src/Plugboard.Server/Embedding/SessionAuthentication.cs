using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Plugboard.Server.Access;
using Plugboard.Server.Data;
using Plugboard.Server.Engine;
using Plugboard.Server.Http;
using Plugboard.Server.Platform;
using Plugboard.Server.Projects;

namespace Plugboard.Server.Embedding;

/// `Authorization: Bearer <session token>` from managed authentication: an embedded user in one project,
/// with the role their membership has now (a removed member's token stops working at once).
public sealed class SessionAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, SessionTokens tokens, PlugboardDb db,
    EngineTokens engineTokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Session";
    private const int MaxTokenLength = 4096;

    /// An engine token is a JWT too, so it lands here on a management route: it is refused by name.
    private bool _presentedEngineToken;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length > MaxTokenLength)
        {
            return AuthenticateResult.Fail("invalid session token");
        }
        var presented = header["Bearer ".Length..].Trim();
        if (await tokens.ValidateAsync(presented) is not { } session)
        {
            _presentedEngineToken = await engineTokens.ValidateAsync(presented) is not null;
            return AuthenticateResult.Fail("invalid session token");
        }
        var member = await (
                from m in db.ProjectMembers.AsNoTracking()
                join u in db.Users on m.UserId equals u.Id
                join p in db.Projects on m.ProjectId equals p.Id
                join platform in db.Platforms on p.PlatformId equals platform.Id
                where m.UserId == session.UserId && m.ProjectId == session.ProjectId &&
                    u.PlatformId == session.PlatformId && p.PlatformId == session.PlatformId && platform.DisabledAt == null
                select new { m.Role })
            .FirstOrDefaultAsync(Context.RequestAborted);
        if (member is null)
        {
            return AuthenticateResult.Fail("session no longer valid");
        }
        var caller = new Caller(session.PlatformId, Caller.UserActor, session.UserId, session.ProjectId, session.UserId, member.Role);
        var identity = new ClaimsIdentity(caller.ToClaims(), SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        new ApiErrorResult(ApiError.Authentication(_presentedEngineToken
                ? "This route takes an API key (or an embedded session); engine tokens open only /api/v1/worker routes."
                : "A valid session token is required: Authorization: Bearer <token from POST /api/v1/managed-authn/external-token>."))
            .ExecuteAsync(Context);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        new ApiErrorResult(ApiError.Authorization("Your role in this project does not allow this, or this route is for the platform's API keys."))
            .ExecuteAsync(Context);
}
