using Plugboard.Client.Http;

namespace Plugboard.Client;

/// <summary>Platforms: <c>/api/v1/platforms</c>, the operator's routes (<c>PLUGBOARD_OPERATOR_KEY</c>); a platform key opens only
/// <see cref="UpdateAsync"/> on its own platform.</summary>
public sealed class PlatformsClient
{
    private const string Root = "api/v1/platforms";
    private readonly ApiTransport _api;

    internal PlatformsClient(ApiTransport api) => _api = api;

    /// <summary>One page of platforms.</summary>
    [Operation("ListPlatforms")]
    public Task<Page<Platform>> ListAsync(PlatformQuery? query = null, string? cursor = null, CancellationToken cancellationToken = default) =>
        _api.GetAsync<Page<Platform>>(new Query().Add("limit", query?.Limit).Add("cursor", cursor).Of(Root), cancellationToken);

    /// <summary>Every platform, page after page.</summary>
    public IAsyncEnumerable<Platform> ListAllAsync(PlatformQuery? query = null, CancellationToken cancellationToken = default) =>
        Paging.AllAsync((cursor, ct) => ListAsync(query, cursor, ct), cancellationToken);

    /// <summary>Creates a platform with its owner and first admin key (in the answer, once). Not retried: a lost
    /// answer would leave a second platform.</summary>
    [Operation("CreatePlatform")]
    public Task<CreatedPlatform> CreateAsync(CreatePlatformRequest request, CancellationToken cancellationToken = default) =>
        _api.SendAsync<CreatedPlatform>(HttpMethod.Post, Root, request, Retry.No, cancellationToken);

    /// <summary>The platform with this id (the operator's key, or the platform's own platform key).</summary>
    [Operation("GetPlatform")]
    public Task<Platform> GetAsync(string id, CancellationToken cancellationToken = default) =>
        _api.GetAsync<Platform>(Query.Path(Root + "/{0}", id), cancellationToken);

    /// <summary>Changes the platform's name or allowed embedding origins. Takes the operator key, or a platform key of this
    /// platform (another platform is not found). Setting the same values again changes nothing, so retried.</summary>
    [Operation("UpdatePlatform")]
    public Task<Platform> UpdateAsync(string id, UpdatePlatformRequest request, CancellationToken cancellationToken = default) =>
        _api.SendAsync<Platform>(HttpMethod.Post, Query.Path(Root + "/{0}", id), request, Retry.Yes, cancellationToken);

    /// <summary>Disables the platform: its API keys are refused at once, its engine and session tokens within a second.
    /// Nothing is deleted. Idempotent (a disabled platform keeps its first <c>disabledAt</c>), so retried.</summary>
    [Operation("DisablePlatform")]
    public Task<Platform> DisableAsync(string id, CancellationToken cancellationToken = default) =>
        _api.SendAsync<Platform>(HttpMethod.Post, Query.Path(Root + "/{0}/disable", id), null, Retry.Yes, cancellationToken);

    /// <summary>Enables the platform again, with everything it had. Idempotent, so retried.</summary>
    [Operation("EnablePlatform")]
    public Task<Platform> EnableAsync(string id, CancellationToken cancellationToken = default) =>
        _api.SendAsync<Platform>(HttpMethod.Post, Query.Path(Root + "/{0}/enable", id), null, Retry.Yes, cancellationToken);
}
