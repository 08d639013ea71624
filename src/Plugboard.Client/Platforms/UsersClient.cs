using Plugboard.Client.Http;

namespace Plugboard.Client;

/// <summary>Users: <c>/api/v1/users</c> (platform key).</summary>
public sealed class UsersClient
{
    private const string Root = "api/v1/users";
    private readonly ApiTransport _api;

    internal UsersClient(ApiTransport api) => _api = api;

    /// <summary>One page of the platform's users, filtered by their id in the SaaS.</summary>
    [Operation("ListUsers")]
    public Task<Page<User>> ListAsync(UserQuery? query = null, string? cursor = null, CancellationToken cancellationToken = default) =>
        _api.GetAsync<Page<User>>(new Query()
            .Add("externalId", query?.ExternalId)
            .Add("limit", query?.Limit)
            .Add("cursor", cursor)
            .Of(Root), cancellationToken);

    /// <summary>Every user the query finds, page after page.</summary>
    public IAsyncEnumerable<User> ListAllAsync(UserQuery? query = null, CancellationToken cancellationToken = default) =>
        Paging.AllAsync((cursor, ct) => ListAsync(query, cursor, ct), cancellationToken);

    /// <summary>Deletes the user and their memberships; their connections stay, without an owner. The owner of
    /// the platform or of a project cannot be deleted (400).</summary>
    [Operation("DeleteUser")]
    public Task DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Delete, Query.Path(Root + "/{0}", id), null, Retry.Yes, cancellationToken);
}
