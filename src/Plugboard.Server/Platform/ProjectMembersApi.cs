using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Access;
using Plugboard.Server.Audit;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.Projects;

namespace Plugboard.Server.Platform;

public sealed record ProjectMemberDto(
    string UserId, string ProjectId, ProjectRole Role, string? ExternalId, string Email, string FirstName, string LastName, DateTime Created, DateTime Updated);

public sealed record SetMemberRequest(string? UserId, string? Role);

/// /api/v1/projects/:id/members: who may use a project, with which role. Members may read the list; keys
/// and project ADMINs change it.
public static class ProjectMembersApi
{
    public static RouteGroupBuilder MapProjectMembers(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/projects/{id}/members").WithTags("Projects").RequireAuthorization();
        group.MapGet("/", List).WithName("ListProjectMembers").WithSummary("List a project's members");
        group.MapPost("/", Set).RequireAuthorization(Policies.ProjectAdmin)
            .WithName("SetProjectMember").WithSummary("Add a member or change their role").ProducesApiError(StatusCodes.Status409Conflict);
        group.MapDelete("/{userId}", Remove).RequireAuthorization(Policies.ProjectAdmin)
            .WithName("RemoveProjectMember").WithSummary("Remove a member");
        return group;
    }

    private static async Task<Results<Ok<SeekPage<ProjectMemberDto>>, ApiErrorResult>> List(Caller caller, PlugboardDb db, string id, CancellationToken ct)
    {
        if (!await db.VisibleProjects(caller).AnyAsync(p => p.Id == id, ct))
        {
            return new ApiErrorResult(ProjectAccess.ProjectNotFound(id));
        }
        var members = await (
                from m in db.ProjectMembers.AsNoTracking()
                join u in db.Users on m.UserId equals u.Id
                where m.ProjectId == id
                orderby m.Created, m.UserId
                select new ProjectMemberDto(m.UserId, m.ProjectId, m.Role, u.ExternalId, u.Email, u.FirstName, u.LastName, m.Created, m.Updated))
            .ToListAsync(ct);
        return TypedResults.Ok(new SeekPage<ProjectMemberDto>(members, null, null));
    }

    /// Identical requests arriving together queue on the project's row and rerun after a lost insert: the
    /// first creates the membership (201), the others find it (200).
    private static Task<Results<Created<ProjectMemberDto>, Ok<ProjectMemberDto>, ApiErrorResult>> Set(
        Caller caller, PlugboardDb db, TimeProvider time, string id, SetMemberRequest body, CancellationToken ct) =>
        db.RetryOnConflictAsync(() => SetOnceAsync(caller, db, time, id, body, ct), () => new ApiErrorResult(MembershipChanged()), ct);

    private static async Task<Results<Created<ProjectMemberDto>, Ok<ProjectMemberDto>, ApiErrorResult>> SetOnceAsync(
        Caller caller, PlugboardDb db, TimeProvider time, string id, SetMemberRequest body, CancellationToken ct)
    {
        await using var transaction = await db.BeginLockedAsync(LockedTable.Projects, caller.PlatformId, id, ct);
        if (!await db.VisibleProjects(caller).AnyAsync(p => p.Id == id, ct))
        {
            return new ApiErrorResult(ProjectAccess.ProjectNotFound(id));
        }
        if (!WireEnum<ProjectRole>.TryParse(body.Role, out var role))
        {
            return new ApiErrorResult(ApiError.Validation("role must be ADMIN, EDITOR or VIEWER.", "role"));
        }
        var user = string.IsNullOrEmpty(body.UserId)
            ? null
            : await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == body.UserId && u.PlatformId == caller.PlatformId, ct);
        if (user is null)
        {
            return new ApiErrorResult(ApiError.Validation("userId must name a user of this platform.", "userId"));
        }
        var now = time.UtcNow();
        var member = await db.ProjectMembers.FirstOrDefaultAsync(m => m.ProjectId == id && m.UserId == user.Id, ct);
        var created = member is null;
        if (member is null)
        {
            member = new ProjectMember { ProjectId = id, UserId = user.Id, PlatformId = caller.PlatformId, Role = role, Created = now, Updated = now };
            db.ProjectMembers.Add(member);
        }
        else
        {
            member.Role = role;
            member.Updated = now;
        }
        db.Record(time, caller, "member.role_set", "project_member", user.Id, id, new { Role = body.Role });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        var dto = new ProjectMemberDto(user.Id, id, member.Role, user.ExternalId, user.Email, user.FirstName, user.LastName, member.Created, member.Updated);
        return created ? TypedResults.Created($"/api/v1/projects/{id}/members", dto) : TypedResults.Ok(dto);
    }

    private static ApiError MembershipChanged() =>
        ApiError.Conflict(ErrorCodes.ConcurrentUpdate, "The membership was changed by another request; retry.");

    private static async Task<Results<NoContent, ApiErrorResult>> Remove(Caller caller, PlugboardDb db, TimeProvider time, string id, string userId, CancellationToken ct)
    {
        if (!await db.VisibleProjects(caller).AnyAsync(p => p.Id == id, ct))
        {
            return new ApiErrorResult(ProjectAccess.ProjectNotFound(id));
        }
        var removed = await db.ProjectMembers.Where(m => m.ProjectId == id && m.UserId == userId && m.PlatformId == caller.PlatformId).ExecuteDeleteAsync(ct);
        if (removed == 0)
        {
            return new ApiErrorResult(ApiError.NotFound("project_member", userId, "Member not found"));
        }
        db.Record(time, caller, "member.removed", "project_member", userId, id);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
