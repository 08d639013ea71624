using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Access;
using Plugboard.Server.Audit;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Server.OAuth;

/// No secret: the client secret goes in once and never comes back out.
public sealed record OAuthAppDto(string Id, DateTime Created, DateTime Updated, string PlatformId, string PieceName, string ClientId);

public sealed record UpsertOAuthAppRequest(string? PieceName, string? ClientId, string? ClientSecret);

/// /api/v1/oauth-apps: the platform's own OAuth apps, used by PLATFORM_OAUTH2 connections. Platform keys only.
public static class OAuthAppsApi
{
    private const int MaxSecretLength = 4096;

    public static RouteGroupBuilder MapOAuthApps(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/oauth-apps").WithTags("OAuth apps").RequireAuthorization(Policies.PlatformKey);
        group.MapGet("/", List).WithName("ListOAuthApps").WithSummary("List the platform's OAuth2 apps");
        group.MapPost("/", Upsert).WithName("UpsertOAuthApp").WithSummary("Register or update an OAuth2 app")
            .ProducesApiError(StatusCodes.Status409Conflict);
        group.MapDelete("/{id}", Delete).WithName("DeleteOAuthApp").WithSummary("Delete an OAuth2 app");
        return group;
    }

    private static async Task<Results<Ok<SeekPage<OAuthAppDto>>, ApiErrorResult>> List(
        Caller caller, PlugboardDb db, string? pieceName, string? limit, string? cursor, CancellationToken ct)
    {
        if (!PageRequest.TryParse(limit, cursor, 10, out var page, out var error))
        {
            return new ApiErrorResult(error);
        }
        var query = db.OAuthApps.AsNoTracking().Where(a => a.PlatformId == caller.PlatformId);
        if (pieceName is not null)
        {
            query = query.Where(a => a.PieceName == pieceName);
        }
        return TypedResults.Ok(await query.ToSeekPageAsync(page, rows => Task.FromResult<IReadOnlyList<OAuthAppDto>>(rows.Select(ToDto).ToList()), ct));
    }

    /// One app per (piece, client id): posting it again replaces the secret.
    private static async Task<Results<Ok<OAuthAppDto>, ApiErrorResult>> Upsert(
        Caller caller, PlugboardDb db, SecretProtector protector, TimeProvider time, UpsertOAuthAppRequest body, CancellationToken ct)
    {
        var invalid = Validate.FirstError(
            Validate.Text(body.PieceName, "pieceName"),
            Validate.Text(body.ClientId, "clientId"),
            Validate.Text(body.ClientSecret, "clientSecret", max: MaxSecretLength));
        if (invalid is not null)
        {
            return new ApiErrorResult(invalid);
        }
        return await db.RetryOnConflictAsync(
            () => UpsertOnceAsync(caller, db, protector, time, body, ct),
            () => new ApiErrorResult(ApiError.Conflict(ErrorCodes.ConcurrentUpdate, "The OAuth app was changed by other requests at the same time; retry.")),
            ct);
    }

    /// One attempt; a concurrent create of the same app makes it lose on the unique index and run again, updating it.
    private static async Task<Results<Ok<OAuthAppDto>, ApiErrorResult>> UpsertOnceAsync(
        Caller caller, PlugboardDb db, SecretProtector protector, TimeProvider time, UpsertOAuthAppRequest body, CancellationToken ct)
    {
        var now = time.UtcNow();
        var app = await db.OAuthApps.FirstOrDefaultAsync(
            a => a.PlatformId == caller.PlatformId && a.PieceName == body.PieceName && a.ClientId == body.ClientId, ct);
        if (app is null)
        {
            app = new OAuthApp
            {
                Id = Ids.New(),
                PlatformId = caller.PlatformId,
                PieceName = body.PieceName!,
                ClientId = body.ClientId!,
                ClientSecret = "",
                Created = now,
                Updated = now,
            };
            db.OAuthApps.Add(app);
        }
        app.ClientSecret = protector.Protect(body.ClientSecret!, OAuthAppSecrets.Context(app));
        app.Updated = now;
        db.Record(time, caller, "oauth_app.upserted", "oauth_app", app.Id, null, new { app.PieceName, app.ClientId });
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToDto(app));
    }

    private static async Task<Results<NoContent, ApiErrorResult>> Delete(Caller caller, PlugboardDb db, TimeProvider time, string id, CancellationToken ct)
    {
        var app = await db.OAuthApps.FirstOrDefaultAsync(a => a.Id == id && a.PlatformId == caller.PlatformId, ct);
        if (app is null)
        {
            return new ApiErrorResult(ApiError.NotFound("oauth_app", id, "OAuth app not found"));
        }
        db.OAuthApps.Remove(app);
        db.Record(time, caller, "oauth_app.deleted", "oauth_app", app.Id, null, new { app.PieceName, app.ClientId });
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static OAuthAppDto ToDto(OAuthApp a) => new(a.Id, a.Created, a.Updated, a.PlatformId, a.PieceName, a.ClientId);
}
