using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Access;
using Plugboard.Server.Audit;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.Projects;

namespace Plugboard.Server.Mcp;

/// /api/v1/mcp-servers: a project's MCP servers, in the reference's shape (seed 003). Platform keys reach every
/// project, project keys their own; embedded users read with any role and write as EDITOR or ADMIN. The token is
/// shown by create and rotate only, stored as its hash.
public static class McpServersApi
{
    private const int DefaultLimit = 10;

    public static RouteGroupBuilder MapMcpServers(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/mcp-servers").WithTags("MCP servers").RequireAuthorization();
        group.MapGet("/", List).WithName("ListMcpServers").WithSummary("List a project's MCP servers")
            .ProducesApiError(StatusCodes.Status404NotFound);
        group.MapPost("/", Create).RequireAuthorization(Policies.ProjectWrite).WithName("CreateMcpServer").WithSummary("Create an MCP server (its token is shown once)")
            .ProducesApiError(StatusCodes.Status404NotFound);
        group.MapGet("/{id}", Get).WithName("GetMcpServer").WithSummary("Get an MCP server");
        group.MapPost("/{id}", Update).RequireAuthorization(Policies.ProjectWrite).WithName("UpdateMcpServer").WithSummary("Rename an MCP server or replace its tools")
            .ProducesApiError(StatusCodes.Status409Conflict);
        group.MapPost("/{id}/rotate", Rotate).RequireAuthorization(Policies.ProjectWrite).WithName("RotateMcpServerToken")
            .WithSummary("Replace an MCP server's token (the new one is shown once)").ProducesApiError(StatusCodes.Status409Conflict);
        group.MapDelete("/{id}", Delete).RequireAuthorization(Policies.ProjectWrite).WithName("DeleteMcpServer").WithSummary("Delete an MCP server");
        return group;
    }

    private static async Task<Results<Ok<SeekPage<McpServerDto>>, ApiErrorResult>> List(
        Caller caller, PlugboardDb db, string? projectId, string? name, string? limit, string? cursor, CancellationToken ct)
    {
        var project = await db.ResolveProjectAsync(caller, projectId, ct);
        if (!project.TryGetValue(out var resolved, out var denied))
        {
            return new ApiErrorResult(denied);
        }
        if (!PageRequest.TryParse(limit, cursor, DefaultLimit, out var page, out var error))
        {
            return new ApiErrorResult(error);
        }
        var query = db.McpServers.AsNoTracking().Where(s => s.PlatformId == caller.PlatformId && s.ProjectId == resolved);
        if (!string.IsNullOrEmpty(name))
        {
            query = query.Where(s => s.Name == name);
        }
        return TypedResults.Ok(await query.ToSeekPageAsync(page, rows => Task.FromResult<IReadOnlyList<McpServerDto>>(rows.Select(ToDto).ToList()), ct));
    }

    private static async Task<Results<Created<CreatedMcpServerDto>, ApiErrorResult>> Create(
        HttpContext http, Caller caller, PlugboardDb db, TimeProvider time, CreateMcpServerRequest body, CancellationToken ct)
    {
        if (Validate.Text(body.Name, "name") is { } invalid)
        {
            return new ApiErrorResult(invalid);
        }
        var project = await db.ResolveProjectAsync(caller, body.ProjectId, ct);
        if (!project.TryGetValue(out var projectId, out var denied))
        {
            return new ApiErrorResult(denied);
        }
        var token = McpTokens.New();
        var now = time.UtcNow();
        var server = new McpServer
        {
            Id = Ids.New(), PlatformId = caller.PlatformId, ProjectId = projectId, Name = body.Name!, ExternalId = Ids.New(),
            TokenHash = McpTokens.Hash(token), Tools = "[]", Version = 1, Created = now, Updated = now,
        };
        db.McpServers.Add(server);
        db.Record(time, caller, "mcp_server.created", "mcp_server", server.Id, projectId, new { server.Name });
        await db.SaveChangesAsync(ct);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/api/v1/mcp-servers/{server.Id}", WithToken(server, token));
    }

