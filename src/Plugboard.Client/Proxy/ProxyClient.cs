using Plugboard.Client.Http;

namespace Plugboard.Client;

/// <summary>The authenticated proxy, <c>/api/v1/proxy/{externalId}/{path}</c>, with an API key or a session token: the
/// server calls the connection's API under the base URL it fixes, with the credential injected, so the caller never
/// holds it. Reads are open to every role, other methods to EDITOR and ADMIN.</summary>
/// <remarks>The upstream's answer is returned as it came, whatever its status (the server marks it with a
/// <c>Plugboard-Upstream: true</c> header), and never retried (the upstream call may not be idempotent): a 401 here is
/// the connection's API refusing the credential. Plugboard's own refusals throw <see cref="PlugboardApiException"/>
/// as every other call does: an unknown connection 404, an unusable one 409 <c>CONNECTION_NOT_USABLE</c>, an
/// unreachable API 502 <c>UPSTREAM_UNAVAILABLE</c>, a path leaving the base 400, a key refused 401 or 403. Dispose
/// the response.</remarks>
public sealed class ProxyClient
{
    private const string Root = "api/v1/proxy";
    private readonly ApiTransport _api;

    internal ProxyClient(ApiTransport api) => _api = api;

    /// <summary>Calls the API of the connection <paramref name="externalId"/> at <paramref name="path"/> (relative to its
    /// base URL; slashes and a <c>?query</c> kept, each segment escaped, so pass segments unescaped).</summary>
    /// <param name="method">GET, POST, PUT, PATCH or DELETE.</param>
    /// <param name="externalId">The connection.</param>
    /// <param name="path">The path under the connection's base URL, e.g. <c>v1/orders/42?expand=items</c>.</param>
    /// <param name="content">The body, sent as it is with its Content-Type; it stays the caller's to dispose.</param>
    /// <param name="projectId">The project whose connection it is (implied by a project key or a session).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The upstream's answer (status, safe headers, body).</returns>
    /// <exception cref="PlugboardApiException">Plugboard refused the call; nothing, or nothing usable, came from the upstream.</exception>
    [Operation("ProxyGet")]
    [Operation("ProxyPost")]
    [Operation("ProxyPut")]
    [Operation("ProxyPatch")]
    [Operation("ProxyDelete")]
    public Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string externalId, string path, HttpContent? content = null, string? projectId = null, CancellationToken cancellationToken = default) =>
        ProxyCalls.SendAsync(_api, Root, method, externalId, path, content, projectId, cancellationToken);

    /// <summary>GETs <paramref name="path"/> from the connection's API (see <see cref="SendAsync"/>).</summary>
    public Task<HttpResponseMessage> GetAsync(string externalId, string path, string? projectId = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, externalId, path, null, projectId, cancellationToken);

    /// <summary>POSTs <paramref name="content"/> to <paramref name="path"/> of the connection's API (see <see cref="SendAsync"/>).</summary>
    public Task<HttpResponseMessage> PostAsync(string externalId, string path, HttpContent? content, string? projectId = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, externalId, path, content, projectId, cancellationToken);

    /// <summary>PUTs <paramref name="content"/> to <paramref name="path"/> of the connection's API (see <see cref="SendAsync"/>).</summary>
    public Task<HttpResponseMessage> PutAsync(string externalId, string path, HttpContent? content, string? projectId = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, externalId, path, content, projectId, cancellationToken);

    /// <summary>PATCHes <paramref name="path"/> of the connection's API with <paramref name="content"/> (see <see cref="SendAsync"/>).</summary>
    public Task<HttpResponseMessage> PatchAsync(string externalId, string path, HttpContent? content, string? projectId = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Patch, externalId, path, content, projectId, cancellationToken);

    /// <summary>DELETEs <paramref name="path"/> of the connection's API (see <see cref="SendAsync"/>).</summary>
    public Task<HttpResponseMessage> DeleteAsync(string externalId, string path, string? projectId = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, externalId, path, null, projectId, cancellationToken);
}
