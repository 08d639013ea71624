using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Access;
using Plugboard.Server.Audit;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Server.Projects;

public static class ProjectsApi
{
    private const int DefaultLimit = 50;

    public static RouteGroupBuilder MapProjects(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/projects").WithTags("Projects").RequireAuthorization();
        group.MapGet("/", List).WithName("ListProjects").WithSummary("List projects");
        group.MapPost("/", Create).RequireAuthorization(Policies.PlatformKey)
            .WithName("CreateProject").WithSummary("Create a project").ProducesApiError(StatusCodes.Status409Conflict);
        group.MapGet("/{id}", Get).WithName("GetProject").WithSummary("Get a project");
        group.MapPost("/{id}", Update).RequireAuthorization(Policies.ProjectAdmin)
            .WithName("UpdateProject").WithSummary("Update a project").ProducesApiError(StatusCodes.Status409Conflict);
        group.MapDelete("/{id}", Delete).RequireAuthorization(Policies.PlatformKey)
            .WithName("DeleteProject").WithSummary("Delete a project and its own connections");
        return group;
    }

    private static async Task<Results<Ok<SeekPage<ProjectDto>>, ApiErrorResult>> List(
        Caller caller, PlugboardDb db, string? externalId, string? displayName, string? limit, string? cursor, CancellationToken ct)
    {
        if (!PageRequest.TryParse(limit, cursor, DefaultLimit, out var page, out var error))
        {
            return new ApiErrorResult(error);
        }
        var query = db.VisibleProjects(caller).AsNoTracking();
        if (!string.IsNullOrEmpty(externalId))
        {
            query = query.Where(p => p.ExternalId == externalId);
        }
        if (!string.IsNullOrEmpty(displayName))
        {
            var term = SearchText.Fold(displayName);
            query = query.Where(p => p.DisplayNameSearch.Contains(term));
        }
        var result = await query.ToSeekPageAsync(page, rows => Task.FromResult<IReadOnlyList<ProjectDto>>(rows.Select(p => p.ToDto()).ToList()), ct);
        return TypedResults.Ok(result);
    }

