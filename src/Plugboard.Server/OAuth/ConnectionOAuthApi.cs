using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Access;
using Plugboard.Server.Connections;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.Projects;

namespace Plugboard.Server.OAuth;

/// The OAuth2 routes under /api/v1/app-connections: building the consent URL, and an admin-triggered refresh.
public static class ConnectionOAuthApi
{
    public static RouteGroupBuilder MapConnectionOAuth(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/app-connections").WithTags("App connections").RequireAuthorization();
        group.MapPost("/oauth2/authorization-url", BuildAuthorizationUrl).RequireAuthorization(Policies.ProjectWrite)
            .WithName("BuildOAuth2AuthorizationUrl").WithSummary("Build an OAuth2 consent URL")
            .ProducesApiError(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/refresh", Refresh).RequireAuthorization(Policies.ProjectWrite)
            .WithName("RefreshAppConnection").WithSummary("Refresh an OAuth2 connection's tokens")
            .ProducesApiError(StatusCodes.Status409Conflict);
        return group;
    }

    private static async Task<Results<Ok<AuthorizationUrlResponse>, ApiErrorResult>> BuildAuthorizationUrl(
        Caller caller, PlugboardDb db, OAuthProviderCatalogue catalogue, AuthorizationUrlRequest body, CancellationToken ct)
    {
        var invalid = Validate.FirstError(
            Validate.Text(body.PieceName, "pieceName"),
            Validate.Text(body.ClientId, "clientId"),
            Validate.Text(body.RedirectUrl, "redirectUrl", max: 2048));
        if (invalid is not null)
        {
            return new ApiErrorResult(invalid);
        }
        if (body.ProjectId is not null || caller.ProjectId is not null)
        {
            if ((await db.ResolveProjectAsync(caller, body.ProjectId, ct)).Error is { } denied)
            {
                return new ApiErrorResult(denied);
            }
        }
        var provider = await catalogue.ResolveAsync(db, caller.PlatformId, body.Provider, body.PieceName!, ct);
        if (provider is null)
        {
            return new ApiErrorResult(ApiError.Validation("provider names no provider of the catalogue (GET /api/v1/oauth-providers lists them).", "provider"));
        }
        var (result, error, field) = AuthorizationUrl.Build(body, provider);
        return error is null ? TypedResults.Ok(result!) : new ApiErrorResult(ApiError.Validation(error, field));
    }

    /// Refreshes when due (as a read does) or, with force=true, now. One refresh at a time whatever
    /// the number of callers and replicas; the answer is the connection as it stands afterwards.
    private static async Task<Results<Ok<ConnectionDto>, ApiErrorResult>> Refresh(
        Caller caller, PlugboardDb db, IConnectionUsage usage, TokenRefresher refresher, string id, bool? force, CancellationToken ct)
    {
        var connection = await db.VisibleTo(caller).AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (connection is null)
        {
            return new ApiErrorResult(ConnectionViews.NotFound(id));
        }
        if (!connection.IsOAuth)
        {
            return new ApiErrorResult(ApiError.Validation("Only OAUTH2, CLOUD_OAUTH2 and PLATFORM_OAUTH2 connections have tokens to refresh.", "id"));
        }
        var outcome = await refresher.RefreshAsync(id, force ?? false, ct);
        return outcome.Result switch
        {
            RefreshResult.NotFound => new ApiErrorResult(ConnectionViews.NotFound(id)),
            RefreshResult.Busy => new ApiErrorResult(ApiError.Conflict(ErrorCodes.ConcurrentUpdate, "Another replica is refreshing this connection; retry shortly.")),
            _ => TypedResults.Ok(await db.ToDtoAsync(usage, outcome.Connection!, caller, ct)),
        };
    }
}
