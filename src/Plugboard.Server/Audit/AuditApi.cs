using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Access;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Server.Audit;

public sealed record AuditEventDto(
    string Id, DateTime Created, string PlatformId, string? ProjectId, string Action, string ActorType, string ActorId,
    string EntityType, string EntityId, JsonElement? Details);

/// /api/v1/audit-events: the platform's audit trail, oldest first, platform keys only.
public static class AuditApi
{
    public static RouteGroupBuilder MapAudit(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/audit-events").WithTags("Audit").RequireAuthorization(Policies.PlatformKey);
        group.MapGet("/", List).WithName("ListAuditEvents").WithSummary("List audit events");
        return group;
    }

    private static async Task<Results<Ok<SeekPage<AuditEventDto>>, ApiErrorResult>> List(
        Caller caller, PlugboardDb db, string? action, string? entityId, string? projectId, string? limit, string? cursor, CancellationToken ct)
    {
        if (!PageRequest.TryParse(limit, cursor, 50, out var page, out var error))
        {
            return new ApiErrorResult(error);
        }
        var query = db.AuditEvents.AsNoTracking().Where(e => e.PlatformId == caller.PlatformId);
        if (!string.IsNullOrEmpty(action))
        {
            query = query.Where(e => e.Action == action);
        }
        if (!string.IsNullOrEmpty(entityId))
        {
            query = query.Where(e => e.EntityId == entityId);
        }
        if (!string.IsNullOrEmpty(projectId))
        {
            query = query.Where(e => e.ProjectId == projectId);
        }
        var result = await query.ToSeekPageAsync(page, rows => Task.FromResult<IReadOnlyList<AuditEventDto>>(rows.Select(e => new AuditEventDto(
            e.Id, e.Created, e.PlatformId, e.ProjectId, e.Action, e.ActorType, e.ActorId, e.EntityType, e.EntityId, Validate.ParseMetadata(e.Details))).ToList()), ct);
        return TypedResults.Ok(result);
    }
}
