using System.Text.Json.Nodes;
using Plugboard.Client;

namespace Plugboard.Samples.TenantIntegration.Integration;

public sealed record SetupRequest(string? ApiKey, string? OrganizationId);

public sealed record SetupResponse(string IntegrationTenantId);

public sealed record UpsertConnectionRequest(string? AccessToken, string? ProjectId, string? OrganizationId = null);

public sealed record CreateMcpServerBody(string? Name, string? ProjectId);

/// Each field given replaces the stored one; `tools` replaces the whole list.
public sealed record UpdateMcpServerBody(string? Name = null, IReadOnlyList<McpTool?>? Tools = null);

public sealed record ListResponse<T>(IReadOnlyList<T> Data);

/// A connection as the front end sees it: no value (Plugboard never returns one on these routes anyway).
public sealed record ConnectionView(
    string Id, string ExternalId, string DisplayName, string PieceName, IReadOnlyList<string> ProjectIds, string Status,
    JsonObject? Metadata, DateTimeOffset Created, DateTimeOffset Updated)
{
    public static ConnectionView From(AppConnection c) =>
        new(c.Id, c.ExternalId, c.DisplayName, c.PieceName, c.ProjectIds, c.Status.ToString(), c.Metadata, c.Created, c.Updated);
}

/// An MCP server as the front end sees it. There is no token field: the type cannot carry one, so no route can
/// return it by mistake, not even create and rotate (the seed's sanitizeMcpServer, made structural).
public sealed record McpServerView(
    string Id, string Name, string ProjectId, string ExternalId, IReadOnlyList<McpTool> Tools, DateTimeOffset Created, DateTimeOffset Updated)
{
    public static McpServerView From(McpServer s) => new(s.Id, s.Name, s.ProjectId, s.ExternalId, s.Tools, s.Created, s.Updated);
}
