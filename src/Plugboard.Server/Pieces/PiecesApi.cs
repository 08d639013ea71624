using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Access;
using Plugboard.Server.Audit;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Server.Pieces;

/// /api/v1/pieces: the platform's piece registry. Registering takes a platform key; any key of the platform reads.
public static class PiecesApi
{
    public static RouteGroupBuilder MapPieces(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/pieces").WithTags("Pieces").RequireAuthorization(Policies.ApiKeyOnly);
        group.MapGet("/", List).WithName("ListPieces").WithSummary("List registered pieces");
        group.MapPost("/", Register).RequireAuthorization(Policies.PlatformKey)
            .WithName("RegisterPiece").WithSummary("Register a piece version").ProducesApiError(StatusCodes.Status409Conflict);
        // A piece name holds '@' and '/' (`@acme/piece-gelato`): it is the rest of the path, unencoded.
        group.MapGet("/{**name}", Get).WithName("GetPiece").WithSummary("Get a piece version");
        return group;
    }

    private static async Task<Results<Ok<SeekPage<PieceSummaryDto>>, ApiErrorResult>> List(Caller caller, PlugboardDb db, CancellationToken ct)
    {
        var rows = await db.Pieces.AsNoTracking().Where(p => p.PlatformId == caller.PlatformId)
            .Select(p => new { p.Name, p.Version, p.DisplayName })
            .ToListAsync(ct);
        var pieces = rows.GroupBy(r => r.Name)
            .Select(g =>
            {
                var newestFirst = PieceRegistry.NewestFirst(g, r => r.Version);
                var latest = PieceRegistry.Latest(newestFirst, r => r.Version)!;
                return new PieceSummaryDto(g.Key, latest.DisplayName, latest.Version, newestFirst.Select(r => r.Version).ToList());
            })
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
        return TypedResults.Ok(new SeekPage<PieceSummaryDto>(pieces, null, null));
    }

    private static async Task<Results<Ok<RegisteredPieceDto>, ApiErrorResult>> Get(HttpContext http, Caller caller, PlugboardDb db, string name, string? version, CancellationToken ct)
    {
        name = RawRouteValue.After(http, "/api/v1/pieces/", name);
        var chosen = PieceRegistry.Pick(await PieceRegistry.VersionsAsync(db, caller.PlatformId, name, ct), version);
        return chosen is null
            ? new ApiErrorResult(ApiError.NotFound("piece", name, version is null ? $"Piece '{name}' is not registered." : $"Piece '{name}' has no version matching '{version}'."))
            : TypedResults.Ok(chosen.ToDto());
    }

    /// Registers a version; registering the same name and version again replaces its metadata (200).
    private static async Task<Results<Created<RegisteredPieceDto>, Ok<RegisteredPieceDto>, ApiErrorResult>> Register(
        Caller caller, PlugboardDb db, TimeProvider time, PieceMetadata body, CancellationToken ct)
    {
        if (PieceRules.Check(body) is { } invalid)
        {
            return new ApiErrorResult(invalid);
        }
        var version = body.Version!;
        var metadata = JsonSerializer.Serialize(body, JsonDefaults.Options);
        var now = time.UtcNow();
        var existing = await db.Pieces.FirstOrDefaultAsync(p => p.PlatformId == caller.PlatformId && p.Name == body.Name && p.Version == version, ct);
        var created = existing is null;
        if (existing is null)
        {
            existing = new RegisteredPiece
            {
                Id = Ids.New(),
                PlatformId = caller.PlatformId,
                Name = body.Name!,
                Version = version,
                DisplayName = body.DisplayName!,
                Metadata = metadata,
                Created = now,
                Updated = now,
            };
            db.Pieces.Add(existing);
        }
        else
        {
            existing.DisplayName = body.DisplayName!;
            existing.Metadata = metadata;
            existing.Updated = now;
        }
        db.Record(time, caller, created ? "piece.registered" : "piece.updated", "piece", existing.Id, null, new { body.Name, body.Version });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return new ApiErrorResult(ApiError.Conflict(ErrorCodes.ConcurrentUpdate, "This piece version is being registered by another request; retry."));
        }
        var dto = existing.ToDto();
        return created ? TypedResults.Created($"/api/v1/pieces/{body.Name}?version={version}", dto) : TypedResults.Ok(dto);
    }
}
