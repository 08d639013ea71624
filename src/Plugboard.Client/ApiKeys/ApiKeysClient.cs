using Plugboard.Client.Http;

namespace Plugboard.Client;

/// <summary>API keys: <c>/api/v1/api-keys</c> (platform key).</summary>
public sealed class ApiKeysClient
{
    private const string Root = "api/v1/api-keys";
    private readonly ApiTransport _api;

    internal ApiKeysClient(ApiTransport api) => _api = api;

    /// <summary>One page of the platform's API keys (never their values).</summary>
    [Operation("ListApiKeys")]
    public Task<Page<ApiKey>> ListAsync(ApiKeyQuery? query = null, string? cursor = null, CancellationToken cancellationToken = default) =>
        _api.GetAsync<Page<ApiKey>>(new Query().Add("limit", query?.Limit).Add("cursor", cursor).Of(Root), cancellationToken);

    /// <summary>Every API key of the platform, page after page.</summary>
    public IAsyncEnumerable<ApiKey> ListAllAsync(ApiKeyQuery? query = null, CancellationToken cancellationToken = default) =>
        Paging.AllAsync((cursor, ct) => ListAsync(query, cursor, ct), cancellationToken);

    /// <summary>Creates a platform key, or a project key for <see cref="CreateApiKeyRequest.ProjectId"/>; the answer
    /// carries its value this once. Not retried: a lost answer would leave a second key behind.</summary>
    [Operation("CreateApiKey")]
    public Task<CreatedApiKey> CreateAsync(CreateApiKeyRequest request, CancellationToken cancellationToken = default) =>
        _api.SendAsync<CreatedApiKey>(HttpMethod.Post, Root, request, Retry.No, cancellationToken);

    /// <summary>Deletes the key: it is refused from the next request on. A key cannot delete itself.</summary>
    [Operation("DeleteApiKey")]
    public Task DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Delete, Query.Path(Root + "/{0}", id), null, Retry.Yes, cancellationToken);
}
