using Plugboard.Client.Http;

namespace Plugboard.Client;

/// <summary>Connection definitions: <c>/api/v1/connection-definitions</c>. Every key reads (an embedded user only the
/// embedded ones); writes take a platform key.</summary>
public sealed class ConnectionDefinitionsClient
{
    private const string Root = "api/v1/connection-definitions";
    private readonly ApiTransport _api;

    internal ConnectionDefinitionsClient(ApiTransport api) => _api = api;

    /// <summary>One page of the definitions the caller sees.</summary>
    [Operation("ListConnectionDefinitions")]
    public Task<Page<ConnectionDefinition>> ListAsync(ConnectionDefinitionQuery? query = null, string? cursor = null, CancellationToken cancellationToken = default) =>
        _api.GetAsync<Page<ConnectionDefinition>>(new Query()
            .Add("pieceName", query?.PieceName)
            .Add("limit", query?.Limit)
            .Add("cursor", cursor)
            .Of(Root), cancellationToken);

    /// <summary>Every definition the query finds, page after page.</summary>
    public IAsyncEnumerable<ConnectionDefinition> ListAllAsync(ConnectionDefinitionQuery? query = null, CancellationToken cancellationToken = default) =>
        Paging.AllAsync((cursor, ct) => ListAsync(query, cursor, ct), cancellationToken);

    /// <summary>The definition with this id or stable key.</summary>
    [Operation("GetConnectionDefinition")]
    public Task<ConnectionDefinition> GetAsync(string idOrStableKey, CancellationToken cancellationToken = default) =>
        _api.GetAsync<ConnectionDefinition>(Query.Path(Root + "/{0}", idOrStableKey), cancellationToken);

    /// <summary>Creates the definition or replaces the one with the same stable key. Retried on a transient failure
    /// (the stable key makes a second arrival replace the same row), except when the value carries an OAuth2 code:
    /// the server claims it at the provider, and a code is good once.</summary>
    [Operation("UpsertConnectionDefinition")]
    public Task<ConnectionDefinition> UpsertAsync(UpsertConnectionDefinitionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _api.SendAsync<ConnectionDefinition>(HttpMethod.Post, Root, request, RetryUnlessClaiming(request.Value), cancellationToken);
    }

    /// <summary>Changes the fields given. Retried like <see cref="UpsertAsync"/>: every field replaces (or, for global
    /// values, merges into) the stored one, unless the value carries an OAuth2 code to claim.</summary>
    [Operation("UpdateConnectionDefinition")]
    public Task<ConnectionDefinition> UpdateAsync(string idOrStableKey, UpdateConnectionDefinitionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _api.SendAsync<ConnectionDefinition>(HttpMethod.Post, Query.Path(Root + "/{0}", idOrStableKey), request, RetryUnlessClaiming(request.Value), cancellationToken);
    }

    /// <summary>Deletes the definition. While connections are made from it this is refused (400), unless
    /// <paramref name="cascade"/>: then they are deleted with it, all or none.</summary>
    [Operation("DeleteConnectionDefinition")]
    public Task DeleteAsync(string idOrStableKey, bool? cascade = null, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Delete, new Query().Add("cascade", cascade).Of(Query.Path(Root + "/{0}", idOrStableKey)), null, Retry.Yes, cancellationToken);

    /// <summary>Sets the test credential test runs read (replacing the one before, so it is retried).</summary>
    [Operation("SetConnectionDefinitionTestValue")]
    public Task<ConnectionDefinition> SetTestValueAsync(string idOrStableKey, DefinitionTestValueRequest request, CancellationToken cancellationToken = default) =>
        _api.SendAsync<ConnectionDefinition>(HttpMethod.Post, Query.Path(Root + "/{0}/test-value", idOrStableKey), request, Retry.Yes, cancellationToken);

    /// <summary>Removes the test credential.</summary>
    [Operation("RemoveConnectionDefinitionTestValue")]
    public Task<ConnectionDefinition> RemoveTestValueAsync(string idOrStableKey, CancellationToken cancellationToken = default) =>
        _api.SendAsync<ConnectionDefinition>(HttpMethod.Delete, Query.Path(Root + "/{0}/test-value", idOrStableKey), null, Retry.Yes, cancellationToken);

    // A code is exchanged for tokens once: sent again, it fails at the provider after the first exchange succeeded.
    private static Retry RetryUnlessClaiming(ConnectionValue? value) =>
        value is OAuth2Credentials { Code: not null } ? Retry.No : Retry.Yes;
}
