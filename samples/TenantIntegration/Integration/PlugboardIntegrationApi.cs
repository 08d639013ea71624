using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Plugboard.Client;
using Plugboard.Samples.TenantIntegration.Storage;
using Plugboard.Samples.TenantIntegration.Tenancy;

namespace Plugboard.Samples.TenantIntegration.Integration;

/// /api/integration/plugboard: setup, connections, and (McpServersApi) MCP servers. Every route needs a signed-in
/// tenant, and every Plugboard call goes through plugboard.ForTenant(tenant): that tenant's own key, else the
/// global key, else 503 "Plugboard API key not configured".
public static class PlugboardIntegrationApi
{
    public const string Prefix = "/api/integration/plugboard";
    private const int MaxSecretLength = 8 * 1024;

    public static RouteGroupBuilder MapPlugboardIntegration(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(Prefix).RequireAuthorization(TenantHeaderAuthentication.Policy).AddEndpointFilter<PlugboardErrors>();
        group.MapPost("/setup", Setup);
        group.MapPost("/connection", UpsertConnection);
        group.MapGet("/connections", ListConnections);
        group.MapDelete("/connection/{id}", DeleteConnection);
        group.MapMcpServers();
        return group;
    }

    /// Stores the tenant's own key (encrypted) after one cheap call shows Plugboard accepts it.
    private static async Task<Results<Ok<SetupResponse>, ProblemHttpResult>> Setup(
        Tenant tenant, SetupRequest body, PlugboardClient plugboard, ProtectedTenantKeyStore store, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.ApiKey) || body.ApiKey.Length > 512)
        {
            return Problems.Invalid("apiKey", "apiKey is required (a Plugboard platform or project API key).");
        }
        if (body.OrganizationId is not null && !TenantIds.IsValidOrganization(body.OrganizationId))
        {
            return Problems.Invalid("organizationId", "organizationId is 1–64 letters, digits, '_' or '-'.");
        }
        try
        {
            await plugboard.WithKey(body.ApiKey).Projects.ListAsync(new ProjectQuery { Limit = 1 }, cancellationToken: ct);
        }
        catch (PlugboardApiException e) when (e.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return Problems.Invalid("apiKey", "Plugboard refused this API key.");
        }
        var integrationTenantId = await store.SaveAsync(tenant.Id, body.OrganizationId, body.ApiKey, ct);
        return TypedResults.Ok(new SetupResponse(integrationTenantId));
    }

    /// The tenant's SECRET_TEXT connection for one organization, keyed by gauzy-tenant-{tenantId}-org-{organizationId}
    /// (an upsert: sending it again replaces the token). The tenant comes from the sign-in, never from the body.
    private static async Task<Results<Ok<ConnectionView>, ProblemHttpResult>> UpsertConnection(
        Tenant tenant, UpsertConnectionRequest body, PlugboardClient plugboard, ProtectedTenantKeyStore store,
        IOptions<TenantIntegrationOptions> options, TimeProvider time, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(body.AccessToken) || body.AccessToken.Length > MaxSecretLength)
        {
            return Problems.Invalid("accessToken", "accessToken is required.");
        }
        if (string.IsNullOrWhiteSpace(body.ProjectId))
        {
            return Problems.Invalid("projectId", "projectId is required.");
        }
        if (body.OrganizationId is not null && !TenantIds.IsValidOrganization(body.OrganizationId))
        {
            return Problems.Invalid("organizationId", "organizationId is 1–64 letters, digits, '_' or '-'.");
        }
        var organizationId = body.OrganizationId ?? await store.FindOrganizationAsync(tenant.Id, ct) ?? "default";
        var connection = await plugboard.ForTenant(tenant.Id).AppConnections.UpsertAsync(new()
        {
            ProjectId = body.ProjectId,
            ExternalId = TenantIds.ConnectionExternalId(tenant.Id, organizationId),
            DisplayName = $"Ever Gauzy - {tenant.Id} - {organizationId}",
            PieceName = options.Value.PieceName,
            Value = new SecretTextValue(body.AccessToken),
            Metadata = new JsonObject
            {
                ["tenantId"] = tenant.Id,
                ["organizationId"] = organizationId,
                ["createdAt"] = time.GetUtcNow().ToString("O"),
                ["appVersion"] = options.Value.AppVersion,
            },
        }, ct);
        return TypedResults.Ok(ConnectionView.From(connection));
    }

    /// The tenant's connections, every page: Plugboard filters by metadata.tenantId before paging, so each page holds
    /// only this tenant's rows and nothing is filtered here (the seed's client-side filter of one page is the bug).
    private static async Task<Results<Ok<ListResponse<ConnectionView>>, ProblemHttpResult>> ListConnections(
        Tenant tenant, string? projectId, int? limit, PlugboardClient plugboard, CancellationToken ct)
    {
        if (limit is < 1 or > 100)
        {
            return Problems.Invalid("limit", "limit is the page size Plugboard is asked for, 1 to 100.");
        }
        var rows = await plugboard.ForTenant(tenant.Id).AppConnections.ListAllAsync(new AppConnectionQuery
        {
            ProjectId = projectId,
            Scope = ConnectionScope.Project,
            Metadata = new Dictionary<string, string> { ["tenantId"] = tenant.Id },
            Limit = limit,
        }, ct).Select(ConnectionView.From).ToListAsync(ct);
        return TypedResults.Ok(new ListResponse<ConnectionView>(rows));
    }

    /// Deletes the connection only when its metadata names this tenant; another tenant's id gets the same 404 as an
    /// id that does not exist. (Between the read and the delete only the tenant field could change, and only through
    /// Plugboard directly: the sample never rewrites a connection's tenant.)
    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteConnection(
        Tenant tenant, string id, PlugboardClient plugboard, CancellationToken ct)
    {
        var client = plugboard.ForTenant(tenant.Id);
        try
        {
            var connection = await client.AppConnections.GetAsync(id, ct);
            if (!BelongsTo(connection, tenant))
            {
                return Problems.NotFound("Connection");
            }
            await client.AppConnections.DeleteAsync(id, ct);
        }
        catch (PlugboardApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return Problems.NotFound("Connection");
        }
        return TypedResults.NoContent();
    }

    private static bool BelongsTo(AppConnection connection, Tenant tenant) =>
        connection.Metadata?["tenantId"] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() == tenant.Id;
}
