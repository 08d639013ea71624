using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Plugboard.Client;
using Plugboard.Samples.TenantIntegration.Storage;
using Plugboard.Samples.TenantIntegration.Tenancy;

namespace Plugboard.Samples.TenantIntegration.Integration;

/// …/mcp: the tenant's MCP servers. Ownership is the sample's own table (tenant_mcp_servers), written when the tenant
/// creates a server here: every route checks it before calling Plugboard, so a key that reaches the whole platform
/// (the global key) still reaches only the tenant's own servers. No answer carries a token: McpServerView has none.
internal static class McpServersApi
{
    private const int MaxNameLength = 200;

    public static void MapMcpServers(this RouteGroupBuilder group)
    {
        group.MapPost("/mcp", Create);
        group.MapGet("/mcp", List);
        group.MapGet("/mcp/{id}", Get);
        group.MapPatch("/mcp/{id}", Update);
        group.MapPost("/mcp/{id}/rotate", Rotate);
        group.MapDelete("/mcp/{id}", Delete);
    }

    private static async Task<Results<Created<McpServerView>, ProblemHttpResult>> Create(
        Tenant tenant, CreateMcpServerBody body, PlugboardClient plugboard, IDbContextFactory<SampleDb> dbs, TimeProvider time, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > MaxNameLength)
        {
            return Problems.Invalid("name", $"name is required, at most {MaxNameLength} characters.");
        }
        if (string.IsNullOrWhiteSpace(body.ProjectId))
        {
            return Problems.Invalid("projectId", "projectId is required.");
        }
        var client = plugboard.ForTenant(tenant.Id);
        // The token in this answer is dropped here: it is neither stored nor returned.
        var created = (await client.McpServers.CreateAsync(new() { Name = body.Name, ProjectId = body.ProjectId }, ct)).WithoutToken();
        try
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            db.McpServers.Add(new TenantMcpServerRow
            {
                ServerId = created.Id, TenantId = tenant.Id, ProjectId = created.ProjectId, Created = time.GetUtcNow().UtcDateTime,
            });
            await db.SaveChangesAsync(ct);
        }
        catch
        {
            // A server nobody owns would be reachable by no tenant: take it away again.
            await client.McpServers.DeleteAsync(created.Id, CancellationToken.None);
            throw;
        }
        return TypedResults.Created($"{PlugboardIntegrationApi.Prefix}/mcp/{Uri.EscapeDataString(created.Id)}", McpServerView.From(created));
    }

    /// The tenant's servers (of one project when projectId is given), read from Plugboard one by one: the list comes
    /// from the ownership table, never from filtering what the key can see.
    private static async Task<Ok<ListResponse<McpServerView>>> List(
        Tenant tenant, string? projectId, PlugboardClient plugboard, IDbContextFactory<SampleDb> dbs, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var owned = await db.McpServers.AsNoTracking()
            .Where(r => r.TenantId == tenant.Id && (projectId == null || r.ProjectId == projectId))
            .OrderBy(r => r.Created).ThenBy(r => r.ServerId).Select(r => r.ServerId).ToListAsync(ct);
        var client = plugboard.ForTenant(tenant.Id);
        var servers = new List<McpServerView>(owned.Count);
        foreach (var id in owned)
        {
            try
            {
                servers.Add(McpServerView.From(await client.McpServers.GetAsync(id, ct)));
            }
            catch (PlugboardApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                // Deleted in Plugboard directly: forget it.
                await db.McpServers.Where(r => r.TenantId == tenant.Id && r.ServerId == id).ExecuteDeleteAsync(ct);
            }
        }
        return TypedResults.Ok(new ListResponse<McpServerView>(servers));
    }

    private static async Task<Results<Ok<McpServerView>, ProblemHttpResult>> Get(
        Tenant tenant, string id, PlugboardClient plugboard, IDbContextFactory<SampleDb> dbs, CancellationToken ct) =>
        !await OwnsAsync(dbs, tenant, id, ct)
            ? Problems.NotFound("MCP server")
            : TypedResults.Ok(McpServerView.From(await plugboard.ForTenant(tenant.Id).McpServers.GetAsync(id, ct)));

    /// Renames the server or replaces its tools. A tool may name only one of the tenant's own connections (its
    /// externalId carries the tenant's prefix): otherwise a tenant sharing a project with another could hand its agent
    /// the other tenant's credentials. Plugboard then checks the rest (the action, the connection's piece and project).
    private static async Task<Results<Ok<McpServerView>, ProblemHttpResult>> Update(
        Tenant tenant, string id, UpdateMcpServerBody body, PlugboardClient plugboard, IDbContextFactory<SampleDb> dbs, CancellationToken ct)
    {
        if (!await OwnsAsync(dbs, tenant, id, ct))
        {
            return Problems.NotFound("MCP server");
        }
        if (body.Name is not null && (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > MaxNameLength))
        {
            return Problems.Invalid("name", $"name is 1–{MaxNameLength} characters.");
        }
        var prefix = TenantIds.ConnectionPrefix(tenant.Id);
        var tools = new List<McpTool>();
        for (var i = 0; i < (body.Tools?.Count ?? 0); i++)
        {
            var tool = body.Tools![i];
            if (tool?.PieceMetadata?.ConnectionExternalId is not { } connection || !connection.StartsWith(prefix, StringComparison.Ordinal))
            {
                return Problems.Invalid($"tools[{i}].pieceMetadata.connectionExternalId", "A tool may use only one of this tenant's own connections.");
            }
            tools.Add(tool);
        }
        var updated = await plugboard.ForTenant(tenant.Id).McpServers.UpdateAsync(id, new()
        {
            Name = body.Name,
            Tools = body.Tools is null ? null : tools,
        }, ct);
        return TypedResults.Ok(McpServerView.From(updated));
    }

    /// Replaces the server's token. As in the seed the new token is not returned: the front end never holds it.
    private static async Task<Results<Ok<McpServerView>, ProblemHttpResult>> Rotate(
        Tenant tenant, string id, PlugboardClient plugboard, IDbContextFactory<SampleDb> dbs, CancellationToken ct) =>
        !await OwnsAsync(dbs, tenant, id, ct)
            ? Problems.NotFound("MCP server")
            : TypedResults.Ok(McpServerView.From((await plugboard.ForTenant(tenant.Id).McpServers.RotateTokenAsync(id, ct)).WithoutToken()));

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        Tenant tenant, string id, PlugboardClient plugboard, IDbContextFactory<SampleDb> dbs, CancellationToken ct)
    {
        if (!await OwnsAsync(dbs, tenant, id, ct))
        {
            return Problems.NotFound("MCP server");
        }
        try
        {
            await plugboard.ForTenant(tenant.Id).McpServers.DeleteAsync(id, ct);
        }
        catch (PlugboardApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone in Plugboard: forgetting it is all that is left.
        }
        await using var db = await dbs.CreateDbContextAsync(ct);
        await db.McpServers.Where(r => r.TenantId == tenant.Id && r.ServerId == id).ExecuteDeleteAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<bool> OwnsAsync(IDbContextFactory<SampleDb> dbs, Tenant tenant, string id, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.McpServers.AnyAsync(r => r.TenantId == tenant.Id && r.ServerId == id, ct);
    }
}
