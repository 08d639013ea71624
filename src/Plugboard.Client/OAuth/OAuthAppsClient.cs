using Plugboard.Client.Http;

namespace Plugboard.Client;

/// <summary>OAuth2 apps: <c>/api/v1/oauth-apps</c> (platform key).</summary>
public sealed class OAuthAppsClient
{
    private const string Root = "api/v1/oauth-apps";
    private readonly ApiTransport _api;

    internal OAuthAppsClient(ApiTransport api) => _api = api;

    /// <summary>One page of the platform's apps.</summary>
    [Operation("ListOAuthApps")]
    public Task<Page<OAuthApp>> ListAsync(OAuthAppQuery? query = null, string? cursor = null, CancellationToken cancellationToken = default) =>
        _api.GetAsync<Page<OAuthApp>>(new Query()
            .Add("pieceName", query?.PieceName)
            .Add("limit", query?.Limit)
            .Add("cursor", cursor)
            .Of(Root), cancellationToken);

    /// <summary>Every app the query finds, page after page.</summary>
    public IAsyncEnumerable<OAuthApp> ListAllAsync(OAuthAppQuery? query = null, CancellationToken cancellationToken = default) =>
        Paging.AllAsync((cursor, ct) => ListAsync(query, cursor, ct), cancellationToken);

    /// <summary>Registers the app, or replaces the secret of the one with this piece and client id. Retried on a
    /// transient failure: that pair keys the app, so a second arrival writes the same secret to the same row.</summary>
    [Operation("UpsertOAuthApp")]
    public Task<OAuthApp> UpsertAsync(UpsertOAuthAppRequest request, CancellationToken cancellationToken = default) =>
        _api.SendAsync<OAuthApp>(HttpMethod.Post, Root, request, Retry.Yes, cancellationToken);

    /// <summary>Deletes the app.</summary>
    [Operation("DeleteOAuthApp")]
    public Task DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Delete, Query.Path(Root + "/{0}", id), null, Retry.Yes, cancellationToken);
}
