using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Access;
using Plugboard.Server.Audit;
using Plugboard.Server.Connections;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.Projects;

namespace Plugboard.Server.Flows;

/// POST /api/v1/app-connections/replace: points every flow of one project that references the source connection
/// at the target instead, in one transaction. Unlike the reference it never republishes anything, never touches
/// other projects, and deletes the source only when asked: a PROJECT source is deleted (through the delete guard);
/// a PLATFORM source is only un-shared from this project, so its other projects keep working.
public static class ConnectionReplacement
{
    /// POST /api/v1/app-connections/replace: a connections route, mapped here because it rewrites flows.
    public static RouteHandlerBuilder MapConnectionReplacement(this IEndpointRouteBuilder routes) =>
        routes.MapPost("/api/v1/app-connections/replace", Replace).WithTags("App connections").RequireAuthorization(Policies.ProjectWrite)
            .WithName("ReplaceAppConnection").WithSummary("Point a project's flows from one connection to another")
            .ProducesApiError(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

    public static async Task<Results<NoContent, ApiErrorResult>> Replace(
        Caller caller, PlugboardDb db, IConnectionUsage usage, SecretProtector protector, TimeProvider time, ReplaceConnectionRequest body,
        CancellationToken ct)
    {
        var project = await db.ResolveProjectAsync(caller, body.ProjectId, ct);
        if (!project.TryGetValue(out var projectId, out var denied))
        {
            return new ApiErrorResult(denied);
        }
        var invalid = Validate.FirstError(
            Validate.Text(body.SourceAppConnectionId, "sourceAppConnectionId", max: Lengths.Id),
            Validate.Text(body.TargetAppConnectionId, "targetAppConnectionId", max: Lengths.Id));
        if (invalid is null && body.SourceAppConnectionId == body.TargetAppConnectionId)
        {
            invalid = ApiError.Validation("The source and target connections must be different connections.", "targetAppConnectionId");
        }
        if (invalid is not null)
        {
            return new ApiErrorResult(invalid);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var (sourceId, targetId) = (body.SourceAppConnectionId!, body.TargetAppConnectionId!);
        var pair = await db.VisibleIn(caller.PlatformId, projectId).Where(c => c.Id == sourceId || c.Id == targetId).ToListAsync(ct);
        var source = pair.FirstOrDefault(c => c.Id == sourceId);
        var target = pair.FirstOrDefault(c => c.Id == targetId);
        if (source is null || target is null)
        {
            return new ApiErrorResult(ConnectionViews.NotFound(source is null ? sourceId : targetId));
        }
        if (source.PieceName != target.PieceName)
        {
            return new ApiErrorResult(ApiError.Validation("Connections must be from the same app", "targetAppConnectionId"));
        }
        if (!ConnectionReferences.CanReference(target.ExternalId))
        {
            return new ApiErrorResult(ApiError.Validation(
                "The target connection's externalId holds both quote kinds, so no flow can reference it.", "targetAppConnectionId"));
        }

        var rewritten = source.ExternalId == target.ExternalId ? 0 : await RewriteFlowsAsync(db, time, caller.PlatformId, projectId, source.ExternalId, target.ExternalId, ct);
        db.Record(time, caller, "connection.replaced", "app_connection", source.Id, projectId, new
        {
            SourceExternalId = source.ExternalId,
            TargetId = target.Id,
            TargetExternalId = target.ExternalId,
            Flows = rewritten,
            DeleteSourceConnection = body.DeleteSourceConnection ?? false,
        });
        try
        {
            await db.SaveChangesAsync(ct);
            if (body.DeleteSourceConnection == true && await DropSourceAsync(db, usage, protector, time, caller, projectId, source, ct) is { } blocked)
            {
                return new ApiErrorResult(blocked);
            }
        }
        catch (DbUpdateConcurrencyException)
        {
            return new ApiErrorResult(ApiError.Conflict(ErrorCodes.ConcurrentUpdate, "A flow or connection was changed by another request; retry."));
        }
        // A placeholder source that no flow of the project references anymore has served its purpose.
        await db.RemoveUnreferencedAsync(caller.PlatformId, projectId, [source.ExternalId], ct);
        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    /// Rewrites, in the tracked flows, every reference to `from` into one to `to`, and their ref rows with them.
    private static async Task<int> RewriteFlowsAsync(PlugboardDb db, TimeProvider time, string platformId, string projectId, string from, string to, CancellationToken ct)
    {
        var flows = await db.Flows.Include(f => f.ConnectionRefs)
            .Where(f => f.PlatformId == platformId && f.ProjectId == projectId && f.ConnectionRefs.Any(r => r.ExternalId == from))
            .ToListAsync(ct);
        var now = time.UtcNow();
        foreach (var flow in flows)
        {
            var edit = new FlowEdit(flow);
            foreach (var part in edit.Parts)
            {
                FlowEdit.RewriteReferences(part, from, to);
            }
            // One valid id for another never breaks a check: a failure here is a bug, not an answer.
            _ = edit.Save(now).Value ?? throw new InvalidOperationException($"Flow {flow.Id} fails its checks after rewriting {from}.");
        }
        return flows.Count;
    }

    /// deleteSourceConnection: a PROJECT source goes through the delete guard (no flow of its project uses it
    /// now); a PLATFORM source only loses its link to this project.
    private static async Task<ApiError?> DropSourceAsync(PlugboardDb db, IConnectionUsage usage, SecretProtector protector, TimeProvider time, Caller caller,
        string projectId, AppConnection source, CancellationToken ct)
    {
        if (source.Scope == ConnectionScope.Platform)
        {
            await db.AppConnectionProjects.Where(l => l.ConnectionId == source.Id && l.ProjectId == projectId && l.PlatformId == caller.PlatformId)
                .ExecuteDeleteAsync(ct);
            db.Record(time, caller, "connection.unshared", "app_connection", source.Id, projectId, new { source.ExternalId, source.DisplayName });
        }
        else
        {
            if (await db.StageDeleteAsync(usage, protector, time, source, ct) is { } inUse)
            {
                return inUse;
            }
            db.Record(time, caller, "connection.deleted", "app_connection", source.Id, projectId, new { source.ExternalId, source.DisplayName });
        }
        await db.SaveChangesAsync(ct);
        return null;
    }
}
