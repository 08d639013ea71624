using Plugboard.Client.Http;

namespace Plugboard.Client;

/// <summary>MCP servers: <c>/api/v1/mcp-servers</c>. The token is returned by <see cref="CreateAsync"/> and
/// <see cref="RotateTokenAsync"/> only.</summary>
public sealed class McpServersClient
{
    private const string Root = "api/v1/mcp-servers";
    private readonly ApiTransport _api;

    internal McpServersClient(ApiTransport api) => _api = api;

    /// <summary>One page of a project's MCP servers, optionally only those with a name.</summary>
    [Operation("ListMcpServers")]
    public Task<Page<McpServer>> ListAsync(McpServerQuery? query = null, string? cursor = null, CancellationToken cancellationToken = default) =>
        _api.GetAsync<Page<McpServer>>(new Query()
            .Add("projectId", query?.ProjectId)
            .Add("name", query?.Name)
            .Add("limit", query?.Limit)
            .Add("cursor", cursor)
            .Of(Root), cancellationToken);

    /// <summary>Every MCP server the query finds, page after page.</summary>
    public IAsyncEnumerable<McpServer> ListAllAsync(McpServerQuery? query = null, CancellationToken cancellationToken = default) =>
        Paging.AllAsync((cursor, ct) => ListAsync(query, cursor, ct), cancellationToken);

    /// <summary>Creates an MCP server and returns its token, the one time it is shown. Not retried: a second
    /// arrival would create a second server with a token nobody saw.</summary>
    [Operation("CreateMcpServer")]
    public Task<CreatedMcpServer> CreateAsync(CreateMcpServerRequest request, CancellationToken cancellationToken = default) =>
        _api.SendAsync<CreatedMcpServer>(HttpMethod.Post, Root, request, Retry.No, cancellationToken);

    /// <summary>The MCP server with this id (never its token).</summary>
    [Operation("GetMcpServer")]
    public Task<McpServer> GetAsync(string id, CancellationToken cancellationToken = default) =>
        _api.GetAsync<McpServer>(Query.Path(Root + "/{0}", id), cancellationToken);

    /// <summary>Renames the server or replaces its tools (each tool is checked: an action Plugboard runs, on a
    /// connection of the server's project that belongs to the tool's piece).</summary>
    [Operation("UpdateMcpServer")]
    public Task<McpServer> UpdateAsync(string id, UpdateMcpServerRequest request, CancellationToken cancellationToken = default) =>
        _api.SendAsync<McpServer>(HttpMethod.Post, Query.Path(Root + "/{0}", id), request, Retry.Yes, cancellationToken);

    /// <summary>Deletes the MCP server; its token stops working.</summary>
    [Operation("DeleteMcpServer")]
    public Task DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Delete, Query.Path(Root + "/{0}", id), null, Retry.Yes, cancellationToken);

    /// <summary>Replaces the server's token and returns the new one, the one time it is shown; the old one stops
    /// working at once. Not retried: a lost answer would leave a token nobody saw.</summary>
    [Operation("RotateMcpServerToken")]
    public Task<CreatedMcpServer> RotateTokenAsync(string id, CancellationToken cancellationToken = default) =>
        _api.SendAsync<CreatedMcpServer>(HttpMethod.Post, Query.Path(Root + "/{0}/rotate", id), null, Retry.No, cancellationToken);
}
