using Plugboard.Client.Http;

namespace Plugboard.Client;

/// <summary>The OAuth2 provider catalogue: <c>/api/v1/oauth-providers</c> (platform key).</summary>
public sealed class OAuthProvidersClient
{
    private const string Root = "api/v1/oauth-providers";
    private readonly ApiTransport _api;

    internal OAuthProvidersClient(ApiTransport api) => _api = api;

    /// <summary>The whole catalogue as this platform sees it: its own entries first, then the built-in ones it does not
    /// override (not paged).</summary>
    [Operation("ListOAuthProviders")]
    public Task<IReadOnlyList<OAuthProviderEntry>> ListAsync(CancellationToken cancellationToken = default) =>
        _api.GetAsync<IReadOnlyList<OAuthProviderEntry>>(Root, cancellationToken);

    /// <summary>Adds the platform's entry of this name or replaces it. Retried on a transient failure: the name keys
    /// the entry, so a second arrival writes the same entry again.</summary>
    [Operation("UpsertOAuthProvider")]
    public Task<OAuthProviderEntry> UpsertAsync(OAuthProvider provider, CancellationToken cancellationToken = default) =>
        _api.SendAsync<OAuthProviderEntry>(HttpMethod.Post, Root, provider, Retry.Yes, cancellationToken);

    /// <summary>Deletes the platform's own entry of this name (a built-in one it overrode shows again; built-in entries
    /// cannot be deleted: 404).</summary>
    [Operation("DeleteOAuthProvider")]
    public Task DeleteAsync(string name, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Delete, Query.Path(Root + "/{0}", name), null, Retry.Yes, cancellationToken);
}