    private static async Task<Results<Ok<McpServerDto>, ApiErrorResult>> Get(Caller caller, PlugboardDb db, string id, CancellationToken ct)
    {
        var server = await db.McpServers.AsNoTracking().VisibleTo(caller).FirstOrDefaultAsync(s => s.Id == id, ct);
        return server is null ? new ApiErrorResult(NotFound(id)) : TypedResults.Ok(ToDto(server));
    }

    private static async Task<Results<Ok<McpServerDto>, ApiErrorResult>> Update(
        Caller caller, PlugboardDb db, TimeProvider time, string id, UpdateMcpServerRequest body, CancellationToken ct)
    {
        var server = await db.McpServers.VisibleTo(caller).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (server is null)
        {
            return new ApiErrorResult(NotFound(id));
        }
        var invalid = Validate.Text(body.Name, "name", required: false)
            ?? (body.Tools is null ? null : await McpTools.CheckAsync(db, caller, server.ProjectId, body.Tools, ct));
        if (invalid is not null)
        {
            return new ApiErrorResult(invalid);
        }
        server.Name = body.Name ?? server.Name;
        if (body.Tools is not null)
        {
            server.Tools = McpTools.Write(body.Tools);
        }
        return await SaveAsync(db, time, caller, server, "mcp_server.updated", ct) is { } conflict ? new ApiErrorResult(conflict) : TypedResults.Ok(ToDto(server));
    }

    /// The old token stops working at once: it is no longer any server's hash.
    private static async Task<Results<Ok<CreatedMcpServerDto>, ApiErrorResult>> Rotate(
        HttpContext http, Caller caller, PlugboardDb db, TimeProvider time, string id, CancellationToken ct)
    {
        var server = await db.McpServers.VisibleTo(caller).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (server is null)
        {
            return new ApiErrorResult(NotFound(id));
        }
        var token = McpTokens.New();
        server.TokenHash = McpTokens.Hash(token);
        if (await SaveAsync(db, time, caller, server, "mcp_server.token_rotated", ct) is { } conflict)
        {
            return new ApiErrorResult(conflict);
        }
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(WithToken(server, token));
    }

    private static async Task<Results<NoContent, ApiErrorResult>> Delete(Caller caller, PlugboardDb db, TimeProvider time, string id, CancellationToken ct)
    {
        var server = await db.McpServers.VisibleTo(caller).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (server is null)
        {
            return new ApiErrorResult(NotFound(id));
        }
        db.McpServers.Remove(server);
        db.Record(time, caller, "mcp_server.deleted", "mcp_server", server.Id, server.ProjectId, new { server.Name });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new ApiErrorResult(NotFound(id));
        }
        return TypedResults.NoContent();
    }

    /// A platform key's servers are its platform's; a project key's and an embedded user's, their project's.
    private static IQueryable<McpServer> VisibleTo(this IQueryable<McpServer> servers, Caller caller) =>
        caller.ProjectId is null
            ? servers.Where(s => s.PlatformId == caller.PlatformId)
            : servers.Where(s => s.PlatformId == caller.PlatformId && s.ProjectId == caller.ProjectId);

    private static async Task<ApiError?> SaveAsync(PlugboardDb db, TimeProvider time, Caller caller, McpServer server, string action, CancellationToken ct)
    {
        server.Version++;
        server.Updated = time.UtcNow();
        db.Record(time, caller, action, "mcp_server", server.Id, server.ProjectId, new { server.Name });
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            return ApiError.Conflict(ErrorCodes.ConcurrentUpdate, "The MCP server was changed by another request; read it again and retry.");
        }
    }

    private static ApiError NotFound(string id) => ApiError.NotFound("mcp_server", id, "MCP server not found.");

    private static McpServerDto ToDto(McpServer s) => new(s.Id, s.Created, s.Updated, s.Name, s.ProjectId, s.ExternalId, McpTools.Read(s.Tools));

    private static CreatedMcpServerDto WithToken(McpServer s, string token) =>
        new(s.Id, s.Created, s.Updated, s.Name, s.ProjectId, s.ExternalId, McpTools.Read(s.Tools), token);
}
