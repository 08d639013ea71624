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
        if (caller.ProjectId is not null)
        {
            return requested is null || requested == caller.ProjectId
                ? caller.ProjectId
                : ProjectNotFound(requested);
        }
        if (string.IsNullOrEmpty(requested))
        {
            return ApiError.Validation("projectId is required with a platform API key.", "projectId");
        }
        var exists = await db.Projects.AnyAsync(p => p.Id == requested && p.PlatformId == caller.PlatformId, ct);
        return exists ? requested : ProjectNotFound(requested);
    }

    /// Projects this caller may see: all of its platform's for a platform key, its own for a project key.
    public static IQueryable<Project> VisibleProjects(this PlugboardDb db, Caller caller) =>
        caller.ProjectId is null
            ? db.Projects.Where(p => p.PlatformId == caller.PlatformId)
            : db.Projects.Where(p => p.PlatformId == caller.PlatformId && p.Id == caller.ProjectId);

    public static ApiError ProjectNotFound(string? id) => ApiError.NotFound("project", id, "Project not found");
}
