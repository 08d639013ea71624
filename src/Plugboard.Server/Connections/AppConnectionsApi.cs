using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Access;
using Plugboard.Server.Audit;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.Pieces;
using Plugboard.Server.Platform;
using Plugboard.Server.Projects;

namespace Plugboard.Server.Connections;

/// /api/v1/app-connections: a project's connections (seed 002).
public static class AppConnectionsApi
{
    private const int DefaultLimit = 10;

    public static RouteGroupBuilder MapAppConnections(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/app-connections").WithTags("App connections").RequireAuthorization();
        group.MapGet("/", List).WithName("ListAppConnections").WithSummary("List a project's connections")
            .WithDescription("Filters: pieceName, displayName (substring), status (repeatable), scope, definition, and metadata.<key>=<value> " +
                "(a top-level metadata string, exact match; repeat with other keys to AND them), e.g. ?projectId=…&metadata.tenantId=t-42.")
            .ProducesApiError(StatusCodes.Status404NotFound);
        group.MapPost("/", Upsert).RequireAuthorization(Policies.ProjectWrite)
            .WithName("UpsertAppConnection").WithSummary("Create or update a project connection by externalId")
            .ProducesApiError(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapGet("/owners", Owners).WithName("ListAppConnectionOwners").WithSummary("List the owners of a project's connections")
            .ProducesApiError(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        group.MapGet("/{id}", Get).WithName("GetAppConnection").WithSummary("Get a connection");
        group.MapPost("/{id}", Update).RequireAuthorization(Policies.ProjectWrite)
            .WithName("UpdateAppConnection").WithSummary("Rename a connection or change its metadata")
            .ProducesApiError(StatusCodes.Status409Conflict);
        group.MapDelete("/{id}", Delete).RequireAuthorization(Policies.ProjectWrite)
            .WithName("DeleteAppConnection").WithSummary("Delete a project connection")
            .ProducesApiError(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict);
        return group;
    }

    private static async Task<Results<Ok<SeekPage<ConnectionDto>>, ApiErrorResult>> List(
        Caller caller, PlugboardDb db, IConnectionUsage usage, ConnectionPages pages, HttpRequest request, string? projectId, string? pieceName,
        string? displayName, string[]? status, string? scope, string? definition, string? limit, string? cursor, CancellationToken ct)
    {
        // The project's existence is checked only when the page is empty: its rows imply it.
        if (!ProjectAccess.ProjectInReach(caller, projectId).TryGetValue(out var resolved, out var denied))
        {
            return new ApiErrorResult(denied);
        }
        if (!PageRequest.TryParse(limit, cursor, DefaultLimit, out var page, out var error) ||
            (error = ConnectionFilters.TryParse(pieceName, displayName, status, scope, definition, request.Query, out var filters)) is not null)
        {
            return new ApiErrorResult(error);
        }
        var key = ConnectionPages.Key.For("app", caller, request);
        if (pages.TryGet(key, out var known))
        {
            return TypedResults.Ok(known);
        }
        var generation = pages.Generation;

        // Two keyset windows merged: the project's own connections and the global ones shared with it. Each window is
        // already limited and sought on an index in page order, so a page costs the same at any depth and under any filter.
        var own = db.Window(caller, resolved, sharedWith: null, filters, page);
        var shared = db.Window(caller, AppConnection.PlatformScopeKey, sharedWith: resolved, filters, page);
        var query = filters.Scope switch
        {
            ConnectionScope.Project => own,
            ConnectionScope.Platform => shared,
            _ => own.Concat(shared).Seek(page),
        };
        var rows = await query.ToListAsync(ct);
        if (rows.Count == 0 && !await db.ProjectExistsAsync(caller, resolved, ct))
        {
            return new ApiErrorResult(ProjectAccess.ProjectNotFound(resolved));
        }
        var answer = await rows.ToSeekPageAsync(page, r => db.ToDtosAsync(usage, r, caller, ct));
        pages.Remember(key, generation, answer);
        return TypedResults.Ok(answer);
    }

    private static async Task<Results<Created<ConnectionDto>, Ok<ConnectionDto>, ApiErrorResult>> Upsert(
        Caller caller, PlugboardDb db, IConnectionUsage usage, ConnectionUpserter upserter, IConnectionClaim claims, PieceAuthCheck pieces,
        DefinitionConnections definitions, TimeProvider time, UpsertConnectionRequest body, CancellationToken ct)
    {
        var project = await db.ResolveProjectAsync(caller, body.ProjectId, ct);
        if (!project.TryGetValue(out var projectId, out var denied))
        {
            return new ApiErrorResult(denied);
        }
        // Before anything is claimed: a connection made from a definition defaults its externalId to the stable key.
        if (await OwnedByAnotherAsync(db, caller, projectId, body.ExternalId ?? body.Definition, ct))
        {
            return new ApiErrorResult(ApiError.Authorization("Only the connection owner or a project admin can update its credentials."));
        }
        var prepared = body.Definition is null
            ? await PrepareAsync(caller, projectId, claims, pieces, time, body, ct)
            : await definitions.PrepareAsync(caller, projectId, body, ct);
        if (!prepared.TryGetValue(out var command, out var invalid))
        {
            return new ApiErrorResult(invalid);
        }
        var upsert = await upserter.UpsertAsync(command, ct);
        if (!upsert.TryGetValue(out var upserted, out var conflict))
        {
            return new ApiErrorResult(conflict);
        }
        var dto = await db.ToDtoAsync(usage, upserted.Connection, caller, ct);
        return upserted.Created ? TypedResults.Created($"/api/v1/app-connections/{dto.Id}", dto) : TypedResults.Ok(dto);
    }

    /// A self-contained connection: the whole value in the request, checked, fitted to its piece and (OAuth2) claimed.
    private static async Task<Outcome<UpsertCommand>> PrepareAsync(
        Caller caller, string projectId, IConnectionClaim claims, PieceAuthCheck pieces, TimeProvider time, UpsertConnectionRequest body, CancellationToken ct)
    {
        var checkedBody = ConnectionRequests.Check(
            externalId: body.ExternalId, externalIdRequired: true, displayName: body.DisplayName, pieceName: body.PieceName,
            pieceVersion: body.PieceVersion, type: body.Type, value: body.Value, metadata: body.Metadata, time: time);
        if (!checkedBody.TryGetValue(out var request, out var invalid))
        {
            return invalid;
        }
        var fit = await pieces.CheckAsync(caller.PlatformId, body.PieceName!, body.PieceVersion, request.Type, request.ValueJson, ct);
        if (!fit.TryGetValue(out var piece, out var misfit))
        {
            return misfit;
        }
        var claim = await claims.CompleteAsync(caller.PlatformId, body.PieceName!, request.Type, request.ValueJson, ct);
        if (!claim.TryGetValue(out var claimed, out var claimError))
        {
            return claimError;
        }
        return new UpsertCommand
        {
            Caller = caller,
            Scope = ConnectionScope.Project,
            ScopeKey = projectId,
            ExternalId = body.ExternalId!,
            DisplayName = body.DisplayName!,
            PieceName = body.PieceName!,
            PieceVersion = piece.PieceVersion,
            Type = request.Type,
            ValueJson = claimed.ValueJson,
            MetadataText = Validate.MetadataText(body.Metadata),
            MetadataGiven = body.Metadata is not null,
            PreSelectForNewProjects = null,
            ProjectIds = [projectId],
            ExpiresAt = claimed.ExpiresAt,
            NextRefreshAt = claimed.NextRefreshAt,
        };
    }

    private static async Task<Results<Ok<SeekPage<OwnerDto>>, ApiErrorResult>> Owners(Caller caller, PlugboardDb db, string? projectId, CancellationToken ct)
    {
        var project = await db.ResolveProjectAsync(caller, projectId, ct);
        if (!project.TryGetValue(out var resolved, out var denied))
        {
            return new ApiErrorResult(denied);
        }
        var owners = await db.Users.AsNoTracking()
            .Where(u => db.VisibleIn(caller.PlatformId, resolved).Any(c => c.OwnerId == u.Id))
            .OrderBy(u => u.Email)
            .Select(u => new OwnerDto(u.Email, u.FirstName, u.LastName))
            .ToListAsync(ct);
        return TypedResults.Ok(new SeekPage<OwnerDto>(owners, null, null));
    }

    private static async Task<Results<Ok<ConnectionDto>, ApiErrorResult>> Get(Caller caller, PlugboardDb db, IConnectionUsage usage, string id, CancellationToken ct)
    {
        var connection = await db.VisibleTo(caller).AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        return connection is null ? new ApiErrorResult(ConnectionViews.NotFound(id)) : TypedResults.Ok(await db.ToDtoAsync(usage, connection, caller, ct));
    }

    /// Renames or re-describes a connection; the credentials change only by upsert.
    private static async Task<Results<Ok<ConnectionDto>, ApiErrorResult>> Update(
        Caller caller, PlugboardDb db, IConnectionUsage usage, TimeProvider time, string id, UpdateConnectionRequest body, CancellationToken ct)
    {
        var connection = await db.VisibleTo(caller).FirstOrDefaultAsync(c => c.Id == id, ct);
        if (connection is null)
        {
            return new ApiErrorResult(ConnectionViews.NotFound(id));
        }
        var invalid = connection.Scope == ConnectionScope.Platform
            ? GlobalThroughProjectRoute()
            : Validate.FirstError(Validate.Text(body.DisplayName, "displayName", required: body.Metadata is null), Validate.Metadata(body.Metadata));
        if (invalid is not null)
        {
            return new ApiErrorResult(invalid);
        }
        connection.DisplayName = body.DisplayName ?? connection.DisplayName;
        if (body.Metadata is not null)
        {
            connection.Metadata = Validate.MetadataText(body.Metadata);
        }
        connection.Version++;
        connection.Updated = time.UtcNow();
        db.Record(time, caller, "connection.updated", "app_connection", connection.Id, connection.ScopeKey, new { connection.ExternalId, connection.DisplayName });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new ApiErrorResult(ApiError.Conflict(ErrorCodes.ConcurrentUpdate, "The connection was changed by another request; read it again and retry."));
        }
        return TypedResults.Ok(await db.ToDtoAsync(usage, connection, caller, ct));
    }

    /// Refused while ENABLED flows use it; kept as a MISSING placeholder while DISABLED ones do. The count and the
    /// delete are one step under the row's lock (UsageLocks), so a flow enabled meanwhile cannot slip past the guard.
    private static async Task<Results<NoContent, ApiErrorResult>> Delete(
        Caller caller, PlugboardDb db, IConnectionUsage usage, SecretProtector protector, TimeProvider time, string id, CancellationToken ct)
    {
        await using var transaction = await db.BeginLockedAsync(LockedTable.AppConnections, caller.PlatformId, id, ct);
        var connection = await db.VisibleTo(caller).FirstOrDefaultAsync(c => c.Id == id, ct);
        if (connection is null)
        {
            return new ApiErrorResult(ConnectionViews.NotFound(id));
        }
        if (connection.Scope == ConnectionScope.Platform)
        {
            return new ApiErrorResult(GlobalThroughProjectRoute());
        }
        if (await db.StageDeleteAsync(usage, protector, time, connection, ct) is { } inUse)
        {
            return new ApiErrorResult(inUse);
        }
        db.Record(time, caller, "connection.deleted", "app_connection", connection.Id, connection.ScopeKey, new { connection.ExternalId, connection.DisplayName });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Deleted or changed meanwhile: gone now, or changed; either way the caller can look again.
            return new ApiErrorResult(ApiError.Conflict(ErrorCodes.ConcurrentUpdate, "The connection was changed by another request; read it again and retry."));
        }
        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    /// Seed 002: "Only the connection owner can update credentials". An EDITOR replacing the value of a
    /// connection someone else owns is refused; a project ADMIN and API keys may. Filling a placeholder (no owner) is fine.
    private static async Task<bool> OwnedByAnotherAsync(PlugboardDb db, Caller caller, string projectId, string? externalId, CancellationToken ct) =>
        caller.IsUser && !caller.Allows(ProjectRole.Admin) && externalId is not null &&
        await db.AppConnections.SeenBy(db, caller).AnyAsync(c => c.PlatformId == caller.PlatformId && c.ScopeKey == projectId && c.ExternalId == externalId &&
            c.OwnerId != null && c.OwnerId != caller.OwnerUserId, ct);

    private static ApiError GlobalThroughProjectRoute() => ApiError.Authorization(
        "This is a global (PLATFORM) connection: change or delete it through /api/v1/global-connections/{id} with a platform API key.");
}
