using Plugboard.Client.Http;

namespace Plugboard.Client;

/// <summary>Global connections: <c>/api/v1/global-connections</c> (platform key).</summary>
public sealed class GlobalConnectionsClient
{
    private const string Root = "api/v1/global-connections";
    private readonly ApiTransport _api;

    internal GlobalConnectionsClient(ApiTransport api) => _api = api;

    /// <summary>One page of the platform's global connections.</summary>
    [Operation("ListGlobalConnections")]
    public Task<Page<AppConnection>> ListAsync(GlobalConnectionQuery? query = null, string? cursor = null, CancellationToken cancellationToken = default) =>
        _api.GetAsync<Page<AppConnection>>(new Query()
            .Add("pieceName", query?.PieceName)
            .Add("displayName", query?.DisplayName)
            .AddEach("status", query?.Statuses)
            .Add("definition", query?.Definition)
            .AddMetadata(query?.Metadata)
            .Add("limit", query?.Limit)
            .Add("cursor", cursor)
            .Of(Root), cancellationToken);

    /// <summary>Every global connection the query finds, page after page.</summary>
    public IAsyncEnumerable<AppConnection> ListAllAsync(GlobalConnectionQuery? query = null, CancellationToken cancellationToken = default) =>
        Paging.AllAsync((cursor, ct) => ListAsync(query, cursor, ct), cancellationToken);

    /// <summary>The global connection with this id.</summary>
    [Operation("GetGlobalConnection")]
    public Task<AppConnection> GetAsync(string id, CancellationToken cancellationToken = default) =>
        _api.GetAsync<AppConnection>(Query.Path(Root + "/{0}", id), cancellationToken);

    /// <summary>Creates the connection or updates the one with the same externalId. Retried only when an
    /// externalId is given: without one, a second arrival would create a second connection.</summary>
    [Operation("UpsertGlobalConnection")]
    public Task<AppConnection> UpsertAsync(UpsertGlobalConnectionRequest request, CancellationToken cancellationToken = default) =>
        _api.SendAsync<AppConnection>(HttpMethod.Post, Root, request, request.ExternalId is null ? Retry.No : Retry.Yes, cancellationToken);

    /// <summary>Changes the fields given.</summary>
    [Operation("UpdateGlobalConnection")]
    public Task<AppConnection> UpdateAsync(string id, UpdateGlobalConnectionRequest request, CancellationToken cancellationToken = default) =>
        _api.SendAsync<AppConnection>(HttpMethod.Post, Query.Path(Root + "/{0}", id), request, Retry.Yes, cancellationToken);

    /// <summary>Deletes the global connection.</summary>
    [Operation("DeleteGlobalConnection")]
    public Task DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Delete, Query.Path(Root + "/{0}", id), null, Retry.Yes, cancellationToken);
}
