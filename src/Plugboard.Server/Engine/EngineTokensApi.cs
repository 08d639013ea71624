using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Access;
using Plugboard.Server.Audit;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.Projects;

namespace Plugboard.Server.Engine;

/// /api/v1/engine-tokens: what the platform's job runner asks for before it runs a step for a project.
public static class EngineTokensApi
{
    public static RouteGroupBuilder MapEngineTokens(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/engine-tokens").WithTags("Engine")
            .RequireAuthorization(Policies.PlatformKey);
        group.MapPost("/", Issue).WithName("IssueEngineToken").WithSummary("Issue an engine token for a project")
            .ProducesApiError(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Ok<EngineTokenDto>, ApiErrorResult>> Issue(
        HttpContext http, Caller caller, PlugboardDb db, EngineTokens tokens, EngineOptions options, TimeProvider time, IssueEngineTokenRequest body, CancellationToken ct)
    {
        var ttl = body.TtlSeconds ?? EngineOptions.DefaultTokenTtlSeconds;
        if (ttl < 1 || ttl > options.MaxTokenTtlSeconds)
        {
            return new ApiErrorResult(ApiError.Validation($"ttlSeconds must be between 1 and {options.MaxTokenTtlSeconds}.", "ttlSeconds"));
        }
        if (string.IsNullOrEmpty(body.ProjectId))
        {
            return new ApiErrorResult(ApiError.Validation("projectId is required.", "projectId"));
        }
        if (!await db.Projects.AnyAsync(p => p.Id == body.ProjectId && p.PlatformId == caller.PlatformId, ct))
        {
            return new ApiErrorResult(ProjectAccess.ProjectNotFound(body.ProjectId));
        }
        var testRun = body.TestRun == true;
        var (token, tokenId, expiresAt) = tokens.Issue(caller.PlatformId, body.ProjectId, ttl, testRun);
        db.Record(time, caller, "engine_token.issued", "engine_token", tokenId, body.ProjectId, new { ExpiresAt = expiresAt, TestRun = testRun });
        await db.SaveChangesAsync(ct);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new EngineTokenDto(token, expiresAt));
    }
}
