using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Plugboard.Server.Access;
using Plugboard.Server.Http;

namespace Plugboard.Server.Platform;

/// `Authorization: Bearer <PLUGBOARD_OPERATOR_KEY>` on the platform routes only. The identity it makes
/// carries no platform, so no platform or project route can use it, and the default policy never runs
/// this scheme: the operator key is not a platform key.
public sealed class OperatorKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, OperatorOptions operatorOptions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "OperatorKey";
    public const string Policy = "Operator";
    public const string ActorType = "OPERATOR";
    public const string ActorId = "operator";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || !operatorOptions.Matches(header["Bearer ".Length..].Trim()))
        {
            return Task.FromResult(AuthenticateResult.Fail("invalid operator key"));
        }
        var identity = new ClaimsIdentity(
            [new Claim(ClaimNames.ActorType, ActorType), new Claim(ClaimNames.ActorId, ActorId)],
            SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    // One answer whether or not an operator is configured: a caller learns nothing about the set-up.
    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        new ApiErrorResult(ApiError.Authentication("A valid operator key is required: Authorization: Bearer <PLUGBOARD_OPERATOR_KEY>."))
            .ExecuteAsync(Context);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        new ApiErrorResult(ApiError.Authorization("This route needs the operator key.")).ExecuteAsync(Context);
}
