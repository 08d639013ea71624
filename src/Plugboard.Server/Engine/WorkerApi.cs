using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Connections;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.OAuth;
using Plugboard.Server.Projects;

namespace Plugboard.Server.Engine;

/// /api/v1/worker: what a running integration calls with its engine token. Everything is scoped to the
/// token's project; a query `projectId` (the reference engine appends one) is ignored.
public static class WorkerApi
{
    public const string Prefix = "/api/v1/worker";
    private const string ConnectionPath = Prefix + "/app-connections/";

    public static RouteGroupBuilder MapWorker(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(Prefix).WithTags("Engine").RequireAuthorization(EngineTokenAuthentication.Policy).SpendsEngineTokenBudget();
        group.MapGet("/app-connections/{**externalId}", ReadConnection).WithName("ReadWorkerConnection").WithSummary("Read a connection with its value");
        group.MapGet("/project", ReadProject).WithName("ReadWorkerProject").WithSummary("Read the engine token's project")
            .ProducesApiError(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Ok<WorkerConnectionDto>, ApiErrorResult>> ReadConnection(
        HttpContext http, PlugboardDb db, TokenRefresher refresher, SecretProtector protector, ReadAudit audit, EngineReadCache cache,
        TimeProvider time, string externalId, CancellationToken ct)
    {
        var caller = EngineCaller.From(http.User);
        externalId = RawRouteValue.After(http, ConnectionPath, externalId);
        var key = new EngineReadCache.Key(caller.PlatformId, caller.ProjectId, externalId, caller.TestRun);
        if (cache.TryGet(key, out var answered, out var connectionId))
        {
            await audit.RecordAsync(new ConnectionRead(caller.PlatformId, caller.ProjectId, connectionId, externalId, caller.TokenId, time.UtcNow()), ct);
            return TypedResults.Ok(answered);
        }
        var generation = cache.Generation;
        var row = await EngineConnections.FindAsync(db, caller, externalId, ct);
        if (row is not null)
        {
            row = await EngineConnections.FreshAsync(refresher, time, row, ct);
        }
        if (row is null)
        {
            return new ApiErrorResult(EngineConnections.NotFound(externalId));
        }
        var definition = row.DefinitionId is null ? null : await db.ConnectionDefinitions.AsNoTracking().FirstOrDefaultAsync(d => d.Id == row.DefinitionId, ct);
        var value = EngineConnections.RevealedValue(protector, row, definition, caller.TestRun);
        await audit.RecordAsync(new ConnectionRead(caller.PlatformId, caller.ProjectId, row.Id, row.ExternalId, caller.TokenId, time.UtcNow()), ct);
        var answer = WorkerConnectionDto.From(row, caller.ProjectId, value);
        // After a refresh the generation has moved on, so that answer is not kept: the next read takes the stored row.
        cache.Remember(key, generation, row, answer);
        return TypedResults.Ok(answer);
    }

    private static async Task<Results<Ok<WorkerProjectDto>, ApiErrorResult>> ReadProject(HttpContext http, PlugboardDb db, CancellationToken ct)
    {
        var caller = EngineCaller.From(http.User);
        var project = await db.Projects.AsNoTracking()
            .Where(p => p.Id == caller.ProjectId && p.PlatformId == caller.PlatformId)
            .Select(p => new WorkerProjectDto(p.Id, p.ExternalId, p.DisplayName))
            .FirstOrDefaultAsync(ct);
        return project is null ? new ApiErrorResult(ProjectAccess.ProjectNotFound(caller.ProjectId)) : TypedResults.Ok(project);
    }
}
