using Plugboard.Client.Http;

namespace Plugboard.Client;

/// <summary>Signing keys: <c>/api/v1/signing-keys</c> (platform key).</summary>
public sealed class SigningKeysClient
{
    private const string Root = "api/v1/signing-keys";
    private readonly ApiTransport _api;

    internal SigningKeysClient(ApiTransport api) => _api = api;

    /// <summary>One page of the platform's signing keys.</summary>
    [Operation("ListSigningKeys")]
    public Task<Page<SigningKey>> ListAsync(SigningKeyQuery? query = null, string? cursor = null, CancellationToken cancellationToken = default) =>
        _api.GetAsync<Page<SigningKey>>(new Query().Add("limit", query?.Limit).Add("cursor", cursor).Of(Root), cancellationToken);

    /// <summary>Every signing key of the platform, page after page.</summary>
    public IAsyncEnumerable<SigningKey> ListAllAsync(SigningKeyQuery? query = null, CancellationToken cancellationToken = default) =>
        Paging.AllAsync((cursor, ct) => ListAsync(query, cursor, ct), cancellationToken);

    /// <summary>Registers a public key, or generates a pair and answers its private key this once. Not retried:
    /// a lost answer would leave a second key (and a generated private key nobody holds).</summary>
    [Operation("CreateSigningKey")]
    public Task<CreatedSigningKey> CreateAsync(CreateSigningKeyRequest request, CancellationToken cancellationToken = default) =>
        _api.SendAsync<CreatedSigningKey>(HttpMethod.Post, Root, request, Retry.No, cancellationToken);

    /// <summary>Deletes the key: tokens signed with it are refused from then on.</summary>
    [Operation("DeleteSigningKey")]
    public Task DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Delete, Query.Path(Root + "/{0}", id), null, Retry.Yes, cancellationToken);
}
