using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Access;
using Plugboard.Server.Audit;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.Projects;

namespace Plugboard.Server.Platform;

public sealed record ApiKeyDto(string Id, DateTime Created, string DisplayName, string TruncatedValue, string? ProjectId);

/// Returned once, by create: the only response that carries the key itself.
public sealed record CreatedApiKeyDto(string Id, DateTime Created, string DisplayName, string TruncatedValue, string? ProjectId, string Value);

public sealed record CreateApiKeyRequest(string? DisplayName, string? ProjectId = null);

/// /api/v1/api-keys: platform keys manage platform and project keys.
public static class ApiKeysApi
{
    public static RouteGroupBuilder MapApiKeys(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/api-keys").WithTags("API keys").RequireAuthorization(Policies.PlatformKey);
        group.MapGet("/", List).WithName("ListApiKeys").WithSummary("List API keys");
        group.MapPost("/", Create).WithName("CreateApiKey").WithSummary("Create a platform or project API key")
            .ProducesApiError(StatusCodes.Status404NotFound);
        group.MapDelete("/{id}", Delete).WithName("DeleteApiKey").WithSummary("Delete an API key")
            .ProducesApiError(StatusCodes.Status400BadRequest);
        return group;
    }

    private static async Task<Results<Ok<SeekPage<ApiKeyDto>>, ApiErrorResult>> List(
        Caller caller, PlugboardDb db, string? limit, string? cursor, CancellationToken ct)
    {
        if (!PageRequest.TryParse(limit, cursor, PageRequest.MaxLimit, out var page, out var error))
        {
            return new ApiErrorResult(error);
        }
        var result = await db.ApiKeys.AsNoTracking().Where(k => k.PlatformId == caller.PlatformId)
            .ToSeekPageAsync(page, rows => Task.FromResult<IReadOnlyList<ApiKeyDto>>(rows.Select(ToDto).ToList()), ct);
        return TypedResults.Ok(result);
    }

    private static async Task<Results<Created<CreatedApiKeyDto>, ApiErrorResult>> Create(
        HttpContext http, Caller caller, PlugboardDb db, TimeProvider time, CreateApiKeyRequest body, CancellationToken ct)
    {
        var invalid = Validate.Text(body.DisplayName, "displayName");
        if (invalid is not null)
        {
            return new ApiErrorResult(invalid);
        }
        if (body.ProjectId is not null && !await db.Projects.AnyAsync(p => p.Id == body.ProjectId && p.PlatformId == caller.PlatformId, ct))
        {
            return new ApiErrorResult(ProjectAccess.ProjectNotFound(body.ProjectId));
        }
        var value = ApiKeyHash.NewKey();
        var key = ApiKey.For(value, caller.PlatformId, body.ProjectId, body.DisplayName!, time.UtcNow());
        db.ApiKeys.Add(key);
        db.Record(time, caller, "api_key.created", "api_key", key.Id, key.ProjectId, new { key.DisplayName, key.TruncatedValue });
        await db.SaveChangesAsync(ct);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/api/v1/api-keys/{key.Id}",
            new CreatedApiKeyDto(key.Id, key.Created, key.DisplayName, key.TruncatedValue, key.ProjectId, value));
    }

    private static async Task<Results<NoContent, ApiErrorResult>> Delete(Caller caller, PlugboardDb db, TimeProvider time, string id, CancellationToken ct)
    {
        if (id == caller.ActorId)
        {
            return new ApiErrorResult(ApiError.Validation("A key cannot delete itself; delete it with another platform key.", "id"));
        }
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id && k.PlatformId == caller.PlatformId, ct);
        if (key is null)
        {
            return new ApiErrorResult(ApiError.NotFound("api_key", id, "API key not found"));
        }
        db.ApiKeys.Remove(key);
        db.Record(time, caller, "api_key.deleted", "api_key", key.Id, key.ProjectId, new { key.DisplayName, key.TruncatedValue });
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static ApiKeyDto ToDto(ApiKey k) => new(k.Id, k.Created, k.DisplayName, k.TruncatedValue, k.ProjectId);
}
