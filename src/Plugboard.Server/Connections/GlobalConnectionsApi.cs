using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Access;
using Plugboard.Server.Audit;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.Pieces;
using Plugboard.Server.Projects;

namespace Plugboard.Server.Connections;

/// /api/v1/global-connections: PLATFORM connections shared with chosen projects (seeds 000/001). Platform keys only.
public static class GlobalConnectionsApi
{
    private const int DefaultLimit = 10;

    public static RouteGroupBuilder MapGlobalConnections(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/global-connections").WithTags("Global connections")
            .RequireAuthorization(Policies.PlatformKey);
        group.MapGet("/", List).WithName("ListGlobalConnections").WithSummary("List global connections")
            .WithDescription("Filters: pieceName, displayName (substring), status (repeatable), definition, and metadata.<key>=<value> " +
                "(a top-level metadata string, exact match; repeat with other keys to AND them).");
        group.MapPost("/", Upsert).WithName("UpsertGlobalConnection").WithSummary("Create or update a global connection by externalId")
            .ProducesApiError(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapGet("/{id}", Get).WithName("GetGlobalConnection").WithSummary("Get a global connection");
        group.MapPost("/{id}", Update).WithName("UpdateGlobalConnection").WithSummary("Update a global connection's name, metadata or projects")
            .ProducesApiError(StatusCodes.Status409Conflict);
        group.MapDelete("/{id}", Delete).WithName("DeleteGlobalConnection").WithSummary("Delete a global connection")
            .ProducesApiError(StatusCodes.Status400BadRequest);
        return group;
    }

    private static IQueryable<AppConnection> Globals(PlugboardDb db, Caller caller) =>
        db.AppConnections.Where(c => c.PlatformId == caller.PlatformId && c.ScopeKey == AppConnection.PlatformScopeKey);

    private static async Task<Results<Ok<SeekPage<ConnectionDto>>, ApiErrorResult>> List(
        Caller caller, PlugboardDb db, IConnectionUsage usage, ConnectionPages pages, HttpRequest request, string? pieceName, string? displayName,
        string[]? status, string? definition, string? limit, string? cursor, CancellationToken ct)
    {
        if (!PageRequest.TryParse(limit, cursor, DefaultLimit, out var page, out var error) ||
            (error = ConnectionFilters.TryParse(pieceName, displayName, status, null, definition, request.Query, out var filters)) is not null)
        {
            return new ApiErrorResult(error);
        }
        var key = ConnectionPages.Key.For("global", caller, request);
        if (pages.TryGet(key, out var known))
        {
            return TypedResults.Ok(known);
        }
        var generation = pages.Generation;
        var rows = await db.Window(caller, AppConnection.PlatformScopeKey, sharedWith: null, filters, page).ToListAsync(ct);
        var answer = await rows.ToSeekPageAsync(page, r => db.ToDtosAsync(usage, r, caller, ct));
        pages.Remember(key, generation, answer);
        return TypedResults.Ok(answer);
    }

    private static async Task<Results<Created<ConnectionDto>, Ok<ConnectionDto>, ApiErrorResult>> Upsert(
        Caller caller, PlugboardDb db, IConnectionUsage usage, ConnectionUpserter upserter, IConnectionClaim claims, PieceAuthCheck pieces, TimeProvider time, UpsertGlobalConnectionRequest body, CancellationToken ct)
    {
        if (body.Scope is not (null or "PLATFORM"))
        {
            return new ApiErrorResult(ApiError.Validation("scope must be PLATFORM for a global connection.", "scope"));
        }
        var checkedBody = ConnectionRequests.Check(
            externalId: body.ExternalId, externalIdRequired: false, displayName: body.DisplayName, pieceName: body.PieceName,
            pieceVersion: body.PieceVersion, type: body.Type, value: body.Value, metadata: body.Metadata, time: time);
        if (!checkedBody.TryGetValue(out var request, out var invalid) || (invalid = await db.CheckProjectsExistAsync(caller, body.ProjectIds, ct)) is not null)
        {
            return new ApiErrorResult(invalid);
        }
        var fit = await pieces.CheckAsync(caller.PlatformId, body.PieceName!, body.PieceVersion, request.Type, request.ValueJson, ct);
        if (!fit.TryGetValue(out var piece, out var misfit))
        {
            return new ApiErrorResult(misfit);
        }
        var claim = await claims.CompleteAsync(caller.PlatformId, body.PieceName!, request.Type, request.ValueJson, ct);
        if (!claim.TryGetValue(out var claimed, out var claimError))
        {
            return new ApiErrorResult(claimError);
        }
        var upsert = await upserter.UpsertAsync(new UpsertCommand
        {
            Caller = caller,
            Scope = ConnectionScope.Platform,
            ScopeKey = AppConnection.PlatformScopeKey,
            ExternalId = body.ExternalId ?? Ids.New(),
            DisplayName = body.DisplayName!,
            PieceName = body.PieceName!,
            PieceVersion = piece.PieceVersion,
            Type = request.Type,
            ValueJson = claimed.ValueJson,
            MetadataText = Validate.MetadataText(body.Metadata),
            MetadataGiven = body.Metadata is not null,
            PreSelectForNewProjects = body.PreSelectForNewProjects,
            Embedded = body.Embedded,
            ProjectIds = body.ProjectIds,
            ExpiresAt = claimed.ExpiresAt,
            NextRefreshAt = claimed.NextRefreshAt,
        }, ct);
        if (!upsert.TryGetValue(out var upserted, out var conflict))
        {
            return new ApiErrorResult(conflict);
        }
        var dto = await db.ToDtoAsync(usage, upserted.Connection, caller, ct);
        return upserted.Created ? TypedResults.Created($"/api/v1/global-connections/{dto.Id}", dto) : TypedResults.Ok(dto);
    }

    private static async Task<Results<Ok<ConnectionDto>, ApiErrorResult>> Get(Caller caller, PlugboardDb db, IConnectionUsage usage, string id, CancellationToken ct)
    {
        var connection = await Globals(db, caller).AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        return connection is null ? new ApiErrorResult(ConnectionViews.NotFound(id)) : TypedResults.Ok(await db.ToDtoAsync(usage, connection, caller, ct));
    }

    /// Every field given replaces the stored one, so a rerun after a lost race (identical requests arriving together
    /// queue on the row; a link written from the project's side may still collide) ends in the same state.
    private static Task<Results<Ok<ConnectionDto>, ApiErrorResult>> Update(
        Caller caller, PlugboardDb db, IConnectionUsage usage, ConnectionUpserter upserter, TimeProvider time, string id, UpdateGlobalConnectionRequest body,
        CancellationToken ct) =>
        db.RetryOnConflictAsync(() => UpdateOnceAsync(caller, db, usage, upserter, time, id, body, ct), () => new ApiErrorResult(ConnectionChanged()), ct);

    private static async Task<Results<Ok<ConnectionDto>, ApiErrorResult>> UpdateOnceAsync(
        Caller caller, PlugboardDb db, IConnectionUsage usage, ConnectionUpserter upserter, TimeProvider time, string id, UpdateGlobalConnectionRequest body, CancellationToken ct)
    {
        await using var transaction = await db.BeginLockedAsync(LockedTable.AppConnections, caller.PlatformId, id, ct);
        var connection = await Globals(db, caller).Include(c => c.Projects).FirstOrDefaultAsync(c => c.Id == id, ct);
        if (connection is null)
        {
            return new ApiErrorResult(ConnectionViews.NotFound(id));
        }
        var invalid = Validate.FirstError(Validate.Text(body.DisplayName, "displayName", required: false), Validate.Metadata(body.Metadata))
            ?? await db.CheckProjectsExistAsync(caller, body.ProjectIds, ct);
        if (invalid is not null)
        {
            return new ApiErrorResult(invalid);
        }
        connection.DisplayName = body.DisplayName ?? connection.DisplayName;
        if (body.Metadata is not null)
        {
            connection.Metadata = Validate.MetadataText(body.Metadata);
        }
        connection.PreSelectForNewProjects = body.PreSelectForNewProjects ?? connection.PreSelectForNewProjects;
        connection.Embedded = body.Embedded ?? connection.Embedded;
        if (body.ProjectIds is not null)
        {
            upserter.ReplaceProjects(connection, body.ProjectIds);
        }
        connection.Version++;
        connection.Updated = time.UtcNow();
        db.Record(time, caller, "connection.updated", "app_connection", connection.Id, null, new { connection.ExternalId, connection.DisplayName });
        await db.SaveChangesAsync(ct);
        if (body.ProjectIds is not null)
        {
            await db.RemoveSupersededAsync(caller.PlatformId, connection.Id, connection.ExternalId, ct);
        }
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(await db.ToDtoAsync(usage, connection, caller, ct));
    }

    /// Refused while ENABLED flows of its projects use it; a project whose flows using it are all DISABLED keeps
    /// a PROJECT-scope MISSING placeholder of its externalId, and the global row goes. The count and the delete are
    /// one step under the row's lock (UsageLocks), so a flow enabled meanwhile cannot slip past the guard.
    private static async Task<Results<NoContent, ApiErrorResult>> Delete(
        Caller caller, PlugboardDb db, IConnectionUsage usage, SecretProtector protector, TimeProvider time, string id, CancellationToken ct)
    {
        await using var transaction = await db.BeginLockedAsync(LockedTable.AppConnections, caller.PlatformId, id, ct);
        var connection = await Globals(db, caller).FirstOrDefaultAsync(c => c.Id == id, ct);
        if (connection is null)
        {
            return new ApiErrorResult(ConnectionViews.NotFound(id));
        }
        if (await db.StageDeleteAsync(usage, protector, time, connection, ct) is { } inUse)
        {
            return new ApiErrorResult(inUse);
        }
        db.Record(time, caller, "connection.deleted", "app_connection", connection.Id, null, new { connection.ExternalId, connection.DisplayName });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Deleted by a concurrent request: it is gone either way, but this request did not delete it.
            return new ApiErrorResult(ConnectionViews.NotFound(id));
        }
        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    private static ApiError ConnectionChanged() =>
        ApiError.Conflict(ErrorCodes.ConcurrentUpdate, "The connection was changed by another request; read it again and retry.");
}
