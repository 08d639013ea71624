using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Access;
using Plugboard.Server.Audit;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.Projects;

namespace Plugboard.Server.Platform;

public sealed record UserDto(string Id, DateTime Created, string PlatformId, string Email, string FirstName, string LastName, string? ExternalId, PlatformRole PlatformRole)
{
    public static UserDto From(User u) => new(u.Id, u.Created, u.PlatformId, u.Email, u.FirstName, u.LastName, u.ExternalId, u.PlatformRole);
}

/// /api/v1/users: the platform's users (its owner and the embedded users managed authentication created).
public static class UsersApi
{
    public static RouteGroupBuilder MapUsers(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/users").WithTags("Users").RequireAuthorization(Policies.PlatformKey);
        group.MapGet("/", List).WithName("ListUsers").WithSummary("List the platform's users");
        group.MapDelete("/{id}", Delete).WithName("DeleteUser").WithSummary("Delete a user")
            .ProducesApiError(StatusCodes.Status400BadRequest);
        return group;
    }

    private static async Task<Results<Ok<SeekPage<UserDto>>, ApiErrorResult>> List(
        Caller caller, PlugboardDb db, string? externalId, string? limit, string? cursor, CancellationToken ct)
    {
        if (!PageRequest.TryParse(limit, cursor, 10, out var page, out var error))
        {
            return new ApiErrorResult(error);
        }
        var query = db.Users.AsNoTracking().Where(u => u.PlatformId == caller.PlatformId);
        if (!string.IsNullOrEmpty(externalId))
        {
            query = query.Where(u => u.ExternalId == externalId);
        }
        return TypedResults.Ok(await query.ToSeekPageAsync(page, rows => Task.FromResult<IReadOnlyList<UserDto>>(rows.Select(UserDto.From).ToList()), ct));
    }

    /// The user's memberships go with them; their connections stay, without an owner (as the reference does).
    private static async Task<Results<NoContent, ApiErrorResult>> Delete(Caller caller, PlugboardDb db, TimeProvider time, string id, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id && u.PlatformId == caller.PlatformId, ct);
        if (user is null)
        {
            return new ApiErrorResult(ApiError.NotFound("user", id, "User not found"));
        }
        if (await db.Platforms.AnyAsync(p => p.Id == caller.PlatformId && p.OwnerId == id, ct) ||
            await db.Projects.AnyAsync(p => p.PlatformId == caller.PlatformId && p.OwnerId == id, ct))
        {
            return new ApiErrorResult(ApiError.Validation("This user owns the platform or a project and cannot be deleted.", "id"));
        }
        // The schema does the rest: app_connections.owner_id is ON DELETE SET NULL, memberships cascade.
        db.Users.Remove(user);
        db.Record(time, caller, "user.deleted", "user", id, null, new { user.ExternalId });
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
