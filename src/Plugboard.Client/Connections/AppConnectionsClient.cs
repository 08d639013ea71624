using Plugboard.Client.Http;

namespace Plugboard.Client;

/// <summary>App connections: <c>/api/v1/app-connections</c>.</summary>
public sealed class AppConnectionsClient
{
    private const string Root = "api/v1/app-connections";
    private readonly ApiTransport _api;

    internal AppConnectionsClient(ApiTransport api) => _api = api;

    /// <summary>One page of the project's connections (its own, then the global ones it sees).</summary>
    [Operation("ListAppConnections")]
    public Task<Page<AppConnection>> ListAsync(AppConnectionQuery? query = null, string? cursor = null, CancellationToken cancellationToken = default) =>
        _api.GetAsync<Page<AppConnection>>(new Query()
            .Add("projectId", query?.ProjectId)
            .Add("pieceName", query?.PieceName)
            .Add("displayName", query?.DisplayName)
            .AddEach("status", query?.Statuses)
            .Add("scope", query?.Scope)
            .Add("definition", query?.Definition)
            .AddMetadata(query?.Metadata)
            .Add("limit", query?.Limit)
            .Add("cursor", cursor)
            .Of(Root), cancellationToken);

    /// <summary>Every connection the query finds, page after page.</summary>
    public IAsyncEnumerable<AppConnection> ListAllAsync(AppConnectionQuery? query = null, CancellationToken cancellationToken = default) =>
        Paging.AllAsync((cursor, ct) => ListAsync(query, cursor, ct), cancellationToken);

    /// <summary>The connection with this id (never its value).</summary>
    [Operation("GetAppConnection")]
    public Task<AppConnection> GetAsync(string id, CancellationToken cancellationToken = default) =>
        _api.GetAsync<AppConnection>(Query.Path(Root + "/{0}", id), cancellationToken);

    /// <summary>Creates the connection or updates the one with the same externalId. Retried on a transient
    /// failure: the externalId makes a second arrival update the same row.</summary>
    [Operation("UpsertAppConnection")]
    public Task<AppConnection> UpsertAsync(UpsertAppConnectionRequest request, CancellationToken cancellationToken = default) =>
        _api.SendAsync<AppConnection>(HttpMethod.Post, Root, request, Retry.Yes, cancellationToken);

    /// <summary>Renames the connection or replaces its metadata.</summary>
    [Operation("UpdateAppConnection")]
    public Task<AppConnection> UpdateAsync(string id, UpdateAppConnectionRequest request, CancellationToken cancellationToken = default) =>
        _api.SendAsync<AppConnection>(HttpMethod.Post, Query.Path(Root + "/{0}", id), request, Retry.Yes, cancellationToken);

    /// <summary>Deletes the connection (refused with 409 while a flow uses it).</summary>
    [Operation("DeleteAppConnection")]
    public Task DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Delete, Query.Path(Root + "/{0}", id), null, Retry.Yes, cancellationToken);

    /// <summary>The users who own the project's connections.</summary>
    [Operation("ListAppConnectionOwners")]
    public Task<Page<ConnectionOwner>> ListOwnersAsync(string? projectId = null, CancellationToken cancellationToken = default) =>
        _api.GetAsync<Page<ConnectionOwner>>(new Query().Add("projectId", projectId).Of(Root + "/owners"), cancellationToken);

    /// <summary>Moves every flow from one connection to another (not retried).</summary>
    [Operation("ReplaceAppConnection")]
    public Task ReplaceAsync(ReplaceAppConnectionRequest request, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Post, Root + "/replace", request, Retry.No, cancellationToken);

    /// <summary>Refreshes an OAuth2 connection's token now (<paramref name="force"/>: even if it is not due).
    /// Not retried: each call reaches the provider.</summary>
    [Operation("RefreshAppConnection")]
    public Task<AppConnection> RefreshAsync(string id, bool? force = null, CancellationToken cancellationToken = default) =>
        _api.SendAsync<AppConnection>(HttpMethod.Post, new Query().Add("force", force).Of(Query.Path(Root + "/{0}/refresh", id)), null, Retry.No, cancellationToken);

    /// <summary>The provider's consent URL for a new OAuth2 connection.</summary>
    [Operation("BuildOAuth2AuthorizationUrl")]
    public Task<AuthorizationUrlResponse> BuildAuthorizationUrlAsync(AuthorizationUrlRequest request, CancellationToken cancellationToken = default) =>
        _api.SendAsync<AuthorizationUrlResponse>(HttpMethod.Post, Root + "/oauth2/authorization-url", request, Retry.No, cancellationToken);
}
