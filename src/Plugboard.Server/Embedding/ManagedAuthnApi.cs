using Microsoft.AspNetCore.Http.HttpResults;
using Plugboard.Server.Access;
using Plugboard.Server.Http;

namespace Plugboard.Server.Embedding;

public sealed record ExternalTokenRequest(string? ExternalAccessToken);

/// The exchange's answer: the session token the embedded front end uses as Bearer, and who it is for.
public sealed record ManagedAuthnResponse(
    string Token, DateTime ExpiresAt, string ProjectId, string PlatformId, string Id, string? ExternalId, string Email,
    string FirstName, string LastName, ProjectRole ProjectRole);

/// /api/v1/managed-authn: a SaaS's signed external token in, a Plugboard session out (reference §12).
public static class ManagedAuthnApi
{
    public static RouteGroupBuilder MapManagedAuthn(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/managed-authn").WithTags("Managed authentication").AllowAnonymous();
        group.MapPost("/external-token", Exchange)
            .WithName("ExchangeExternalToken").WithSummary("Exchange an external token for a session token")
            .ProducesApiError(StatusCodes.Status401Unauthorized, StatusCodes.Status409Conflict);
        return group;
    }

    /// Rate limited by its answer (TokenExchangeBudgets): a refused token spends its address's strict budget, a
    /// valid one its signing key's generous one, so guessing stays slow while an office signing in at once does not.
    private static async Task<Results<Ok<ManagedAuthnResponse>, ApiErrorResult>> Exchange(
        HttpContext http, ExternalTokens external, EmbeddedProvisioning provisioning, SessionTokens sessions, EmbeddingOptions options,
        TokenExchangeBudgets budgets, ExternalTokenRequest body, CancellationToken ct)
    {
        var verified = await external.VerifyAsync(body.ExternalAccessToken, ct);
        if (!verified.TryGetValue(out var who, out var rejected))
        {
            return budgets.SpendRefused(http) ?? new ApiErrorResult(rejected);
        }
        if (budgets.SpendValid(http, who.SigningKeyId) is { } tooMany)
        {
            return tooMany;
        }
        var provisioned = await provisioning.ProvisionAsync(who, ct);
        if (!provisioned.TryGetValue(out var created, out var conflict))
        {
            return new ApiErrorResult(conflict);
        }
        var (user, project) = created;
        var (token, _, expiresAt) = sessions.Issue(who.PlatformId, project.Id, user.Id, options.SessionTtlSeconds);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new ManagedAuthnResponse(
            token, expiresAt, project.Id, who.PlatformId, user.Id, user.ExternalId, user.Email, user.FirstName, user.LastName, who.Role));
    }
}
