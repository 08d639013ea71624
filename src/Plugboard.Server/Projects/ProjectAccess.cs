using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Access;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Server.Projects;

public static class ProjectAccess
{
    /// The project a request acts on. A project key is bound to its project: it needs no projectId,
    /// and naming another one answers 404, as if that project did not exist.
    public static async Task<Outcome<string>> ResolveProjectAsync(
        this PlugboardDb db, Caller caller, string? requested, CancellationToken ct)
    {
        var inReach = ProjectInReach(caller, requested);
        if (!inReach.TryGetValue(out var projectId, out _) || caller.ProjectId is not null)
        {
            return inReach;
        }
        return await db.ProjectExistsAsync(caller, projectId, ct) ? projectId : ProjectNotFound(projectId);
    }

    /// The project a request means, by the caller's reach alone (no database): a project key's own project, or the
    /// one a platform key names. Whether a named project exists is <see cref="ProjectExistsAsync"/>'s business: a
    /// list can ask only when its page comes back empty, since rows of a project imply the project.
    public static Outcome<string> ProjectInReach(Caller caller, string? requested)
    {
        if (caller.ProjectId is not null)
        {
            return requested is null || requested == caller.ProjectId
                ? caller.ProjectId
                : ProjectNotFound(requested);
        }
        return string.IsNullOrEmpty(requested)
            ? ApiError.Validation("projectId is required with a platform API key.", "projectId")
            : requested;
    }

    public static Task<bool> ProjectExistsAsync(this PlugboardDb db, Caller caller, string projectId, CancellationToken ct) =>
        caller.ProjectId == projectId
            ? Task.FromResult(true)
            : db.Projects.AnyAsync(p => p.Id == projectId && p.PlatformId == caller.PlatformId, ct);

    /// Projects this caller may see: all of its platform's for a platform key, its own for a project key.
    public static IQueryable<Project> VisibleProjects(this PlugboardDb db, Caller caller) =>
        caller.ProjectId is null
            ? db.Projects.Where(p => p.PlatformId == caller.PlatformId)
            : db.Projects.Where(p => p.PlatformId == caller.PlatformId && p.Id == caller.ProjectId);

    public static ApiError ProjectNotFound(string? id) => ApiError.NotFound("project", id, "Project not found");

    /// Every project named must exist in the caller's platform: the first that does not is a 404.
    public static async Task<ApiError?> CheckProjectsExistAsync(this PlugboardDb db, Caller caller, IReadOnlyCollection<string>? projectIds, CancellationToken ct)
    {
        if (projectIds is null || projectIds.Count == 0)
        {
            return null;
        }
        var distinct = projectIds.Distinct().ToList();
        var found = await db.Projects.Where(p => p.PlatformId == caller.PlatformId && distinct.Contains(p.Id)).Select(p => p.Id).ToListAsync(ct);
        var missing = distinct.Except(found).FirstOrDefault();
        return missing is null ? null : ProjectNotFound(missing);
    }
}
