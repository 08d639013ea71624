using Microsoft.AspNetCore.Http.HttpResults;
using Plugboard.Server.Access;
using Plugboard.Server.Http;
using Plugboard.Server.Platform;
using Plugboard.Server.Projects;

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
        var (exchanged, refused) = await ExchangeAsync(http, external, provisioning, sessions, options, budgets, body.ExternalAccessToken, null, ct);
        if (exchanged is null)
        {
            return refused!;
        }
        var (who, user, project, token, expiresAt) = exchanged;
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new ManagedAuthnResponse(
            token, expiresAt, project.Id, who.PlatformId, user.Id, user.ExternalId, user.Email, user.FirstName, user.LastName, who.Role));
    }

    /// The exchange itself, shared with the embeddable Connect screen's hand-over: verify the external token (spending
    /// the budgets as above), run <paramref name="check"/> on who it names before anything is written, provision the
    /// project, user and membership, and issue the session token.
    public static async Task<(Exchanged? Value, ApiErrorResult? Refused)> ExchangeAsync(
        HttpContext http, ExternalTokens external, EmbeddedProvisioning provisioning, SessionTokens sessions, EmbeddingOptions options,
        TokenExchangeBudgets budgets, string? externalToken, Func<ExternalIdentity, Task<ApiError?>>? check, CancellationToken ct)
    {
        var verified = await external.VerifyAsync(externalToken, ct);
        if (!verified.TryGetValue(out var who, out var rejected))
        {
            return (null, budgets.SpendRefused(http) ?? new ApiErrorResult(rejected));
        }
        if (budgets.SpendValid(http, who.SigningKeyId) is { } tooMany)
        {
            return (null, tooMany);
        }
        if (check is not null && await check(who) is { } refused)
        {
            return (null, new ApiErrorResult(refused));
        }
        var provisioned = await provisioning.ProvisionAsync(who, ct);
        if (!provisioned.TryGetValue(out var created, out var conflict))
        {
            return (null, new ApiErrorResult(conflict));
        }
        var (user, project) = created;
        var (token, _, expiresAt) = sessions.Issue(who.PlatformId, project.Id, user.Id, options.SessionTtlSeconds);
        return (new Exchanged(who, user, project, token, expiresAt), null);
    }
}

/// A completed exchange: who the token named, the user and project it provisioned, and the session token issued.
public sealed record Exchanged(ExternalIdentity Who, User User, Project Project, string Token, DateTime ExpiresAt);