    private static async Task<Results<Created<ProjectDto>, ApiErrorResult>> Create(
        Caller caller, PlugboardDb db, IProjectConnections connections, TimeProvider time, CreateProjectRequest body, CancellationToken ct)
    {
        var invalid = Validate.FirstError(
            Validate.Text(body.DisplayName, "displayName"),
            Validate.Text(body.ExternalId, "externalId", required: false, max: Lengths.ExternalId),
            Validate.Metadata(body.Metadata));
        if (invalid is not null)
        {
            return new ApiErrorResult(invalid);
        }
        if (body.ExternalId is not null && await db.Projects.AnyAsync(p => p.PlatformId == caller.PlatformId && p.ExternalId == body.ExternalId, ct))
        {
            return new ApiErrorResult(ExternalIdTaken(body.ExternalId));
        }
        var globals = await connections.FindGlobalIdsAsync(caller.PlatformId, body.GlobalConnectionExternalIds ?? [], "globalConnectionExternalIds", ct);
        if (!globals.TryGetValue(out var globalIds, out var missing))
        {
            return new ApiErrorResult(missing);
        }

        var now = time.UtcNow();
        var project = new Project
        {
            Id = Ids.New(),
            PlatformId = caller.PlatformId,
            OwnerId = caller.OwnerUserId,
            DisplayName = body.DisplayName!,
            ExternalId = body.ExternalId,
            Metadata = Validate.MetadataText(body.Metadata),
            Created = now,
            Updated = now,
        };
        db.Projects.Add(project);
        await connections.AttachNewProjectAsync(caller.PlatformId, project.Id, globalIds, ct);
        db.Record(time, caller, "project.created", "project", project.Id, project.Id, new { project.DisplayName, project.ExternalId });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // Lost a race with a concurrent create of the same externalId: one project, and a 409 here.
            return new ApiErrorResult(ExternalIdTaken(body.ExternalId!));
        }
        return TypedResults.Created($"/api/v1/projects/{project.Id}", project.ToDto());
    }

    private static async Task<Results<Ok<ProjectDto>, ApiErrorResult>> Get(Caller caller, PlugboardDb db, string id, CancellationToken ct)
    {
        var project = await db.VisibleProjects(caller).AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        return project is null ? new ApiErrorResult(ProjectAccess.ProjectNotFound(id)) : TypedResults.Ok(project.ToDto());
    }

    /// Identical requests arriving together queue on the project's row, and one that still loses a race (a link
    /// written from the global connection's side) reruns: each ends with the same links, never a 500.
    private static Task<Results<Ok<ProjectDto>, ApiErrorResult>> Update(
        Caller caller, PlugboardDb db, IProjectConnections connections, TimeProvider time, string id, UpdateProjectRequest body, CancellationToken ct) =>
        db.RetryOnConflictAsync(() => UpdateOnceAsync(caller, db, connections, time, id, body, ct), () => new ApiErrorResult(ProjectChanged()), ct);

    private static async Task<Results<Ok<ProjectDto>, ApiErrorResult>> UpdateOnceAsync(
        Caller caller, PlugboardDb db, IProjectConnections connections, TimeProvider time, string id, UpdateProjectRequest body, CancellationToken ct)
    {
        await using var transaction = await db.BeginLockedAsync(LockedTable.Projects, caller.PlatformId, id, ct);
        var project = await db.VisibleProjects(caller).FirstOrDefaultAsync(p => p.Id == id, ct);
        if (project is null)
        {
            return new ApiErrorResult(ProjectAccess.ProjectNotFound(id));
        }
        var invalid = Validate.FirstError(
            Validate.Text(body.DisplayName, "displayName", required: false),
            Validate.Text(body.ExternalId, "externalId", required: false, max: Lengths.ExternalId),
            Validate.Metadata(body.Metadata));
        if (invalid is not null)
        {
            return new ApiErrorResult(invalid);
        }
        if (!caller.IsPlatformAdmin && (body.ExternalId is not null || body.GlobalConnectionExternalIds is not null))
        {
            return new ApiErrorResult(ApiError.Authorization("externalId and globalConnectionExternalIds are set with a platform API key."));
        }
        if (body.ExternalId is not null && body.ExternalId != project.ExternalId &&
            await db.Projects.AnyAsync(p => p.PlatformId == caller.PlatformId && p.ExternalId == body.ExternalId, ct))
        {
            return new ApiErrorResult(ExternalIdTaken(body.ExternalId));
        }
        if (body.GlobalConnectionExternalIds is not null)
        {
            var globals = await connections.FindGlobalIdsAsync(caller.PlatformId, body.GlobalConnectionExternalIds, "globalConnectionExternalIds", ct);
            if (!globals.TryGetValue(out var globalIds, out var missing))
            {
                return new ApiErrorResult(missing);
            }
            await connections.SetProjectGlobalsAsync(caller.PlatformId, project.Id, globalIds, ct);
        }

        project.DisplayName = body.DisplayName ?? project.DisplayName;
        project.ExternalId = body.ExternalId ?? project.ExternalId;
        if (body.Metadata is not null)
        {
            project.Metadata = Validate.MetadataText(body.Metadata);
        }
        project.Updated = time.UtcNow();
        db.Record(time, caller, "project.updated", "project", project.Id, project.Id, new { project.DisplayName, project.ExternalId });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(project.ToDto());
    }

    /// Deletes the project with its own connections and project keys; global connections only lose the link.
    private static async Task<Results<NoContent, ApiErrorResult>> Delete(
        Caller caller, PlugboardDb db, IProjectConnections connections, TimeProvider time, string id, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var project = await db.VisibleProjects(caller).FirstOrDefaultAsync(p => p.Id == id, ct);
        if (project is null)
        {
            return new ApiErrorResult(ProjectAccess.ProjectNotFound(id));
        }
        await connections.DeleteOwnAsync(caller, project.Id, ct);
        db.Projects.Remove(project);
        db.Record(time, caller, "project.deleted", "project", project.Id, project.Id, new { project.DisplayName, project.ExternalId });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new ApiErrorResult(ProjectAccess.ProjectNotFound(id));
        }
        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    private static ApiError ProjectChanged() =>
        ApiError.Conflict(ErrorCodes.ConcurrentUpdate, "The project was changed by other requests; read it again and retry.");

    private static ApiError ExternalIdTaken(string externalId) => ApiError.Conflict(
        ErrorCodes.ProjectExternalIdAlreadyExists, $"A project with externalId '{externalId}' already exists.", ("externalId", externalId));
}
